import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Portal
import StatusModel
@testable import StatusWeb
import Testing

/// What the web layer itself decides: which address a login is throttled on, the current
/// password before a change, one damaged row failing one request, and controllers that stand
/// on their own dependencies.
@Suite struct WebLayerTests {
    /// The portal fixture's accounts behind a site that trusts `proxies`, served on loopback for
    /// real (the peer of a request is then 127.0.0.1, as behind a proxy on the same machine).
    static func liveSite(_ fixture: PortalSiteFixture, proxies: [String]) async throws -> SiteDependencies<SQLiteStatusStore> {
        try await SiteDependencies(store: fixture.store, calendar: SiteFixture.calendar, historyDays: 25, baseURL: PortalSiteFixture.baseURL,
                                   logger: Logger(label: "test"), accounts: fixture.accounts, trustedProxies: proxies)
    }

    /// A sign-in's second step with the anonymous CSRF token, from `forwardedFor` when given.
    static func signIn(_ client: any TestClientProtocol, _ email: String, _ password: String, forwardedFor: String? = nil) async throws -> HTTPResponse.Status {
        var headers = HTTPFields()
        headers[.cookie] = "csrf=\(String(repeating: "c", count: 43))"
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let forwardedFor { headers[HTTPField.Name("X-Forwarded-For")!] = forwardedFor }
        let body = "csrf=\(String(repeating: "c", count: 43))&email=\(urlEncoded(email))&password=\(urlEncoded(password))"
        return try await client.execute(uri: "/login/password", method: .post, headers: headers, body: ByteBuffer(string: body)).status
    }

    @Test func wrongPasswordsForOneAccountNeverLockAnotherAccountFromTheSameAddress() async throws {
        let fixture = try await PortalSiteFixture()
        let app = Application(router: buildRouter(site: try await Self.liveSite(fixture, proxies: [])))
        try await app.test(.live) { client in
            // Refused, then throttled once the account has failed 5 times from this address.
            for attempt in 1...20 {
                let status1 = try await Self.signIn(client, "member@client.fr", "Wrong#2026")
                #expect(status1 == (attempt <= 5 ? .unauthorized : .tooManyRequests))
            }
            let status2 = try await Self.signIn(client, "member@client.fr", "Secret#2026")
            #expect(status2 == .tooManyRequests, "A is throttled from this address")
            let status3 = try await Self.signIn(client, "admin@client.fr", "Secret#2026")
            #expect(status3 == .seeOther, "B's right password still signs in")
            let status4 = try await Self.signIn(client, "ops@vendor.fr", "Secret#2026")
            #expect(status4 == .seeOther, "and so does the operator's")
        }
    }

    @Test func behindATrustedProxyTheForwardedClientIsThrottledAndAnUntrustedPeersHeaderIsIgnored() async throws {
        let trusted = try await PortalSiteFixture()
        try await Application(router: buildRouter(site: try await Self.liveSite(trusted, proxies: ["127.0.0.1"]))).test(.live) { client in
            for attempt in 1...20 {
                let status5 = try await Self.signIn(client, "member@client.fr", "Wrong#2026", forwardedFor: "203.0.113.7")
                #expect(status5 == (attempt <= 5 ? .unauthorized : .tooManyRequests))
            }
            let status6 = try await Self.signIn(client, "member@client.fr", "Secret#2026", forwardedFor: "203.0.113.7")
            #expect(status6 == .tooManyRequests)
            let status7 = try await Self.signIn(client, "admin@client.fr", "Secret#2026", forwardedFor: "203.0.113.7")
            #expect(status7 == .seeOther)
            // Another client behind the same proxy is another address.
            let status8 = try await Self.signIn(client, "member@client.fr", "Secret#2026", forwardedFor: "198.51.100.2, 203.0.113.9")
            #expect(status8 == .seeOther)
        }
        let untrusted = try await PortalSiteFixture()
        try await Application(router: buildRouter(site: try await Self.liveSite(untrusted, proxies: []))).test(.live) { client in
            for attempt in 1...20 {
                let status9 = try await Self.signIn(client, "member@client.fr", "Wrong#2026", forwardedFor: "203.0.113.7")
                #expect(status9 == (attempt <= 5 ? .unauthorized : .tooManyRequests))
            }
            // The header names whatever the sender likes: from an untrusted peer it changes nothing.
            let status10 = try await Self.signIn(client, "member@client.fr", "Secret#2026", forwardedFor: "198.51.100.2")
            #expect(status10 == .tooManyRequests)
        }
    }

    @Test func changingThePasswordAsksForTheCurrentOneAndListsEveryMissedRule() async throws {
        let fixture = try await PortalSiteFixture()
        let member = fixture.member
        try await fixture.test { client in
            try await client.execute(uri: "/password/change", method: .get, headers: pageHeaders(session: member.session)) { response in
                #expect(String(buffer: response.body).contains("id=\"current\""))
            }
            let (headers, wrong) = formRequest(session: member.session, "csrf=\(member.csrf)&current=Nope%232026&password=Better%232027&confirmation=Better%232027")
            try await client.execute(uri: "/password/change", method: .post, headers: headers, body: wrong) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("id=\"current-error\""))
            }
            let (_, weak) = formRequest(session: member.session, "csrf=\(member.csrf)&current=Secret%232026&password=abc&confirmation=abc")
            try await client.execute(uri: "/password/change", method: .post, headers: headers, body: weak) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                // Every rule the password misses, next to the field, not only the first.
                #expect(html.contains(#"id="password-error">at least 8 characters, an upper-case letter, a digit, a special character</p>"#))
            }
            let (_, good) = formRequest(session: member.session, "csrf=\(member.csrf)&current=Secret%232026&password=Better%232027&confirmation=Better%232027")
            try await client.execute(uri: "/password/change", method: .post, headers: headers, body: good) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/account")
            }
        }
        guard case .success = try await fixture.accounts.login(email: "member@client.fr", password: "Better#2027", clientAddress: "t") else {
            Issue.record("the new password does not sign in")
            return
        }
    }

    @Test func aDamagedRowFailsThatRequestWithAnErrorAndTheServerServesTheNextOne() async throws {
        let fixture = try await PortalSiteFixture()
        let ops = fixture.operatorLogin
        try await fixture.test { client in
            // Text where a number is expected, as a broken import or a disk error could leave it.
            try await fixture.database.writer.write { db in try db.execute(sql: "UPDATE product SET position = 'abc' WHERE slug = 'loop'") }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body).contains("<html"), "a page a person can read")
            }
            #expect(try await client.execute(uri: "/staff/products", method: .get, headers: pageHeaders(session: ops.session)).status == .internalServerError)
            try await client.execute(uri: "/api/v1/products", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body).contains(#""code":"internal""#))
            }
            // The process is still up and serves what does not touch the damaged row.
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/login", method: .get).status == .ok)
            try await fixture.database.writer.write { db in try db.execute(sql: "UPDATE product SET position = 1 WHERE slug = 'loop'") }
            #expect(try await client.execute(uri: "/", method: .get).status == .ok)
        }
    }

    @Test func aControllerStandsOnItsOwnDependencies() async throws {
        let fixture = try await SiteFixture()
        let pages = Pages(catalog: try MessageCatalog.bundled(), renderer: try await PageRenderer.bundled(), secureCookies: false)
        let router = Router(context: StatusRequestContext.self)
        let table = RouteTable()
        let routes = SiteRoutes(pages: router.group(), api: router.group("/api/v1"), table: table)
        // Badges need the store, the texts, the calendar, the grid's length and a clock: nothing else.
        BadgeController(store: fixture.store, pages: pages, calendar: SiteFixture.calendar, historyDays: 25, clock: { SiteFixture.now })
            .addRoutes(to: routes)
        #expect(table.all.map(\.path).sorted() == ["/products/{slug}/badge.svg", "/products/{slug}/uptime.svg"])
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/products/loop/badge.svg", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("Cegid Loop"))
            }
        }
    }

    @Test func aRefusedConsoleFormSaysSoAboveTheForm() async throws {
        let fixture = try await PortalSiteFixture()
        let ops = fixture.operatorLogin
        try await fixture.test { client in
            let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&title=&impact=major&status=investigating&message=")
            try await client.execute(uri: "/staff/incidents", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("id=\"form-errors\""))
            }
        }
    }
}
