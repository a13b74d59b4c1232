import Foundation
import Portal
import Testing

/// Issue 9, items 4, 5 and 10: the change asks for the current password, a refused password
/// lists every rule it misses, neither change nor reset takes the current password again, and
/// "mot de passe oublié" mails once per ten minutes.
@Suite struct PasswordChangeTests {
    func session(_ fixture: PortalFixture, _ email: String, _ password: String, from address: String = "a") async throws -> (String, User) {
        guard case .success(let id, let user, _) = try await fixture.accounts.login(email: email, password: password, clientAddress: address) else {
            throw Failure("login of \(email) failed")
        }
        return (id, user)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test func changeAsksForTheCurrentPasswordAndEndsTheOtherSessions() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("ada@client.fr", tenant: try await fixture.tenant())
        let (sessionID, user) = try await session(fixture, "ada@client.fr", "Secret#2026")
        let (otherSession, _) = try await session(fixture, "ada@client.fr", "Secret#2026", from: "b")

        await #expect(throws: FormErrors("current", "error_password_current_wrong")) {
            try await fixture.accounts.changePassword(user: user, sessionID: sessionID, currentPassword: "Guess#2026",
                                                      password: "Fresh#2027", confirmation: "Fresh#2027")
        }
        #expect(try await fixture.accounts.session(id: otherSession) != nil, "a refused change changes nothing")
        _ = try await session(fixture, "ada@client.fr", "Secret#2026")

        await #expect(throws: FormErrors("password", "error_password_same")) {
            try await fixture.accounts.changePassword(user: user, sessionID: sessionID, currentPassword: "Secret#2026",
                                                      password: "Secret#2026", confirmation: "Secret#2026")
        }
        try await fixture.accounts.changePassword(user: user, sessionID: sessionID, currentPassword: "Secret#2026",
                                                  password: "Fresh#2027", confirmation: "Fresh#2027")
        #expect(try await fixture.accounts.session(id: otherSession) == nil)
        #expect(try await fixture.accounts.session(id: sessionID) != nil, "the session that changed it stays")
        _ = try await session(fixture, "ada@client.fr", "Fresh#2027")
    }

    @Test func wrongCurrentPasswordsAreThrottledLikeLogins() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("ada@client.fr", tenant: try await fixture.tenant())
        let (sessionID, user) = try await session(fixture, "ada@client.fr", "Secret#2026")
        for attempt in 0..<5 {
            await #expect(throws: FormErrors("current", "error_password_current_wrong")) {
                try await fixture.accounts.changePassword(user: user, sessionID: sessionID, currentPassword: "Guess#\(attempt)",
                                                          password: "Fresh#2027", confirmation: "Fresh#2027")
            }
        }
        let before = fixture.accounts.passwords.verifications
        await #expect(throws: FormErrors("current", "login_throttled")) {
            try await fixture.accounts.changePassword(user: user, sessionID: sessionID, currentPassword: "Secret#2026",
                                                      password: "Fresh#2027", confirmation: "Fresh#2027")
        }
        #expect(fixture.accounts.passwords.verifications == before, "not even checked")
    }

    @Test func aRefusedPasswordListsEveryRuleItMisses() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("ada@client.fr", tenant: try await fixture.tenant())
        let (sessionID, user) = try await session(fixture, "ada@client.fr", "Secret#2026")
        do {
            try await fixture.accounts.changePassword(user: user, sessionID: sessionID, currentPassword: "nope",
                                                      password: "abc", confirmation: "abd")
            Issue.record("refused")
        } catch let errors as FormErrors {
            #expect(errors.all("password") == ["password_rule_length", "password_rule_uppercase", "password_rule_digit", "password_rule_special"])
            #expect(errors.fields["password"] == "password_rule_length", "pages showing one message per field get the first")
            #expect(errors["password"] == "password_rule_length")
            #expect(errors.all("current") == ["error_password_current_wrong"])
            #expect(errors.all("confirmation") == ["error_password_mismatch"])
            #expect(errors.all("firstName").isEmpty)
            #expect(errors.messages.count == 3)
        }

        try await fixture.accounts.requestReset(email: "ada@client.fr")
        let token = try #require(try await fixture.token(sentTo: "ada@client.fr", path: "password/reset"))
        await #expect(throws: FormErrors("password", ["password_rule_uppercase", "password_rule_lowercase"])) {
            try await fixture.accounts.resetPassword(token: token, password: "1234567!", confirmation: "1234567!")
        }
    }

    @Test func formErrorsKeepEveryMessageOnceInOrder() {
        var errors = FormErrors()
        #expect(errors.isEmpty)
        errors.add("password", "password_rule_length")
        errors.add("password", "password_rule_digit")
        errors.add("password", "password_rule_length")
        errors.add("email", "error_email_invalid")
        #expect(errors.all("password") == ["password_rule_length", "password_rule_digit"])
        #expect(errors.fields == ["password": "password_rule_length", "email": "error_email_invalid"])
        #expect(errors == FormErrors("password", ["password_rule_length", "password_rule_digit"]).adding("email", "error_email_invalid"))
        #expect(FormErrors("x", "a") != FormErrors("x", ["a", "b"]))
    }

    @Test func resetRefusesTheCurrentPasswordAsTheNewOne() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("ada@client.fr", tenant: try await fixture.tenant())
        try await fixture.accounts.requestReset(email: "ada@client.fr")
        let token = try #require(try await fixture.token(sentTo: "ada@client.fr", path: "password/reset"))
        await #expect(throws: FormErrors("password", "error_password_same")) {
            try await fixture.accounts.resetPassword(token: token, password: "Secret#2026", confirmation: "Secret#2026")
        }
        #expect(try await fixture.accounts.resetLinkIsValid(token), "a refused reset keeps its link")
        try await fixture.accounts.resetPassword(token: token, password: "Reset#2026", confirmation: "Reset#2026")
    }

    @Test func forgotPasswordMailsOncePerTenMinutes() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("ada@client.fr", tenant: try await fixture.tenant())
        let before = try await fixture.mails(to: "ada@client.fr").count
        for _ in 0..<6 {
            // The same silent answer every time: nothing returned, nothing thrown.
            try await fixture.accounts.requestReset(email: "ADA@client.fr")
            fixture.clock.advance(60)
        }
        #expect(try await fixture.mails(to: "ada@client.fr").count == before + 1, "six requests, one mail")
        let first = try #require(try await fixture.token(sentTo: "ada@client.fr", path: "password/reset"))
        #expect(try await fixture.accounts.resetLinkIsValid(first), "the mailed link still works")

        fixture.clock.advance(ResetRequests.interval - 6 * 60 - 1)
        try await fixture.accounts.requestReset(email: "ada@client.fr")
        #expect(try await fixture.mails(to: "ada@client.fr").count == before + 1, "not before ten minutes")
        fixture.clock.advance(2)
        try await fixture.accounts.requestReset(email: "ada@client.fr")
        #expect(try await fixture.mails(to: "ada@client.fr").count == before + 2, "again after ten minutes")
        let second = try #require(try await fixture.token(sentTo: "ada@client.fr", path: "password/reset"))
        #expect(second != first)
        #expect(try await fixture.accounts.resetLinkIsValid(first) == false, "one open link at a time")
    }
}

extension FormErrors {
    func adding(_ field: String, _ message: String) -> FormErrors {
        var copy = self
        copy.add(field, message)
        return copy
    }
}
