import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Portal
import StatusModel
import StatusWeb
import Testing

/// The one menu of every page: each reader gets the entries of their role, in the seed's
/// order, on the cached pages (spliced in per request) as on the portal's pages; the section
/// read is marked; the user menu leads to the profile, the notifications, the other customer
/// accounts and sign-out.
@Suite struct ShellMenuTests {
    static let anonymous = ["menu-help", "nav-kb", "nav-weather"]
    static let member = ["menu-help", "nav-kb", "nav-weather", "menu-requests"]
    static let admin = ["menu-help", "nav-kb", "nav-weather", "menu-requests", "menu-admin"]
    static let operatorMenu = ["nav-kb", "nav-weather", "menu-console"]
    static let agent = ["nav-kb", "nav-weather", "menu-tickets"]

    @Test(arguments: ["/", "/products/loop"])
    func eachRoleGetsItsEntriesOnACachedPage(path: String) async throws {
        let world = try await ShellWorld()
        let fixture = world.fixture
        try await world.test { client in
            // The member asks first: the shared copy is rendered during a signed-in request.
            let member = try await world.get(client, path, session: fixture.member.session)
            #expect(ShellWorld.menu(member.body) == Self.member)
            let admin = try await world.get(client, path, session: fixture.admin.session)
            #expect(ShellWorld.menu(admin.body) == Self.admin)
            #expect(admin.body.contains("<a id=\"menu-admin\" href=\"/admin\">Administration</a>"))
            let operatorPage = try await world.get(client, path, session: fixture.operatorLogin.session)
            #expect(ShellWorld.menu(operatorPage.body) == Self.operatorMenu)
            #expect(operatorPage.body.contains("<a id=\"menu-console\" href=\"/staff/incidents\">Console</a>"))
            let agent = try await world.get(client, path, session: fixture.agent.session)
            #expect(ShellWorld.menu(agent.body) == Self.agent)
            #expect(agent.body.contains("<a id=\"menu-tickets\" href=\"/staff/tickets\">Console</a>"))
            // The shared copy stays the visitor's: no role's entry, no user menu.
            let visitor = try await world.get(client, path)
            #expect(ShellWorld.menu(visitor.body) == Self.anonymous)
            #expect(visitor.body.contains("id=\"sign-in\"") && !visitor.body.contains("id=\"menu-user\""))
            // One copy per set of visible products: the tenant's users share one, staff another, visitors the public one.
            #expect(await fixture.site.renderCount() == 3, "one render per audience, whoever the reader")
        }
    }

    @Test func eachRoleGetsItsEntriesOnAPortalPage() async throws {
        let world = try await ShellWorld()
        let fixture = world.fixture
        try await world.test { client in
            #expect(ShellWorld.menu(try await world.get(client, "/login").body) == Self.anonymous)
            #expect(ShellWorld.menu(try await world.get(client, "/account", session: fixture.member.session).body) == Self.member)
            #expect(ShellWorld.menu(try await world.get(client, "/account", session: fixture.admin.session).body) == Self.admin)
            #expect(ShellWorld.menu(try await world.get(client, "/account", session: fixture.operatorLogin.session).body) == Self.operatorMenu)
            #expect(ShellWorld.menu(try await world.get(client, "/account", session: fixture.agent.session).body) == Self.agent)
            // The console's pages carry the same menu, and the console's own nav leads to the news.
            let console = try await world.get(client, "/staff/incidents", session: fixture.operatorLogin.session)
            #expect(ShellWorld.menu(console.body) == Self.operatorMenu)
            #expect(console.body.contains("id=\"nav-news\""))
        }
    }

    @Test func theSectionReadIsMarked() async throws {
        let world = try await ShellWorld()
        let fixture = world.fixture
        try await world.test { client in
            #expect(try await world.get(client, "/").body.contains("<a id=\"nav-weather\" href=\"/\" aria-current=\"page\">"))
            let kb = try await world.get(client, "/kb", session: fixture.member.session).body
            #expect(kb.contains("<a id=\"nav-kb\" href=\"/kb\" aria-current=\"page\">"))
            #expect(!kb.contains("<a id=\"nav-weather\" href=\"/\" aria-current"))
            #expect(try await world.get(client, "/requests", session: fixture.member.session).body
                .contains("<a id=\"menu-requests\" href=\"/requests\" aria-current=\"page\">"))
            #expect(try await world.get(client, "/admin/users", session: fixture.admin.session).body
                .contains("<a id=\"menu-admin\" href=\"/admin\" aria-current=\"page\">"))
            #expect(try await world.get(client, "/staff/maintenance", session: fixture.operatorLogin.session).body
                .contains("<a id=\"menu-console\" href=\"/staff/incidents\" aria-current=\"page\">"))
            let home = try await world.get(client, "/home", session: fixture.member.session).body
            #expect(home.contains("<a href=\"/home\" id=\"menu-home\" aria-current=\"page\">"))
            #expect(try await world.get(client, "/account", session: fixture.member.session).body
                .contains("<a href=\"/account\" id=\"menu-account\" aria-current=\"page\">"))
        }
    }

    @Test func theUserMenuLeadsToProfileNotificationsAndSignOut() async throws {
        let world = try await ShellWorld()
        let fixture = world.fixture
        try await world.test { client in
            let page = try await world.get(client, "/", session: fixture.member.session).body
            #expect(page.contains("<summary id=\"menu-user\"><span class=\"menu-name\">F L</span></summary>"), "no badge while nothing is unread")
            #expect(page.contains("<a href=\"/home\" id=\"menu-home\">Home</a>"))
            #expect(page.contains("<a href=\"/account\" id=\"menu-account\">My profile</a>"))
            #expect(page.contains("<a href=\"/notifications\" id=\"menu-notifications\">Notifications</a>"))
            #expect(page.contains("<input type=\"hidden\" name=\"csrf\" value=\"\(fixture.member.csrf)\"><button type=\"submit\" id=\"menu-logout\">Sign out</button>"))
            #expect(!page.contains("id=\"menu-tenants\""), "one customer account: nothing to switch to")
            // Staff have no home page of their own.
            #expect(!(try await world.get(client, "/", session: fixture.operatorLogin.session).body.contains("id=\"menu-home\"")))
            // Signing out from the menu ends the session.
            let out = try await world.post(client, "/logout", session: fixture.member.session, "csrf=\(fixture.member.csrf)")
            #expect(out.status == .seeOther)
            #expect(try await world.get(client, "/account", session: fixture.member.session).status == .seeOther)
        }
    }

    @Test func aUserOfSeveralTenantsSwitchesFromTheMenu() async throws {
        let world = try await ShellWorld()
        let fixture = world.fixture
        let other = try await fixture.accountStore.createTenant(Tenant(code: "2000", name: "Client B"))
        _ = try await fixture.accounts.invite("member@client.fr", tenantID: other.id, role: .admin, language: "fr",
                                              invitedBy: Inviter(name: "Test", email: "test@vendor.fr"))
        let stranger = try await fixture.accountStore.createTenant(Tenant(code: "3000", name: "Client C"))
        try await world.test { client in
            let before = try await world.get(client, "/", session: fixture.member.session).body
            #expect(before.contains("<span class=\"menu-heading\">Switch customer account</span><span class=\"menu-current\" id=\"menu-current-tenant\">Client A (1000)</span>"))
            #expect(before.contains("<input type=\"hidden\" name=\"tenant\" value=\"\(other.id)\"><button type=\"submit\" id=\"menu-tenant-\(other.id)\">Client B (2000)</button>"))
            #expect(!before.contains("menu-admin"), "a member of Client A")
            let switched = try await world.post(client, "/account/tenant", session: fixture.member.session, "csrf=\(fixture.member.csrf)&tenant=\(other.id)")
            #expect(switched.status == .seeOther)
            let after = try await world.get(client, "/home", session: fixture.member.session).body
            #expect(after.contains("id=\"menu-current-tenant\">Client B (2000)</span>"))
            #expect(ShellWorld.menu(after).contains("menu-admin"), "the administrator of Client B now")
            // A tenant the user does not belong to: 404, and the session stays where it was.
            let refused = try await world.post(client, "/account/tenant", session: fixture.member.session, "csrf=\(fixture.member.csrf)&tenant=\(stranger.id)")
            #expect(refused.status == .notFound)
            #expect(try await world.get(client, "/home", session: fixture.member.session).body.contains("id=\"menu-current-tenant\">Client B (2000)</span>"))
        }
    }

    @Test func signingInLandsACustomerOnTheHomePage() async throws {
        let world = try await ShellWorld()
        try await world.test { client in
            func signIn(_ email: String) async throws -> String? {
                let csrf = String(repeating: "c", count: 32)
                let (headers, body) = formRequest(cookies: ["csrf=\(csrf)"], "csrf=\(csrf)&email=\(urlEncoded(email))&password=Secret%232026")
                return try await client.execute(uri: "/login/password", method: .post, headers: headers, body: body) { $0.headers[.location] }
            }
            #expect(try await signIn("member@client.fr") == "/home")
            // Staff have no customer account: /home sends them on to their account page, as before.
            let staffHome = try await world.get(client, "/home", session: world.fixture.operatorLogin.session)
            #expect(staffHome.status == .seeOther && staffHome.headers[.location] == "/account")
        }
    }
}
