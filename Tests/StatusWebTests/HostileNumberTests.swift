import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Portal
import StatusModel
import StatusWeb
import Testing

/// Numbers a request brings are range-checked before any arithmetic: `page=Int.max` once
/// stopped the whole process (an overflow trap) for every tenant, the status pages and the
/// probes. Each hostile value gets a 4xx, and the router goes on serving; a trap would end
/// this test process, so getting to the last line is part of the proof.
@Suite struct HostileNumberTests {
    static let hostile = ["9223372036854775807", "-9223372036854775808", "-1", "0", "1e30", "NaN", ""]

    /// Who may call a route, as the sweep signs in to get past its guard.
    enum Caller { case anonymous, member, admin, operatorSession, staffKey }

    /// The numeric query parameters and form fields of the route table: (method, path, where, caller).
    static let numericInputs: [(HTTPRequest.Method, String, String, Caller)] = [
        (.get, "/admin/users", "query:page", .admin),
        (.get, "/admin/users", "query:per", .admin),
        (.get, "/api/v1/days", "query:days", .anonymous),
        (.get, "/api/v1/products/loop/days", "query:days", .anonymous),
        (.get, "/api/v1/incidents", "query:limit", .anonymous),
        (.get, "/api/v1/maintenance", "query:from", .anonymous),
        (.get, "/api/v1/maintenance", "query:to", .anonymous),
        (.get, "/products/loop/uptime.svg", "query:days", .anonymous),
        (.post, "/staff/products", "form:position", .operatorSession),
        (.post, "/staff/products/loop", "form:position", .operatorSession),
        (.post, "/account/tenant", "form:tenant", .member),
        (.post, "/admin/groups/1/members", "form:user", .admin),
        (.post, "/api/v1/products", "json:position", .staffKey),
        (.patch, "/api/v1/products/loop", "json:position", .staffKey),
    ]

    @Test func everyNumericParameterAndFieldRefusesHostileNumbersWithA4xx() async throws {
        let world = try await RouteTableTests.World()
        let fixture = world.fixture
        // A console product to edit, so `/staff/products/{slug}` is a product of the console.
        try await fixture.store.saveConsoleProduct(Product(slug: "console", name: "Console", family: "F", position: 9,
                                                           monitoredSince: SiteFixture.now, origin: .console))
        let table = RouteTable()
        let router = buildRouter(site: fixture.site, routeTable: table)
        let log = RefusalLog()
        try await Application(router: router).test(.router) { client in
            func send(_ method: HTTPRequest.Method, _ path: String, caller: Caller, query: String = "", form: String? = nil,
                      json: String? = nil) async throws -> HTTPResponse.Status {
                var headers = HTTPFields()
                var body = ""
                switch caller {
                case .anonymous: break
                case .member: headers[.cookie] = "sid=\(fixture.member.session)"; body = "csrf=\(fixture.member.csrf)"
                case .admin: headers[.cookie] = "sid=\(fixture.admin.session)"; body = "csrf=\(fixture.admin.csrf)"
                case .operatorSession: headers[.cookie] = "sid=\(fixture.operatorLogin.session)"; body = "csrf=\(fixture.operatorLogin.csrf)"
                case .staffKey: headers[.authorization] = "Bearer \(world.staffKey)"
                }
                if let form {
                    headers[.contentType] = "application/x-www-form-urlencoded"
                    body += "&" + form
                }
                if let json {
                    headers[.contentType] = "application/json"
                    body = json
                }
                return try await client.execute(uri: path + query, method: method, headers: headers, body: ByteBuffer(string: body)) { $0.status }
            }
            for (method, path, input, caller) in Self.numericInputs {
                let parts = input.split(separator: ":").map(String.init)
                for value in Self.hostile {
                    let encoded = urlEncoded(value)
                    let status: HTTPResponse.Status
                    switch parts[0] {
                    case "query": status = try await send(method, path, caller: caller, query: "?\(parts[1])=\(encoded)")
                    case "form":
                        let form = "\(parts[1])=\(encoded)&slug=newproduct&name=Name&family=F&visibility=public"
                        status = try await send(method, path == "/staff/products/loop" ? "/staff/products/console" : path, caller: caller, form: form)
                    default:
                        let number = value.isEmpty ? "\"\"" : (value == "NaN" ? "NaN" : value)
                        status = try await send(method, path, caller: caller, json: #"{"slug":"made-\#(abs(value.hashValue % 1000))","name":"N","position":\#(number)}"#)
                    }
                    log.check((400..<500).contains(status.code), "\(method.rawValue) \(path) \(input)", "\(value) → \(status.code)")
                }
            }
            // Every route whose path carries a number, with each hostile number in its place.
            for entry in table.all where entry.path.contains("{id}") {
                let caller: Caller = switch entry.access {
                case .tenantAdmin: .admin
                case .operator, .agent: .operatorSession
                case .staffKey: .staffKey
                default: .member
                }
                for value in Self.hostile where !value.isEmpty {
                    let path = RouteTableTests.concrete(entry.path, id: urlEncoded(value))
                    let status = try await send(entry.method, path, caller: caller, form: "reason=r&role=admin&user=1")
                    log.check((400..<500).contains(status.code), "\(entry.method.rawValue) \(entry.path)", "\(value) → \(status.code)")
                }
            }
            // Still serving.
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
        #expect(log.failures == [])
        #expect(log.checked >= Self.numericInputs.count * Self.hostile.count)
    }

    /// Every page, JSON answer and image of the route table carries the security headers, error pages included.
    @Test func securityHeadersAreOnEveryAnswer() async throws {
        let world = try await RouteTableTests.World()
        let table = RouteTable()
        let router = buildRouter(site: world.fixture.site, routeTable: table)
        let log = RefusalLog()
        try await Application(router: router).test(.router) { client in
            let uris = table.all.filter { $0.method == .get }.map { RouteTableTests.concrete($0.path) } + ["/no/such/page", "//evil.test/"]
            for uri in uris {
                for session in [nil, world.fixture.operatorLogin.session] {
                    try await client.execute(uri: uri, method: .get, headers: pageHeaders(session: session)) { response in
                        let policy = response.headers[.contentSecurityPolicy] ?? ""
                        log.check(policy.contains("frame-ancestors 'none'"), uri, "CSP frame-ancestors (\(response.status))")
                        log.check(response.headers[.xContentTypeOptions] == "nosniff", uri, "nosniff")
                        log.check(response.headers[HTTPField.Name("Referrer-Policy")!] != nil, uri, "Referrer-Policy")
                        if response.headers[.contentType]?.hasPrefix("text/html") == true {
                            log.check(policy.contains("script-src 'self'"), uri, "pages run only the site's script")
                        }
                    }
                }
            }
        }
        #expect(log.failures == [])
    }

    /// The language switch of any page, the 404 of `//evil.test/` included, stays on this site.
    @Test func theLanguageSwitchNeverLinksToAnotherHost() async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            for uri in ["//evil.test/", "/", "/products/loop", "/no/such/page"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("href=\"?lang=en\""), "\(uri)")
                    #expect(!html.contains("evil.test/?lang"), "\(uri)")
                }
            }
        }
    }
}
