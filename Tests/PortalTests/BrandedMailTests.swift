import Foundation
import Notify
import Portal
import StatusModel
import Testing

/// Account mails carry the site's name as the pages do: in the subject, the text and the
/// signature, in the reader's language.
@Suite struct BrandedMailTests {
    @Test func anInvitationNamesTheSiteAndIsSignedWithIt() async throws {
        let fixture = try PortalFixture()
        let accounts = AccountService(store: fixture.store, baseURL: PortalFixture.baseURL,
                                      siteName: StatusConfig.Branding.Text(fr: "Météo Nuage", en: "Cloud Weather"), passwords: PasswordHasher(cost: 4))
        let tenant = try await fixture.tenant()
        _ = try await accounts.invite("eve@client.fr", tenantID: tenant.id, language: "fr", invitedBy: PortalFixture.inviter)
        _ = try await accounts.invite("bob@client.fr", tenantID: tenant.id, language: "en", invitedBy: PortalFixture.inviter)
        let mails = try await fixture.outbox()
        let french = try #require(mails.first { $0.to == "eve@client.fr" })
        #expect(french.subject == "Activez votre compte Météo Nuage")
        #expect(french.text.hasSuffix("— Météo Nuage\n\(PortalFixture.baseURL)"))
        #expect(french.html?.contains("— Météo Nuage<br>") == true)
        let english = try #require(mails.first { $0.to == "bob@client.fr" })
        #expect(english.subject == "Activate your Cloud Weather account")
        #expect(english.text.hasSuffix("— Cloud Weather\n\(PortalFixture.baseURL)"))
    }
}
