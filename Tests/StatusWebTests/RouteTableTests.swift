import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Portal
import StatusModel
import StatusWeb
import Testing

/// The whole route table, route by route: who may enter each one, and that everybody else is
/// kept out in the way their client understands (the login page, a JSON 401, a 403, or the
/// password form). A route added without saying who may enter it fails here.
@Suite struct RouteTableTests {
    /// The portal fixture, plus an operator whose password is 100 days old and one key of each kind.
    struct World {
        let fixture: PortalSiteFixture
        let expiredOperator: PortalSiteFixture.Login
        let staffKey: String
        let tenantKey: String

        init() async throws {
            fixture = try await PortalSiteFixture()
            let accounts = fixture.accounts
            let link = try #require(try await accounts.createStaffUser(email: "old-ops@vendor.fr", role: .operator_))
            let user = try await accounts.activate(token: String(link.split(separator: "/").last ?? ""),
                                                   form: .init(firstName: "O", lastName: "Old", phone: "1", password: "Secret#2026", confirmation: "Secret#2026"))
            try await fixture.accountStore.setPassword(userID: user.id, passwordHash: Secrets.hashPassword("Secret#2026", cost: 4),
                                                       at: Date().addingTimeInterval(-100 * 86_400))
            guard case .success(let id, _, let mustChange) = try await accounts.login(email: user.email, password: "Secret#2026",
                                                                                      clientAddress: "old-ops"), mustChange else {
                throw SupportError("the expired operator could not sign in")
            }
            expiredOperator = (user, id, try #require(try await accounts.session(id: id)).session.csrfToken)
            staffKey = try await accounts.createStaffKey(userID: fixture.operatorLogin.user.id, name: "ci").secret
            let tenantID = try #require(try await accounts.memberships(userID: fixture.admin.user.id).first?.tenant.id)
            tenantKey = try await accounts.createAPIKey(tenantID: tenantID, name: "erp").secret
        }
    }

    /// A path of the table with its parameters filled: `{id}` → `value`.
    static func concrete(_ path: String, id: String = "1") -> String {
        var result = path
        for (name, value) in [("slug", "loop"), ("token", "not-a-token"), ("action", "remove"), ("name", "http"), ("provider", "mock")] {
            result = result.replacingOccurrences(of: "{\(name)}", with: value).replacingOccurrences(of: ":\(name)", with: value)
        }
        return result.replacingOccurrences(of: "{id}", with: id).replacingOccurrences(of: ":id", with: id)
    }

    static func headers(session: String? = nil, bearer: String? = nil) -> HTTPFields {
        var headers = pageHeaders(session: session)
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        headers[.contentType] = "application/x-www-form-urlencoded"
        return headers
    }

    @Test func everyRouteSaysWhoMayEnterAndEverybodyElseIsKeptOut() async throws {
        let world = try await World()
        let table = RouteTable()
        let router = buildRouter(site: world.fixture.site, routeTable: table)
        let declared = Dictionary(table.all.map { ("\($0.method.rawValue) \($0.path)", $0.access) }) { first, _ in first }
        // HEAD routes are made from the GET ones when the responder is built.
        let served = router.routes.filter { $0.method != .head }.map { "\($0.method.rawValue) \($0.path)" }
        #expect(served.count > 60, "the whole site: \(served.count) routes")
        #expect(Set(served).subtracting(declared.keys).sorted() == [], "routes added without a guard")
        #expect(Set(declared.keys).subtracting(served).sorted() == [])
        print("Route table (\(table.all.count) routes):")
        for entry in table.all.sorted(by: { ($0.path, $0.method.rawValue) < ($1.path, $1.method.rawValue) }) {
            print("  \(entry.method.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(entry.path.padding(toLength: 48, withPad: " ", startingAt: 0)) \(entry.access.rawValue)")
        }
        let fixture = world.fixture
        let refusals = RefusalLog()
        try await Application(router: router).test(.router) { client in
            for entry in table.all {
                let uri = Self.concrete(entry.path)
                let route = "\(entry.method.rawValue) \(entry.path)"
                func status(session: String? = nil, bearer: String? = nil) async throws -> (HTTPResponse.Status, String?) {
                    try await client.execute(uri: uri, method: entry.method, headers: Self.headers(session: session, bearer: bearer),
                                             body: ByteBuffer(string: "csrf=none")) { ($0.status, $0.headers[.location]) }
                }
                switch entry.access {
                case .anyone:
                    continue
                case .passwordChange, .signedIn, .tenantAdmin, .operator, .agent, .staff:
                    let anonymous = try await status()
                    // A page asked for by GET sends the visitor to sign in and back; other methods to the login alone.
                    // (the password pages themselves send to the plain login).
                    let login = anonymous.1 == "/login" || (entry.method == .get && anonymous.1?.hasPrefix("/login?next=/") == true)
                    refusals.check(anonymous.0 == .seeOther && login, route, "anonymous → \(anonymous)")
                    if entry.access != .passwordChange {
                        let expired = try await status(session: world.expiredOperator.session)
                        refusals.check(expired.0 == .seeOther && expired.1 == "/password/change", route, "expired operator → \(expired)")
                    }
                    if entry.access == .tenantAdmin {
                        refusals.check(try await status(session: fixture.member.session).0 == .forbidden, route, "member")
                    }
                    if entry.access == .operator {
                        refusals.check(try await status(session: fixture.admin.session).0 == .forbidden, route, "customer")
                        refusals.check(try await status(session: fixture.agent.session).0 == .forbidden, route, "agent")
                    }
                    if entry.access == .agent || entry.access == .staff {
                        refusals.check(try await status(session: fixture.admin.session).0 == .forbidden, route, "customer")
                    }
                    // A bearer key opens no page.
                    refusals.check(try await status(bearer: world.staffKey).0 == .seeOther, route, "staff key on a page")
                case .apiKey:
                    try await client.execute(uri: uri, method: entry.method, headers: Self.headers()) { response in
                        refusals.check(response.status == .unauthorized && String(buffer: response.body).contains(#""error""#), route, "no key → \(response.status)")
                    }
                    refusals.check(try await status(session: fixture.operatorLogin.session).0 == .unauthorized, route, "a session cookie")
                case .staffKey, .tenantKey:
                    try await client.execute(uri: uri, method: entry.method, headers: Self.headers()) { response in
                        refusals.check(response.status == .unauthorized && response.headers[.contentType]?.hasPrefix("application/json") == true,
                                       route, "no key → \(response.status)")
                        refusals.check(String(buffer: response.body).contains(#""error""#), route, "a JSON error")
                    }
                    let otherKey = entry.access == .staffKey ? world.tenantKey : world.staffKey
                    refusals.check(try await status(bearer: otherKey).0 == .forbidden, route, "the other kind of key")
                    // A signed-in operator's cookie is no key: the API takes no CSRF token.
                    refusals.check(try await status(session: fixture.operatorLogin.session).0 == .unauthorized, route, "a session cookie")
                }
            }
        }
        #expect(refusals.failures == [])
        #expect(refusals.checked > 200, "\(refusals.checked) refusals checked")
    }

    @Test func theAccessOfKeyRoutesIsWhatTheirPageSays() async throws {
        let world = try await World()
        let table = RouteTable()
        _ = buildRouter(site: world.fixture.site, routeTable: table)
        let access = Dictionary(table.all.map { ("\($0.method.rawValue) \($0.path)", $0.access) }) { first, _ in first }
        #expect(access["GET /"] == .anyone)
        #expect(access["GET /staff/incidents"] == .operator)
        #expect(access["GET /admin/users"] == .tenantAdmin)
        #expect(access["GET /account"] == .signedIn)
        #expect(access["GET /password/change"] == .passwordChange)
        #expect(access["POST /api/v1/incidents"] == .staffKey)
        #expect(access["GET /api/v1/incidents"] == .anyone)
        #expect(access["GET /api/v1/tenant"] == .tenantKey)
    }

    /// A HEAD request is a GET without its body, on every page open to anyone.
    @Test func headAnswersAsGetWithoutTheBody() async throws {
        let world = try await World()
        try await world.fixture.test { client in
            for uri in ["/", "/products/loop", "/login", "/feed.atom", "/api/v1/products", "/api/v2/summary.json"] {
                let get = try await client.execute(uri: uri, method: .get)
                try await client.execute(uri: uri, method: .head) { response in
                    #expect(response.status == get.status, "\(uri)")
                    #expect(response.headers[.contentType] == get.headers[.contentType], "\(uri)")
                    #expect(response.body.readableBytes == 0, "\(uri)")
                }
            }
        }
    }
}

/// Collects what a sweep found wrong, so one run lists every route that fails.
final class RefusalLog: @unchecked Sendable {
    private let lock = NSLock()
    private var found: [String] = []
    private var count = 0

    func check(_ passed: Bool, _ route: String, _ what: String) {
        lock.withLock {
            count += 1
            if !passed { found.append("\(route): \(what)") }
        }
    }

    var failures: [String] { lock.withLock { found } }
    var checked: Int { lock.withLock { count } }
}
