import Foundation
import Notify
import Portal
import Testing

@Suite struct InvitationTests {
    @Test func hundredAddressesAreInvitedAtOnceEachWithItsMail() async throws {
        let fixture = try PortalFixture()
        let tenant = try await fixture.tenant()
        let text = (1...100).map { "user\($0)@client.fr" }.joined(separator: ", ")
        let report = try await fixture.accounts.invite(text, tenantID: tenant.id, language: "fr", invitedBy: PortalFixture.inviter)
        #expect(report.invited.count == 100)
        #expect(report.refused.isEmpty)
        let mails = try await fixture.outbox()
        #expect(mails.count == 100)
        #expect(mails.allSatisfy { $0.text.contains("\(PortalFixture.baseURL)/activate/") })
        #expect(mails.first?.subject == "Activez votre compte statusd")
    }

    @Test func hundredAndOneAreRefusedWithAMessageAndNothingIsInvited() async throws {
        let fixture = try PortalFixture()
        let tenant = try await fixture.tenant()
        let text = (1...101).map { "user\($0)@client.fr" }.joined(separator: ",")
        await #expect(throws: FormErrors("emails", "invite_error_too_many")) {
            try await fixture.accounts.invite(text, tenantID: tenant.id, language: "fr", invitedBy: PortalFixture.inviter)
        }
        #expect(try await fixture.outbox().isEmpty)
    }

    @Test func addressInUseIsReportedWhileTheOthersGoThrough() async throws {
        let fixture = try PortalFixture()
        let tenant = try await fixture.tenant()
        _ = try await fixture.accounts.invite("taken@client.fr", tenantID: tenant.id, language: "fr", invitedBy: PortalFixture.inviter)
        let report = try await fixture.accounts.invite("new1@client.fr, TAKEN@Client.fr, not-an-address, new2@client.fr", tenantID: tenant.id, language: "en", invitedBy: PortalFixture.inviter)
        #expect(report.invited == ["new1@client.fr", "new2@client.fr"])
        #expect(report.refused.map(\.reason) == ["invite_refused_member", "invite_refused_invalid"])
        #expect(try await fixture.outbox().count == 3, "one mail per account created, none for the refused")
    }

    @Test func activationLinkFailsAfter90DaysFromTheAccountsCreation() async throws {
        let fixture = try PortalFixture()
        let tenant = try await fixture.tenant()
        _ = try await fixture.accounts.invite("late@client.fr", tenantID: tenant.id, language: "fr", invitedBy: PortalFixture.inviter)
        let token = try #require(try await fixture.token(sentTo: "late@client.fr", path: "activate"))
        fixture.clock.advance(89 * 86_400)
        #expect(try await fixture.accounts.pendingUser(activationToken: token)?.email == "late@client.fr")
        fixture.clock.advance(86_400)
        #expect(try await fixture.accounts.pendingUser(activationToken: token) == nil)
        let user = try #require(try await fixture.store.user(email: "late@client.fr"))
        #expect(try await fixture.accounts.resendActivation(userID: user.id) == false, "past 90 days a new link would outlive the rule")
    }

    @Test func activationChecksThePolicyThenActivatesOnce() async throws {
        let fixture = try PortalFixture()
        let tenant = try await fixture.tenant()
        _ = try await fixture.accounts.invite("ada@client.fr", tenantID: tenant.id, language: "fr", invitedBy: PortalFixture.inviter)
        let token = try #require(try await fixture.token(sentTo: "ada@client.fr", path: "activate"))
        let weak = PortalFixture.form(password: "weakpass")
        // Every rule it misses, in the policy's order; pages showing one message get the first.
        await #expect(throws: FormErrors("password", ["password_rule_uppercase", "password_rule_digit", "password_rule_special"])) {
            try await fixture.accounts.activate(token: token, form: weak)
        }
        let mismatch = AccountService.ActivationForm(firstName: "", lastName: "L", phone: "1", password: "Secret#2026", confirmation: "Other#2026")
        do {
            _ = try await fixture.accounts.activate(token: token, form: mismatch)
            Issue.record("a wrong form must not activate")
        } catch let errors as FormErrors {
            #expect(errors["firstName"] == "error_required")
            #expect(errors["confirmation"] == "error_password_mismatch")
        }
        let user = try await fixture.accounts.activate(token: token, form: PortalFixture.form(password: "Secret#2026"))
        #expect(user.state == .active)
        await #expect(throws: FormErrors("token", "activation_link_invalid")) {
            try await fixture.accounts.activate(token: token, form: PortalFixture.form(password: "Secret#2026"))
        }
    }

    @Test(arguments: [
        ("short1!", PasswordPolicy.Rule.length), ("alllower1!", .uppercase), ("ALLUPPER1!", .lowercase),
        ("NoDigits!!", .digit), ("NoSpecial12", .special),
    ])
    func passwordPolicy(password: String, broken: PasswordPolicy.Rule) {
        #expect(PasswordPolicy.violations(of: password).contains(broken))
        #expect(PasswordPolicy.violations(of: "Secret#2026").isEmpty)
    }
}

extension PortalFixture {
    static func form(password: String) -> AccountService.ActivationForm {
        .init(firstName: "Ada", lastName: "Lovelace", phone: "0102030405", password: password, confirmation: password)
    }
}
