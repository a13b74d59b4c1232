import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Notify
import Portal
import StatusModel
import StatusWeb
import Testing

/// The header of public and portal pages: "Se connecter" for a visitor, the signed-in user's
/// name and menu otherwise. The cached pages stay one shared copy, the visitor's: a signed-in
/// reader's menu is spliced into it per request, never stored, never shown to anyone else.
@Suite struct SiteHeaderTests {
    /// Two customers with names of their own (one that needs escaping), each signed in.
    struct Readers {
        let fixture: PortalSiteFixture
        let alice: String
        let bob: String
    }

    static func readers() async throws -> Readers {
        let fixture = try await PortalSiteFixture()
        let tenant = try #require(try await fixture.accountStore.tenant(code: "1000"))
        func signedIn(_ email: String, first: String, last: String, role: Membership.Role) async throws -> String {
            _ = try await fixture.accounts.invite(email, tenantID: tenant.id, role: role, language: "fr",
                                                  invitedBy: Inviter(name: "Test", email: "test@vendor.fr"))
            let user = try #require(try await fixture.accountStore.user(email: email))
            let token = Secrets.token()
            try await fixture.accountStore.issueToken(userID: user.id, purpose: .activation, tokenHash: Secrets.hash(token),
                                                      expiresAt: Date().addingTimeInterval(3600),
                                                      mail: Mail(to: email, subject: "s", text: "t", language: "fr"), now: Date())
            _ = try await fixture.accounts.activate(token: token, form: .init(firstName: first, lastName: last, phone: "1",
                                                                               password: "Secret#2026", confirmation: "Secret#2026"))
            guard case .success(let id, _, _) = try await fixture.accounts.login(email: email, password: "Secret#2026", clientAddress: email) else {
                throw SupportError("login failed for \(email)")
            }
            return id
        }
        return Readers(fixture: fixture,
                       alice: try await signedIn("alice@client.fr", first: "Alice", last: "<Admin>", role: .admin),
                       bob: try await signedIn("bob@client.fr", first: "Bob", last: "Membre", role: .member))
    }

    static func get(_ client: any TestClientProtocol, _ path: String, session: String? = nil, gzip: Bool = false,
                    ifNoneMatch: String? = nil) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        var headers = pageHeaders(session: session)
        if gzip { headers[.acceptEncoding] = "gzip" }
        if let ifNoneMatch { headers[.ifNoneMatch] = ifNoneMatch }
        return try await client.execute(uri: path, method: .get, headers: headers) { response in
            var body = response.body
            let text = response.headers[.contentEncoding] == "gzip" ? String(buffer: try body.decompress(with: .gzip())) : String(buffer: body)
            return (response.status, response.headers, text)
        }
    }

    @Test(arguments: ["/", "/products/loop"])
    func aSignedInNameNeverReachesAnotherReaderNorTheSharedCache(path: String) async throws {
        let readers = try await Self.readers()
        let site = readers.fixture.site
        try await readers.fixture.test { client in
            // Alice asks first: the page is rendered during her request, as the visitor's copy.
            let alice = try await Self.get(client, path, session: readers.alice)
            #expect(alice.status == .ok)
            #expect(alice.body.contains("Alice &lt;Admin&gt;"), "her name in the header, escaped")
            #expect(!alice.body.contains("Alice <Admin>"))
            #expect(alice.body.contains("id=\"menu-admin\""), "an administrator's menu has Administration")
            #expect(alice.body.contains("action=\"/logout\""), "sign-out is a form")
            #expect(!alice.body.contains("id=\"sign-in\""))
            #expect(alice.headers[.cacheControl] == "private, no-cache")
            #expect(await site.renderCount() == 1)

            let visitor = try await Self.get(client, path)
            #expect(visitor.status == .ok)
            #expect(!visitor.body.contains("Alice"), "the shared copy holds no reader's name")
            #expect(visitor.body.contains("id=\"sign-in\""))
            #expect(visitor.body.contains("href=\"/login?next=\(path)\""), "sign-in comes back to this page")
            #expect(visitor.headers[.cacheControl] == "no-cache")

            let bob = try await Self.get(client, path, session: readers.bob)
            #expect(bob.body.contains("Bob Membre"))
            #expect(!bob.body.contains("Alice"), "Bob never sees Alice's name")
            #expect(!bob.body.contains("id=\"menu-admin\""), "a member's menu has no Administration")

            let operatorPage = try await Self.get(client, path, session: readers.fixture.operatorLogin.session)
            #expect(operatorPage.body.contains("id=\"menu-console\""), "staff get the console in their menu")

            // One copy per set of visible products (issue 13): the customers' (Alice and Bob share
            // it), the visitors', the staff's; none per signed-in request.
            #expect(await site.renderCount() == 3, "no page rendered per signed-in request")
            let again = try await Self.get(client, path)
            #expect(again.body == visitor.body && again.headers[.eTag] == visitor.headers[.eTag])
            #expect(await site.renderCount() == 3)

            // Each variant has its own validator: nobody gets a 304 for another reader's page.
            let aliceTag = try #require(alice.headers[.eTag])
            let bobTag = try #require(bob.headers[.eTag])
            let visitorTag = try #require(visitor.headers[.eTag])
            #expect(Set([aliceTag, bobTag, visitorTag]).count == 3)
            #expect(try await Self.get(client, path, session: readers.alice, ifNoneMatch: aliceTag).status == .notModified)
            #expect(try await Self.get(client, path, session: readers.bob, ifNoneMatch: aliceTag).status == .ok)
            #expect(try await Self.get(client, path, ifNoneMatch: aliceTag).status == .ok)

            // gzip, made for her request, is the same page.
            let zipped = try await Self.get(client, path, session: readers.alice, gzip: true)
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.body == alice.body)
            #expect(zipped.headers[.eTag] != aliceTag)
        }
    }

    @Test func portalPagesShowTheSameHeader() async throws {
        let readers = try await Self.readers()
        try await readers.fixture.test { client in
            let services = try await Self.get(client, "/services", session: readers.bob)
            #expect(services.body.contains("Bob Membre") && services.body.contains("id=\"menu-account\""))
            let login = try await Self.get(client, "/login")
            #expect(login.body.contains("id=\"sign-in\" href=\"/login\""), "the login page links to itself without a return")
        }
    }

    @Test func signInReturnsToThePageItWasOpenedFrom() async throws {
        let fixture = try await PortalSiteFixture()
        try await fixture.test { client in
            let form = try await Self.get(client, "/login?next=/products/loop")
            #expect(form.body.contains("name=\"next\" value=\"/products/loop\""))
            let hostile = try await Self.get(client, "/login?next=//evil.test/")
            #expect(!hostile.body.contains("evil.test"), "another host is never carried along")

            func signIn(next: String) async throws -> String? {
                let (headers, body) = formRequest(cookies: ["csrf=\(String(repeating: "c", count: 32))"],
                                                  "csrf=\(String(repeating: "c", count: 32))&email=member%40client.fr&password=Secret%232026&next=\(urlEncoded(next))")
                return try await client.execute(uri: "/login/password", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .seeOther)
                    return response.headers[.location]
                }
            }
            #expect(try await signIn(next: "/products/loop") == "/products/loop")
            #expect(try await signIn(next: "//evil.test/") == "/home")
            #expect(try await signIn(next: "https://evil.test/") == "/home")
            #expect(try await signIn(next: "/\\evil.test") == "/home")
        }
    }

    @Test func theBrandingOfTheConfigHeadsEveryPage() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-brand-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let logo = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>"#
        try logo.write(to: folder.appendingPathComponent("logo.svg"), atomically: true, encoding: .utf8)
        let yaml = """
            branding:
              name: Nuage <Démo>
              logo: logo.svg
              accent: "#ffcc00"
              phone: +33 1 23 45 67 89
              links:
                - label: {fr: Nous contacter, en: Contact us}
                  url: https://www.example.com/contact
            """
        let configPath = folder.appendingPathComponent("statusd.yaml").path
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        let config = try StatusConfig.load(file: configPath, environment: [:])
        let base = try await SiteFixture()
        let site = try await SiteDependencies(store: base.store, calendar: SiteFixture.calendar, historyDays: 25, baseURL: "http://127.0.0.1:8080",
                                              logger: .init(label: "test"), branding: config.branding, clock: { SiteFixture.now })
        try await Application(router: buildRouter(site: site)).test(.router) { client in
            let grid = try await client.fetch("/?lang=en")
            #expect(grid.body.contains("<title>SaaS solutions weather · Nuage &lt;Démo&gt;</title>"))
            #expect(grid.body.contains("id=\"brand-name\">Nuage &lt;Démo&gt;</span>"))
            #expect(grid.body.contains("<a href=\"https://www.example.com/contact\">Contact us</a>"))
            #expect(grid.body.contains("Support by phone: <a href=\"tel:+33123456789\" id=\"support-phone\">+33 1 23 45 67 89</a>"))
            let french = try await client.fetch("/?lang=fr")
            #expect(french.body.contains(">Nous contacter</a>"))

            let logoPath = try #require(grid.body.firstMatch(of: /src="(\/brand\/logo-[0-9a-f]+\.svg)"/).map { String($0.1) })
            let served = try await client.fetch(logoPath)
            #expect(served.status == .ok && served.body == logo)
            #expect(served.headers[.contentType] == "image/svg+xml")
            #expect(served.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let etag = try #require(served.headers[.eTag])
            #expect(try await client.fetch(logoPath, headers: [.ifNoneMatch: etag]).status == .notModified)

            // A yellow accent takes dark text: white on it would be unreadable.
            let css = try await client.fetch("/static/style.css")
            #expect(css.body.contains("--accent: #ffcc00; --on-accent: #000000;"))
        }
    }

    @Test func aSignedInReaderKeepsTheirMenuOnAPageThatIsNotFound() async throws {
        let readers = try await Self.readers()
        try await readers.fixture.test { client in
            let missing = try await Self.get(client, "/products/no-such-product", session: readers.bob)
            #expect(missing.status == .notFound)
            #expect(missing.body.contains("Bob Membre"), "the 404 page still says who is signed in")
            #expect(!missing.body.contains("id=\"sign-in\""))
            let anonymous = try await Self.get(client, "/products/no-such-product")
            #expect(anonymous.status == .notFound)
            #expect(anonymous.body.contains("id=\"sign-in\""))
        }
    }

    @Test func aProtectedPageSendsAVisitorToSignInAndBack() async throws {
        let readers = try await Self.readers()
        try await readers.fixture.test { client in
            let page = try await Self.get(client, "/account")
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/login?next=/account")
            let form = try await Self.get(client, "/login?next=/account")
            #expect(form.body.contains("name=\"next\" value=\"/account\""), "the sign-in form carries the way back")
        }
    }
}
