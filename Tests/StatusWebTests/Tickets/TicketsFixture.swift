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

/// The portal fixture with support requests: the shipped forms file, the SQLite ticket store on
/// the same database, and a second tenant with its administrator (for the 404s).
struct TicketsFixture {
    typealias Login = PortalSiteFixture.Login
    static let formsFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config/ticket-forms.yaml").path

    let portal: PortalSiteFixture
    let tickets: SQLiteTicketStore
    let service: TicketService
    let site: SiteDependencies<SQLiteStatusStore>
    let tenantA: Tenant
    let tenantB: Tenant
    let adminB: Login

    var admin: Login { portal.admin }
    var member: Login { portal.member }
    var agent: Login { portal.agent }

    init() async throws {
        let portal = try await PortalSiteFixture()
        self.portal = portal
        let forms = try TicketFormsReader.load(file: Self.formsFile)
        tickets = SQLiteTicketStore(database: portal.database)
        let clock = portal.clock
        service = TicketService(store: tickets, accounts: portal.accountStore, forms: forms, baseURL: PortalSiteFixture.baseURL, clock: { clock.now })
        site = try await SiteDependencies(store: portal.store, calendar: SiteFixture.calendar, historyDays: 25, baseURL: PortalSiteFixture.baseURL,
                                          logger: Logger(label: "test"), accounts: portal.accounts, outbox: portal.outbox,
                                          subscriptions: portal.subscriptions, serviceCatalog: portal.serviceCatalog,
                                          knowledgeBase: portal.knowledgeBase, tickets: TicketSite(service: service),
                                          attachments: portal.attachments, clock: { clock.now })
        tenantA = try #require(try await portal.accounts.memberships(userID: portal.admin.user.id).first?.tenant)
        let tenantB = try await portal.accountStore.createTenant(Tenant(code: "2000", name: "Client B"))
        self.tenantB = tenantB
        _ = try await portal.accounts.invite("admin@client-b.fr", tenantID: tenantB.id, role: .admin, language: "fr",
                                             invitedBy: Inviter(name: "Test", email: "test@vendor.fr"))
        let user = try #require(try await portal.accountStore.user(email: "admin@client-b.fr"))
        let token = Secrets.token()
        try await portal.accountStore.issueToken(userID: user.id, purpose: .activation, tokenHash: Secrets.hash(token), expiresAt: Date().addingTimeInterval(3600),
                                                 mail: Mail(to: user.email, subject: "s", text: "t", language: "fr"), now: Date())
        _ = try await portal.accounts.activate(token: token, form: .init(firstName: "Bea", lastName: "Bernard", phone: "1", password: "Secret#2026",
                                                                         confirmation: "Secret#2026"))
        guard case .success(let sessionID, _, _) = try await portal.accounts.login(email: user.email, password: "Secret#2026", clientAddress: "b") else {
            throw SupportError("tenant B's administrator could not sign in")
        }
        adminB = (user, sessionID, try #require(try await portal.accounts.session(id: sessionID)).session.csrfToken)
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: buildRouter(site: site)).test(.router, body)
    }

    /// A ticket opened by `login` in tenant A through the service, as the form would.
    @discardableResult
    func open(by login: Login, type: String = "portal", path: [String] = ["portal", "administration", "sign_in"], description: String = "Je n'arrive pas à me connecter au portail.",
              product: String? = nil, attachments: [TakenAttachment] = [], followUps: String = "") async throws -> Ticket {
        try await service.open(TicketRequest(type: type, theme: path[0], subTheme: path[1], precision: path[2], productSlug: product,
                                             impact: type == "incident" ? "minor" : nil,
                                             fields: type == "incident" ? ["problem": "error_message"] : [:], description: description,
                                             followUpEmails: followUps, attachments: attachments),
                               by: login.user, tenantID: tenantA.id, allowedProducts: ["loop", "stream", "xrp"])
    }

    /// The ticket as staff read it (the truth, to compare before and after a refused request).
    func staffView(_ number: TicketNumber) async throws -> (Ticket?, [TicketMessage]) {
        (try await tickets.ticket(number, for: .staff), try await tickets.messages(of: number, for: .staff))
    }

    func get(_ client: any TestClientProtocol, _ uri: String, session: String?) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        try await client.execute(uri: uri, method: .get, headers: pageHeaders(session: session)) { ($0.status, String(buffer: $0.body), $0.headers) }
    }

    func post(_ client: any TestClientProtocol, _ uri: String, session: String, _ body: String) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        let (headers, buffer) = formRequest(session: session, body)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: buffer) { ($0.status, String(buffer: $0.body), $0.headers) }
    }

    func postMultipart(_ client: any TestClientProtocol, _ uri: String, session: String, _ form: MultipartBody) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        var headers = HTTPFields()
        headers[.contentType] = MultipartBody.contentType
        headers[.cookie] = "sid=\(session)"
        headers[.acceptLanguage] = "en"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: form.encoded())) {
            ($0.status, String(buffer: $0.body), $0.headers)
        }
    }
}
