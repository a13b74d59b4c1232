import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Notify
import NIOCore
import Portal
import StatusModel
import StatusWeb
import Testing

/// The knowledge base the web tests read: the SQLite store on the fixture's database, blobs in
/// a temporary folder, the intake of the blob store with a 1 MB limit.
enum TestKnowledgeBase {
    static let categories = ["Aide à l'utilisation", "Portail", "Notes de version"]
    static let uploadLimit: Int64 = 1 << 20

    static func make(database: SQLiteDatabase) async throws -> (KnowledgeBaseSite, AttachmentServices) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-kb-\(UUID().uuidString)")
        let blobs = try FileBlobStore(dataFolder: folder)
        let intake = FileAttachmentIntake(store: blobs, maxBytes: uploadLimit,
                                          allowedTypes: [AttachmentTypes.pdf, AttachmentTypes.png, AttachmentTypes.plainText, AttachmentTypes.markdown])
        return (KnowledgeBaseSite(store: SQLiteKnowledgeBaseStore(database: database), categories: categories),
                AttachmentServices(store: blobs, intake: intake, limits: UploadLimits(maxFileBytes: uploadLimit)))
    }
}

/// A portal with a knowledge base holding one article of each kind of visibility and state:
/// tenant A has an accepted subscription to the service "Stream Premium", tenant B none.
struct KnowledgeBaseWorld {
    typealias Login = PortalSiteFixture.Login
    let fixture: PortalSiteFixture
    let tenantBMember: Login
    let staffKey: String
    let tenantAKey: String
    let tenantBKey: String
    let service: Service
    let published: ArticleNumber
    let customersOnly: ArticleNumber
    let serviceOnly: ArticleNumber
    let draft: ArticleNumber
    let retired: ArticleNumber
    /// Titles of the articles not everyone may see, to look for on every surface.
    static let customersTitle = "Paramétrer le portail client"
    static let serviceTitle = "Stream Premium : exporter les factures"
    static let draftTitle = "Brouillon des factures à venir"
    static let retiredTitle = "Ancienne procédure de factures"

    var store: any KnowledgeBaseStore { fixture.knowledgeBase.store }

    /// The hidden articles by title.
    var hiddenNumbers: [String: ArticleNumber] {
        [Self.customersTitle: customersOnly, Self.serviceTitle: serviceOnly, Self.draftTitle: draft, Self.retiredTitle: retired]
    }

    init() async throws {
        fixture = try await PortalSiteFixture()
        let accounts = fixture.accounts
        let accountStore = fixture.accountStore
        let tenantB = try await accountStore.createTenant(Tenant(code: "2000", name: "Client B"))
        _ = try await accounts.invite("member@client-b.fr", tenantID: tenantB.id, role: .member, language: "fr",
                                      invitedBy: Inviter(name: "Test", email: "test@vendor.fr"))
        let user = try #require(try await accountStore.user(email: "member@client-b.fr"))
        let token = Secrets.token()
        try await accountStore.issueToken(userID: user.id, purpose: .activation, tokenHash: Secrets.hash(token), expiresAt: Date().addingTimeInterval(3600),
                                          mail: Mail(to: user.email, subject: "s", text: "t", language: "fr"), now: Date())
        _ = try await accounts.activate(token: token, form: .init(firstName: "B", lastName: "B", phone: "1", password: "Secret#2026", confirmation: "Secret#2026"))
        guard case .success(let sessionID, _, _) = try await accounts.login(email: user.email, password: "Secret#2026", clientAddress: "b") else {
            throw SupportError("tenant B's member could not sign in")
        }
        tenantBMember = (user, sessionID, try #require(try await accounts.session(id: sessionID)).session.csrfToken)
        staffKey = try await accounts.createStaffKey(userID: fixture.operatorLogin.user.id, name: "kb").secret
        let tenantA = try #require(try await accounts.memberships(userID: fixture.admin.user.id).first?.tenant)
        tenantAKey = try await accounts.createAPIKey(tenantID: tenantA.id, name: "a").secret
        tenantBKey = try await accounts.createAPIKey(tenantID: tenantB.id, name: "b").secret

        let catalog = fixture.serviceCatalog
        service = try await catalog.createService(.init(name: "Stream Premium", family: "Services en ligne", description: "d"), by: fixture.operatorLogin.user)
        let request = try await catalog.request(serviceID: service.id, by: fixture.admin.user, tenantID: tenantA.id)
        _ = try await catalog.decide(.accept, subscriptionID: request.id, by: fixture.admin.user, tenantID: tenantA.id)

        let store = fixture.knowledgeBase.store
        let now = SiteFixture.now
        func article(_ title: String, _ body: String, visibility: ArticleVisibility = .everyone, state: ArticleState = .published,
                     category: String = "Aide à l'utilisation", products: [String] = ["loop"]) async throws -> ArticleNumber {
            try await store.createArticle(ArticleDraft(title: title, body: body, category: category, productIDs: products, language: .fr,
                                                       visibility: visibility), state: state, authorID: nil, at: now).number
        }
        published = try await article("Gérer les échéances des factures", "Les factures et leurs échéances se règlent depuis le portail.")
        customersOnly = try await article(Self.customersTitle, "Les factures du portail client, pour les clients connectés.", visibility: .customers)
        serviceOnly = try await article(Self.serviceTitle, "Exporter les factures depuis Stream Premium.", visibility: .service(id: service.id))
        draft = try await article(Self.draftTitle, "Les factures à venir, pas encore publiées.", state: .draft)
        retired = try await article(Self.retiredTitle, "Les factures d'autrefois.")
        _ = try await store.setState(retired, .retired, at: now)
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await fixture.test(body)
    }
}

/// A GET with the session or bearer given, English pages.
func kbGet(_ client: any TestClientProtocol, _ uri: String, session: String? = nil, bearer: String? = nil,
           cookies: [String] = []) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
    var headers = pageHeaders(session: session, cookies: cookies)
    if let bearer { headers[.authorization] = "Bearer \(bearer)" }
    return try await client.execute(uri: uri, method: .get, headers: headers) { ($0.status, String(buffer: $0.body), $0.headers) }
}

/// A url-encoded POST with the session given.
func kbPost(_ client: any TestClientProtocol, _ uri: String, session: String?, _ body: String) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
    let (headers, buffer) = formRequest(session: session, body)
    return try await client.execute(uri: uri, method: .post, headers: headers, body: buffer) { ($0.status, String(buffer: $0.body), $0.headers) }
}
