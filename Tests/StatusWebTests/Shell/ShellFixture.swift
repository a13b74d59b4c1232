import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Portal
import StatusModel
import StatusWeb
import Testing

/// The portal fixture as the shell's tests use it: pages fetched in a language, the ids of the
/// menu's entries, a service that gives a user some products ("Mes services"), tickets opened
/// on the same database.
struct ShellWorld {
    let fixture: PortalSiteFixture
    let tickets: TicketService
    let tenant: Tenant

    init() async throws {
        fixture = try await PortalSiteFixture()
        let clock = fixture.clock
        tickets = TicketService(store: SQLiteTicketStore(database: fixture.database), accounts: fixture.accountStore,
                                forms: try TicketFormsReader.load(file: TicketsFixture.formsFile), baseURL: PortalSiteFixture.baseURL,
                                clock: { clock.now })
        tenant = try #require(try await fixture.accountStore.tenant(code: "1000"))
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await fixture.test(body)
    }

    typealias Page = (status: HTTPResponse.Status, body: String, headers: HTTPFields)

    func get(_ client: any TestClientProtocol, _ uri: String, session: String? = nil) async throws -> Page {
        try await client.execute(uri: uri, method: .get, headers: pageHeaders(session: session)) { ($0.status, String(buffer: $0.body), $0.headers) }
    }

    func post(_ client: any TestClientProtocol, _ uri: String, session: String?, _ body: String) async throws -> Page {
        let (headers, buffer) = formRequest(session: session, body)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: buffer) { ($0.status, String(buffer: $0.body), $0.headers) }
    }

    /// An accepted subscription of `user` to a service covering `products` (what an
    /// administrator's decision leaves in the tables), so `context.audience.mine` holds them.
    func give(_ user: User, service name: String, products: [String]) async throws {
        try await fixture.database.writer.write { db in
            try db.execute(sql: "INSERT INTO service (name, family) VALUES (?, 'Services en ligne')", arguments: [name])
            let serviceID = db.lastInsertedRowID
            for slug in products {
                try db.execute(sql: "INSERT INTO serviceProduct (serviceID, productSlug) VALUES (?, ?)", arguments: [serviceID, slug])
            }
            try db.execute(sql: """
                INSERT INTO serviceSubscription (tenantID, userID, serviceID, state, requestedAt, decidedAt) VALUES (?, ?, ?, 'accepted', 0, 0)
                """, arguments: [tenant.id, user.id, serviceID])
        }
    }

    /// A ticket opened by `user` in the fixture's tenant, as the help form would.
    @discardableResult
    func open(by user: User, subject description: String) async throws -> Ticket {
        try await tickets.open(TicketRequest(type: "portal", theme: "portal", subTheme: "administration", precision: "sign_in", productSlug: nil,
                                             impact: nil, fields: [:], description: description, followUpEmails: "", attachments: []),
                               by: user, tenantID: tenant.id, allowedProducts: ["loop", "stream", "xrp"])
    }

    /// The ids of the site menu's entries, in order.
    static func menu(_ body: String) -> [String] {
        guard let start = body.range(of: "<ul class=\"nav-links\" id=\"nav-links\">"),
              let end = body[start.upperBound...].range(of: "</ul>") else { return [] }
        return body[start.upperBound..<end.lowerBound].components(separatedBy: "<a id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }
}
