import Foundation
import Notify
import Portal
import Testing

/// Issue 9, items 6 to 8: a tenant's first administrator who already has an account, inviting
/// again someone removed, and what invitation mails say.
@Suite struct InvitationRulesTests {
    static let operatorInviter = Inviter(name: "Olivier Opérateur", email: "olivier@vendor.fr")

    @Test func aNewTenantsFirstAdministratorWithAnActiveAccountBecomesItsAdministrator() async throws {
        let fixture = try PortalFixture()
        let first = try await fixture.tenant("11111111")
        let user = try await fixture.activeUser("boss@client.fr", tenant: first, language: "en")
        let mailsBefore = try await fixture.mails(to: "boss@client.fr").count

        let (created, outcome) = try await fixture.accounts.createTenant(Tenant(code: "22222222", name: "Filiale"), firstAdmin: "Boss@Client.fr",
                                                                         language: "fr", invitedBy: Self.operatorInviter)
        #expect(outcome == .existingAccountMadeAdmin)
        #expect(try await fixture.accounts.members(tenantID: created.id).map { [$0.user.email, $0.role.rawValue] } == [["boss@client.fr", "admin"]])
        #expect(try await fixture.accounts.memberships(userID: user.id).count == 2)

        // Mailed in their own language (English), with the login link on the base URL.
        let mails = try await fixture.mails(to: "boss@client.fr")
        #expect(mails.count == mailsBefore + 1)
        let mail = try #require(mails.last)
        #expect(mail.language == "en")
        #expect(mail.subject == "Access to the customer account Filiale on statusd")
        #expect(mail.text.contains("Olivier Opérateur (olivier@vendor.fr) gave you access to the customer account “Filiale” (22222222)"))
        #expect(mail.text.contains("as an administrator"))
        #expect(mail.text.contains("\(PortalFixture.baseURL)/login"))
        #expect(!mail.text.contains("/activate/"))

        // They reach it with "Changer de compte client".
        guard case .success(let sessionID, _, _) = try await fixture.accounts.login(email: "boss@client.fr", password: "Secret#2026", clientAddress: "a") else {
            Issue.record("login failed"); return
        }
        try await fixture.accounts.switchTenant(sessionID: sessionID, userID: user.id, tenantID: created.id)
        #expect(try await fixture.accounts.session(id: sessionID)?.session.tenantID == created.id)
    }

    @Test func aNewTenantsFirstAdministratorWithAPendingAccountIsInvitedAgain() async throws {
        let fixture = try PortalFixture()
        let first = try await fixture.tenant("11111111")
        _ = try await fixture.accounts.invite("late@client.fr", tenantID: first.id, language: "fr", invitedBy: PortalFixture.inviter)
        let oldToken = try #require(try await fixture.token(sentTo: "late@client.fr", path: "activate"))

        let (created, outcome) = try await fixture.accounts.createTenant(Tenant(code: "22222222", name: "Filiale"), firstAdmin: "late@client.fr",
                                                                         language: "en", invitedBy: Self.operatorInviter)
        guard case .pendingAccountInvitedAgain(let link) = outcome else { Issue.record("\(outcome)"); return }
        let token = try #require(try await fixture.token(sentTo: "late@client.fr", path: "activate"))
        #expect(link == "\(PortalFixture.baseURL)/activate/\(token)")
        #expect(try await fixture.accounts.pendingUser(activationToken: oldToken) == nil, "the new link replaces the old one")
        let mail = try #require(try await fixture.mails(to: "late@client.fr").last)
        #expect(mail.subject == "Activez votre compte statusd", "in the account's language (French), not the form's")
        #expect(mail.text.contains("Olivier Opérateur (olivier@vendor.fr) vous a invité dans le compte client « Filiale » (22222222)"))
        #expect(mail.text.contains("en tant qu'administrateur"))
        let user = try await fixture.accounts.activate(token: token, form: PortalFixture.form(password: "Secret#2026"))
        #expect(Set(try await fixture.accounts.memberships(userID: user.id).map(\.tenant.id)) == [first.id, created.id])
        #expect(try await fixture.accounts.members(tenantID: created.id).first?.role == .admin)
    }

    @Test func aNewTenantsFirstAdministratorWithANewAddressIsInvited() async throws {
        let fixture = try PortalFixture()
        let (created, outcome) = try await fixture.accounts.createTenant(Tenant(code: "33333333", name: "Client <Trois>"), firstAdmin: "new@client.fr",
                                                                         language: "fr", invitedBy: Self.operatorInviter)
        let token = try #require(try await fixture.token(sentTo: "new@client.fr", path: "activate"))
        #expect(outcome == .invited(activationLink: "\(PortalFixture.baseURL)/activate/\(token)"))
        #expect(try await fixture.accounts.members(tenantID: created.id).map(\.role) == [.admin])
        let mail = try #require(try await fixture.mails(to: "new@client.fr").last)
        #expect(mail.text.contains("vous a invité dans le compte client « Client <Trois> » (33333333)"))
        #expect(mail.html?.contains("« Client &lt;Trois&gt; »") == true, "user text is escaped in HTML")
    }

    @Test func aDisabledAccountIsRefusedAsFirstAdministratorAndNoTenantIsMade() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("gone@client.fr", tenant: try await fixture.tenant("11111111"))
        try await fixture.disable("gone@client.fr")
        await #expect(throws: FormErrors("admin", "tenant_admin_unusable")) {
            try await fixture.accounts.createTenant(Tenant(code: "22222222", name: "Filiale"), firstAdmin: "gone@client.fr",
                                                    language: "fr", invitedBy: Self.operatorInviter)
        }
        #expect(try await fixture.accounts.tenants().map(\.code) == ["11111111"])
    }

    @Test func aRemovedUserCanBeInvitedAgainIntoTheSameTenant() async throws {
        let fixture = try PortalFixture()
        let tenant = try await fixture.tenant()
        let admin = try await fixture.activeUser("admin@client.fr", tenant: tenant, role: .admin)
        let claire = try await fixture.activeUser("claire@client.fr", tenant: tenant)
        try await fixture.accounts.removeMember(userID: claire.id, tenantID: tenant.id)
        #expect(try await fixture.accounts.memberships(userID: claire.id).isEmpty)

        let report = try await fixture.accounts.invite("claire@client.fr", tenantID: tenant.id, role: .admin, language: "fr", invitedBy: Inviter(admin))
        #expect(report.invited == ["claire@client.fr"])
        #expect(report.addedExisting == ["claire@client.fr"])
        #expect(report.refused.isEmpty)
        #expect(try await fixture.accounts.memberships(userID: claire.id).map(\.role) == [.admin], "with the role of the invitation")
        let mail = try #require(try await fixture.mails(to: "claire@client.fr").last)
        #expect(mail.subject == "Accès au compte client Client 90266482 sur statusd")
        #expect(mail.text.contains("Ada Lovelace (admin@client.fr) vous a donné accès au compte client « Client 90266482 » (90266482) sur statusd, en tant qu'administrateur."),
                "\(mail.text)")
        #expect(mail.text.contains("\(PortalFixture.baseURL)/login"))
        // Their password is theirs still.
        guard case .success = try await fixture.accounts.login(email: "claire@client.fr", password: "Secret#2026", clientAddress: "a") else {
            Issue.record("login failed"); return
        }
    }

    @Test func aUserOfOneTenantCanBeInvitedIntoAnotherButNotTwiceIntoTheSame() async throws {
        let fixture = try PortalFixture()
        let first = try await fixture.tenant("11111111")
        let second = try await fixture.tenant("22222222")
        let claire = try await fixture.activeUser("claire@client.fr", tenant: first)
        _ = try await fixture.accounts.invite("pending@client.fr", tenantID: first.id, language: "en", invitedBy: PortalFixture.inviter)
        let before = try await fixture.outbox().count

        let report = try await fixture.accounts.invite("claire@client.fr, pending@client.fr, fresh@client.fr", tenantID: second.id,
                                                       language: "fr", invitedBy: PortalFixture.inviter)
        #expect(report.invited == ["claire@client.fr", "pending@client.fr", "fresh@client.fr"])
        #expect(report.addedExisting == ["claire@client.fr"])
        #expect(report.invitedAgain == ["pending@client.fr"])
        #expect(try await fixture.outbox().count == before + 3)
        #expect(Set(try await fixture.accounts.memberships(userID: claire.id).map(\.tenant.id)) == [first.id, second.id])
        let again = try #require(try await fixture.mails(to: "pending@client.fr").last)
        #expect(again.subject == "Activate your statusd account")
        #expect(again.text.contains("Ada Lovelace (ada@vendor.fr) invited you to the customer account “Client 22222222” (22222222) on statusd, as a user."))
        let token = try #require(try await fixture.token(sentTo: "pending@client.fr", path: "activate"))
        let pending = try await fixture.accounts.activate(token: token, form: PortalFixture.form(password: "Secret#2026"))
        #expect(Set(try await fixture.accounts.memberships(userID: pending.id).map(\.tenant.id)) == [first.id, second.id])

        let twice = try await fixture.accounts.invite("CLAIRE@client.fr, pending@client.fr", tenantID: second.id, language: "fr", invitedBy: PortalFixture.inviter)
        #expect(twice.invited.isEmpty)
        #expect(twice.refused.map { "\($0.email) \($0.reason)" } == ["claire@client.fr invite_refused_member", "pending@client.fr invite_refused_member"])
        #expect(try await fixture.outbox().count == before + 3, "no mail for a refusal")
    }

    @Test func disabledAccountsAndExpiredInvitationsAreRefused() async throws {
        let fixture = try PortalFixture()
        let first = try await fixture.tenant("11111111")
        let second = try await fixture.tenant("22222222")
        _ = try await fixture.activeUser("gone@client.fr", tenant: first)
        try await fixture.disable("gone@client.fr")
        _ = try await fixture.accounts.invite("late@client.fr", tenantID: first.id, language: "fr", invitedBy: PortalFixture.inviter)
        fixture.clock.advance(AccountLifetimes.activation + 1)
        let report = try await fixture.accounts.invite("gone@client.fr, late@client.fr", tenantID: second.id, language: "fr", invitedBy: PortalFixture.inviter)
        #expect(report.refused.map(\.reason) == ["invite_refused_unusable", "invite_refused_unusable"])
        #expect(try await fixture.accounts.members(tenantID: second.id).isEmpty)
    }

    @Test func invitationMailsNameTheTenantWhoInvitedAndTheRoleEscapedInHTML() async throws {
        let fixture = try PortalFixture()
        let tenant = try await fixture.store.createTenant(Tenant(code: "90266482", name: "Dupont & Fils"))
        let inviter = Inviter(name: "<b>Eve</b>", email: "eve@client.fr")
        _ = try await fixture.accounts.invite("marc@client.fr", tenantID: tenant.id, role: .member, language: "fr", invitedBy: inviter)
        _ = try await fixture.accounts.invite("jane@client.fr", tenantID: tenant.id, role: .admin, language: "en", invitedBy: inviter)
        let marc = try #require(try await fixture.mails(to: "marc@client.fr").first)
        #expect(marc.text.contains("<b>Eve</b> (eve@client.fr) vous a invité dans le compte client « Dupont & Fils » (90266482) sur statusd, en tant qu'utilisateur."))
        #expect(marc.text.contains("Votre identifiant est marc@client.fr."))
        let html = try #require(marc.html)
        #expect(html.contains("&lt;b&gt;Eve&lt;/b&gt; (eve@client.fr)"))
        #expect(html.contains("Dupont &amp; Fils"))
        #expect(!html.contains("<b>Eve"))
        let jane = try #require(try await fixture.mails(to: "jane@client.fr").first)
        #expect(jane.text.contains("<b>Eve</b> (eve@client.fr) invited you to the customer account “Dupont & Fils” (90266482) on statusd, as an administrator."))
    }
}
