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

/// The portal of `PortalSiteFixture` with support tickets on the same database: tenant A
/// (its administrator and member) and tenant B (its administrator), an API key for each and a
/// staff key, an incident running on Cegid Loop, and four tickets opened through the service.
struct TicketStaffWorld {
    typealias Login = PortalSiteFixture.Login
    let fixture: PortalSiteFixture
    let ticketStore: SQLiteTicketStore
    let service: TicketService
    let site: SiteDependencies<SQLiteStatusStore>
    let tenantA: Tenant
    let tenantB: Tenant
    let tenantBAdmin: Login
    let staffKey: String
    let tenantAKey: String
    let tenantBKey: String
    let incident: Incident
    /// Tenant A's member, an incident on Cegid Loop, priority 1 (blocking).
    let memberIncidentTicket: Ticket
    /// Tenant A's administrator, an administrative request.
    let adminRequest: Ticket
    /// Tenant B's administrator, an incident on Cegid Loop.
    let tenantBIncidentTicket: Ticket
    /// Tenant B's administrator, an incident on Cegid Stream (not the incident's product).
    let tenantBStreamTicket: Ticket

    /// The forms file as the tests need it: an incident type with products and impacts, and an
    /// administrative type with one level of themes.
    static let forms = TicketForms(
        types: [
            RequestType(key: "incident", label: LocalizedText(fr: "Pour un incident", en: "For an incident"),
                        summary: LocalizedText(fr: "Un produit ne marche pas", en: "A product does not work"),
                        fields: [TicketField(key: "error_shown", label: LocalizedText(fr: "Erreur affichée", en: "Error shown"), kind: .text)],
                        asksProduct: true, asksImpact: true, asksProject: false),
            RequestType(key: "administrative", label: LocalizedText(fr: "Pour une demande administrative", en: "For an administrative request"),
                        summary: LocalizedText(fr: "Factures, contrats", en: "Invoices, contracts"),
                        themes: [TicketChoice(key: "billing", label: LocalizedText(fr: "Facturation", en: "Billing"))], asksProject: false),
        ],
        impacts: [
            TicketImpact(key: "minor", label: LocalizedText(fr: "Problème mineur", en: "Minor problem"), priority: .low),
            TicketImpact(key: "blocking", label: LocalizedText(fr: "Arrêt complet bloquant mon activité", en: "Complete stop"), priority: .critical),
        ],
        firstResponseHours: [.critical: 1, .high: 4, .moderate: 8, .low: 24])

    init() async throws {
        fixture = try await PortalSiteFixture()
        let accounts = fixture.accounts
        let accountStore = fixture.accountStore
        let clock = fixture.clock
        ticketStore = SQLiteTicketStore(database: fixture.database)
        service = TicketService(store: ticketStore, accounts: accountStore, forms: Self.forms, baseURL: PortalSiteFixture.baseURL,
                                clock: { clock.now })
        site = try await SiteDependencies(store: fixture.store, calendar: SiteFixture.calendar, historyDays: 25, baseURL: PortalSiteFixture.baseURL,
                                          logger: Logger(label: "test"), accounts: accounts, outbox: fixture.outbox,
                                          subscriptions: fixture.subscriptions, serviceCatalog: fixture.serviceCatalog,
                                          knowledgeBase: fixture.knowledgeBase, tickets: TicketSite(service: service),
                                          attachments: fixture.attachments, clock: { clock.now })
        tenantA = try #require(try await accounts.memberships(userID: fixture.admin.user.id).first?.tenant)
        tenantB = try await accountStore.createTenant(Tenant(code: "2000", name: "Client B"))
        _ = try await accounts.invite("admin@client-b.fr", tenantID: tenantB.id, role: .admin, language: "fr",
                                      invitedBy: Inviter(name: "Test", email: "test@vendor.fr"))
        let user = try #require(try await accountStore.user(email: "admin@client-b.fr"))
        let token = Secrets.token()
        try await accountStore.issueToken(userID: user.id, purpose: .activation, tokenHash: Secrets.hash(token), expiresAt: Date().addingTimeInterval(3600),
                                          mail: Mail(to: user.email, subject: "s", text: "t", language: "fr"), now: Date())
        _ = try await accounts.activate(token: token, form: .init(firstName: "Bea", lastName: "Bernard", phone: "1", password: "Secret#2026",
                                                                  confirmation: "Secret#2026"))
        guard case .success(let sessionID, _, _) = try await accounts.login(email: user.email, password: "Secret#2026", clientAddress: "b") else {
            throw SupportError("tenant B's administrator could not sign in")
        }
        let bAdmin = try #require(try await accounts.session(id: sessionID))
        tenantBAdmin = (bAdmin.user, sessionID, bAdmin.session.csrfToken)
        staffKey = try await accounts.createStaffKey(userID: fixture.operatorLogin.user.id, name: "tickets").secret
        tenantAKey = try await accounts.createAPIKey(tenantID: tenantA.id, name: "a").secret
        tenantBKey = try await accounts.createAPIKey(tenantID: tenantB.id, name: "b").secret

        var incident = Incident(id: IncidentID.make(), title: "Lenteurs sur Cegid Loop", impact: .major, productSlugs: ["loop"],
                                startedAt: clock.now.addingTimeInterval(-2 * 3600))
        incident.post(.init(status: .investigating, message: "Nous analysons des lenteurs.", at: incident.startedAt))
        try await fixture.store.save(incident)
        self.incident = incident

        let products = ["loop", "stream", "xrp"]
        memberIncidentTicket = try await service.open(
            TicketRequest(type: "incident", productSlug: "loop", impact: "blocking", fields: ["error_shown": "Erreur 504"],
                          description: "La saisie des factures ne répond plus depuis ce matin."),
            by: fixture.member.user, tenantID: tenantA.id, allowedProducts: products)
        adminRequest = try await service.open(
            TicketRequest(type: "administrative", theme: "billing", description: "Merci de renvoyer la facture de novembre.",
                          followUpEmails: "compta@client.fr"),
            by: fixture.admin.user, tenantID: tenantA.id, allowedProducts: products)
        tenantBIncidentTicket = try await service.open(
            TicketRequest(type: "incident", productSlug: "loop", impact: "minor", description: "Les écrans de Loop sont lents.",
                          followUpEmails: "dsi@client-b.fr"),
            by: tenantBAdmin.user, tenantID: tenantB.id, allowedProducts: products)
        tenantBStreamTicket = try await service.open(
            TicketRequest(type: "incident", productSlug: "stream", impact: "minor", description: "Stream n'exporte plus."),
            by: tenantBAdmin.user, tenantID: tenantB.id, allowedProducts: products)
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: buildRouter(site: site)).test(.router, body)
    }

    /// Every mail in the outbox, oldest first (the real outbox table).
    func mails() async throws -> [Mail] { try await fixture.mails() }

    func ticket(_ number: TicketNumber) async throws -> Ticket {
        try #require(try await ticketStore.ticket(number, for: .staff))
    }

    func messages(_ number: TicketNumber) async throws -> [TicketMessage] {
        try await ticketStore.messages(of: number, for: .staff)
    }
}

/// A url-encoded POST as an agent's browser sends it (English pages).
func staffPost(_ client: any TestClientProtocol, _ uri: String, _ login: PortalSiteFixture.Login?, _ body: String) async throws
    -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
    try await kbPost(client, uri, session: login?.session, body)
}

/// An API call with a bearer key and a JSON body.
func ticketAPI(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, key: String?, body: String? = nil) async throws -> APIAnswer {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    if let key { headers[.authorization] = "Bearer \(key)" }
    let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    return APIAnswer(status: response.status, headers: response.headers, text: String(buffer: response.body))
}
