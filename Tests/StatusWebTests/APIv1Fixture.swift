import Foundation
import Notify
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Portal
import StatusModel
import StatusWeb
import Synchronization
import Testing

/// A site with accounts and products on one in-memory database, at SiteFixture's fixed time:
/// an operator with a staff key (and a portal session), and tenant A's administrator with a
/// tenant key.
struct APIWorld {
    let base: TenantIsolationTests.World
    let store: SQLiteStatusStore
    let site: SiteDependencies<SQLiteStatusStore>
    let subscriptions: SubscriptionService
    let operatorUser: User
    let operatorSession: String
    let operatorCSRF: String
    let staffKey: String
    let tenantKey: String

    /// Which bearer a request carries.
    enum Key { case staff, tenant, none, other(String) }

    init() async throws {
        base = try await TenantIsolationTests.World()
        store = SQLiteStatusStore(database: base.database, calendar: SiteFixture.calendar)
        try await store.syncProducts([
            Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: SiteFixture.longAgo),
            Product(slug: "stream", name: "Cegid Stream", family: "Finance", position: 2, monitoredSince: SiteFixture.longAgo),
            Product(slug: "secret", name: "Secret Beta", family: "Gestion", position: 4, visibility: .hidden, monitoredSince: SiteFixture.longAgo),
        ])
        let accounts = base.accounts
        let link = try #require(try await accounts.createStaffUser(email: "ops@vendor.fr", role: .operator_))
        operatorUser = try await accounts.activate(token: String(link.split(separator: "/").last ?? ""),
                                                   form: .init(firstName: "O", lastName: "P", phone: "1", password: "Secret#2026", confirmation: "Secret#2026"))
        guard case .success(let session, _, _) = try await accounts.login(email: "ops@vendor.fr", password: "Secret#2026", clientAddress: "t") else {
            throw APIWorldError.loginFailed
        }
        operatorSession = session
        operatorCSRF = try #require(try await accounts.session(id: session)).session.csrfToken
        staffKey = try await accounts.createStaffKey(userID: operatorUser.id, name: "deploy bot").secret
        tenantKey = try await accounts.createAPIKey(tenantID: base.tenantA.id, name: "tenant script").secret
        subscriptions = SubscriptionService(store: SQLiteSubscriptionStore(database: base.database), baseURL: "http://status.test")
        site = try await SiteDependencies(store: store, calendar: SiteFixture.calendar, historyDays: 25, baseURL: "http://status.test",
                                    logger: Logger(label: "test"), accounts: accounts, subscriptions: subscriptions,
                                    serviceCatalog: ServiceCatalog(store: SQLiteServiceStore(database: base.database), accounts: base.store,
                                                                   baseURL: "http://status.test"),
                                    knowledgeBase: try await TestKnowledgeBase.make(database: base.database).0,
                                    tickets: TicketSite(service: TicketService(store: SQLiteTicketStore(database: base.database), accounts: base.store,
                                                                               forms: TicketStaffWorld.forms, baseURL: "http://status.test")),
                                    clock: { SiteFixture.now })
    }

    enum APIWorldError: Error { case loginFailed }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: buildRouter(site: site)).test(.router, body)
    }

    func headers(_ key: Key) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        switch key {
        case .staff: headers[.authorization] = "Bearer \(staffKey)"
        case .tenant: headers[.authorization] = "Bearer \(tenantKey)"
        case .none: break
        case .other(let value): headers[.authorization] = value
        }
        return headers
    }

    /// Runs one request and reads its answer as JSON.
    func call(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, key: Key = .none,
              body: String? = nil) async throws -> APIAnswer {
        let response = try await client.execute(uri: uri, method: method, headers: headers(key), body: body.map { ByteBuffer(string: $0) })
        return APIAnswer(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }
}

/// A response of the API, its body parsed as JSON when it is.
struct APIAnswer {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// The `error` object of a refusal.
    var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
    var errorCode: String? { error["code"] as? String }
    var errorField: String? { error["field"] as? String }

    subscript(key: String) -> Any? { json[key] }
}

/// Carries a value out of a `@Sendable` test closure.
final class SendableBox: Sendable {
    private let text = Mutex("")
    var value: String { text.withLock { $0 } }
    func set(_ value: String) { text.withLock { $0 = value } }
}
