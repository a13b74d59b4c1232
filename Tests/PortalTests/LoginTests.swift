import Foundation
import GRDB
import Portal
import StatusModel
import Testing

@Suite struct LoginTests {
    @Test func loginGivesASessionAndLogoutEndsItOnTheServer() async throws {
        let fixture = try PortalFixture()
        let user = try await fixture.activeUser("ada@client.fr", tenant: try await fixture.tenant())
        guard case .success(let sessionID, let loggedIn, let mustChange) = try await fixture.accounts.login(
            email: "ADA@client.fr", password: "Secret#2026", clientAddress: "10.0.0.1") else {
            Issue.record("login failed")
            return
        }
        #expect(loggedIn.id == user.id)
        #expect(!mustChange)
        #expect(try await fixture.accounts.session(id: sessionID)?.user.email == "ada@client.fr")
        try await fixture.accounts.logout(sessionID: sessionID)
        #expect(try await fixture.accounts.session(id: sessionID) == nil)
    }

    @Test func wrongPasswordAndUnknownAccountGetTheSameAnswer() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("ada@client.fr", tenant: try await fixture.tenant())
        guard case .failed = try await fixture.accounts.login(email: "ada@client.fr", password: "wrong", clientAddress: "a") else {
            Issue.record("a wrong password must fail"); return
        }
        guard case .failed = try await fixture.accounts.login(email: "nobody@client.fr", password: "wrong", clientAddress: "b") else {
            Issue.record("an unknown account must fail the same way"); return
        }
    }

    @Test func loginsAreThrottledPerAccountFromOneAddressThenTheThrottleLifts() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("ada@client.fr", tenant: try await fixture.tenant())
        for _ in 0..<5 {
            _ = try await fixture.accounts.login(email: "ada@client.fr", password: "nope", clientAddress: "1.2.3.4")
        }
        guard case .throttled = try await fixture.accounts.login(email: "ada@client.fr", password: "Secret#2026", clientAddress: "1.2.3.4") else {
            Issue.record("the account is throttled from that address after five failures"); return
        }
        fixture.clock.advance(16 * 60)
        guard case .success = try await fixture.accounts.login(email: "ada@client.fr", password: "Secret#2026", clientAddress: "1.2.3.4") else {
            Issue.record("the throttle lifts after its window"); return
        }
    }

    @Test func after90DaysTheUserMustChooseANewDifferentPassword() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("ada@client.fr", tenant: try await fixture.tenant())
        fixture.clock.advance(90 * 86_400)
        guard case .success(let sessionID, let user, let mustChange) = try await fixture.accounts.login(
            email: "ada@client.fr", password: "Secret#2026", clientAddress: "a") else { Issue.record("login failed"); return }
        #expect(mustChange)
        await #expect(throws: FormErrors("password", "error_password_same")) {
            try await fixture.accounts.changeExpiredPassword(user: user, sessionID: sessionID, currentPassword: "Secret#2026",
                                                             password: "Secret#2026", confirmation: "Secret#2026")
        }
        await #expect(throws: FormErrors("current", "error_password_current_wrong"), "the 90-day change asks for the current password too") {
            try await fixture.accounts.changeExpiredPassword(user: user, sessionID: sessionID, currentPassword: "Wrong#2026",
                                                             password: "Fresh#2027", confirmation: "Fresh#2027")
        }
        try await fixture.accounts.changeExpiredPassword(user: user, sessionID: sessionID, currentPassword: "Secret#2026",
                                                         password: "Fresh#2027", confirmation: "Fresh#2027")
        guard case .success(_, _, let stillMust) = try await fixture.accounts.login(email: "ada@client.fr", password: "Fresh#2027", clientAddress: "a") else {
            Issue.record("the new password works"); return
        }
        #expect(!stillMust)
    }

    @Test func resetLinkWorksOnceWithinAnHourAndEndsEverySession() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("ada@client.fr", tenant: try await fixture.tenant())
        guard case .success(let oldSession, _, _) = try await fixture.accounts.login(email: "ada@client.fr", password: "Secret#2026", clientAddress: "a") else {
            Issue.record("login failed"); return
        }
        try await fixture.accounts.requestReset(email: "nobody@client.fr")
        let mailsBefore = try await fixture.outbox().count
        try await fixture.accounts.requestReset(email: "ada@client.fr")
        #expect(try await fixture.outbox().count == mailsBefore + 1, "a mail for the real account only")
        let token = try #require(try await fixture.token(sentTo: "ada@client.fr", path: "password/reset"))
        fixture.clock.advance(59 * 60)
        try await fixture.accounts.resetPassword(token: token, password: "Reset#2026", confirmation: "Reset#2026")
        #expect(try await fixture.accounts.session(id: oldSession) == nil, "other sessions end")
        await #expect(throws: FormErrors("token", "reset_link_invalid")) {
            try await fixture.accounts.resetPassword(token: token, password: "Again#2026", confirmation: "Again#2026")
        }
        guard case .failed = try await fixture.accounts.login(email: "ada@client.fr", password: "Secret#2026", clientAddress: "b") else {
            Issue.record("the old password fails"); return
        }
        guard case .success = try await fixture.accounts.login(email: "ada@client.fr", password: "Reset#2026", clientAddress: "b") else {
            Issue.record("the new password works"); return
        }
    }

    @Test func resetLinkFailsAfterAnHour() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("ada@client.fr", tenant: try await fixture.tenant())
        try await fixture.accounts.requestReset(email: "ada@client.fr")
        let token = try #require(try await fixture.token(sentTo: "ada@client.fr", path: "password/reset"))
        fixture.clock.advance(3601)
        #expect(try await fixture.accounts.resetLinkIsValid(token) == false)
        await #expect(throws: FormErrors("token", "reset_link_invalid")) {
            try await fixture.accounts.resetPassword(token: token, password: "Reset#2026", confirmation: "Reset#2026")
        }
    }

    @Test func passwordsTokensAndSessionsAreStoredHashed() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.accounts.invite("ada@client.fr", tenantID: try await fixture.tenant().id, language: "fr", invitedBy: PortalFixture.inviter)
        let activation = try #require(try await fixture.token(sentTo: "ada@client.fr", path: "activate"))
        _ = try await fixture.accounts.activate(token: activation, form: PortalFixture.form(password: "Secret#2026"))
        guard case .success(let sessionID, _, _) = try await fixture.accounts.login(email: "ada@client.fr", password: "Secret#2026", clientAddress: "a") else {
            Issue.record("login failed"); return
        }
        let (passwordHash, tokenHashes, sessionHashes) = try await fixture.database.writer.read { db in
            (try String.fetchOne(db, sql: "SELECT passwordHash FROM user") ?? "",
             try String.fetchAll(db, sql: "SELECT hash FROM accountToken"),
             try String.fetchAll(db, sql: "SELECT idHash FROM session"))
        }
        #expect(passwordHash.hasPrefix("$2"), "bcrypt")
        #expect(!passwordHash.contains("Secret#2026"))
        #expect(!tokenHashes.contains(activation))
        #expect(tokenHashes.contains(Secrets.hash(activation)))
        #expect(!sessionHashes.contains(sessionID))
        #expect(Secrets.hashPassword("x", cost: 12).hasPrefix("$2b$12$"), "production cost is 12")
    }
}
