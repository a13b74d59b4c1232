import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Notify
import Portal
import StatusModel
import StatusWeb
import Testing

/// The knowledge-base world (tenant A's administrator has an accepted subscription to the
/// service "Stream Premium", tenant B's member none) with two more products: "Private Flex",
/// private and covered by that service, and "Customer Desk", for customers. So:
/// - anonymous visitors see the public products only;
/// - tenant B's member and key see those and "Customer Desk";
/// - tenant A's users and key see "Private Flex" too, and its administrator has it under "Mes services".
/// An incident and a window on the private product only, and an incident on a public and the
/// private one, make the news every surface shows.
struct AudienceWorld {
    typealias Login = PortalSiteFixture.Login
    let kb: KnowledgeBaseWorld
    var fixture: PortalSiteFixture { kb.fixture }
    let privateOnlyIncident: Incident
    let mixedIncident: Incident
    let privateWindow: Maintenance
    /// A public article about the private product and Cegid Loop.
    let article: ArticleNumber

    static let privateName = "Private Flex"
    static let privateSlug = "flex"
    static let customersName = "Customer Desk"
    static let customersSlug = "desk"
    static let privateIncidentTitle = "Flex injoignable"
    static let privateWindowTitle = "Migration de Flex"
    static let mixedIncidentTitle = "Lenteurs Loop et Flex"

    init() async throws {
        kb = try await KnowledgeBaseWorld()
        let fixture = kb.fixture
        let store = fixture.store
        try await store.saveConsoleProduct(Product(slug: Self.privateSlug, name: Self.privateName, family: "Gestion", position: 5,
                                                   visibility: .private, monitoredSince: SiteFixture.longAgo, hasChecks: false, origin: .console))
        try await store.saveConsoleProduct(Product(slug: Self.customersSlug, name: Self.customersName, family: "Gestion", position: 6,
                                                   visibility: .customers, monitoredSince: SiteFixture.longAgo, hasChecks: false, origin: .console))
        // The service covers the private product: the tie an operator makes in the console.
        let serviceID = kb.service.id
        try await fixture.database.writer.write { db in
            try db.execute(sql: "INSERT INTO serviceProduct (serviceID, productSlug) VALUES (?, ?)", arguments: [serviceID, Self.privateSlug])
        }
        let now = fixture.clock.now
        var privateOnly = Incident(id: IncidentID.make(), title: Self.privateIncidentTitle, impact: .major, productSlugs: [Self.privateSlug],
                                   startedAt: now.addingTimeInterval(-3600))
        privateOnly.post(.init(status: .investigating, message: "Flex ne répond plus.", at: now.addingTimeInterval(-3600)))
        try await store.save(privateOnly)
        var mixed = Incident(id: IncidentID.make(), title: Self.mixedIncidentTitle, impact: .minor, productSlugs: ["loop", Self.privateSlug],
                             startedAt: now.addingTimeInterval(-1800))
        mixed.post(.init(status: .identified, message: "Un serveur est lent.", at: now.addingTimeInterval(-1800)))
        try await store.save(mixed)
        let window = Maintenance(id: IncidentID.make(), title: Self.privateWindowTitle, message: "Flex change de serveurs.",
                                 productSlugs: [Self.privateSlug], start: now.addingTimeInterval(86_400), end: now.addingTimeInterval(90_000))
        try await store.save(window)
        privateOnlyIncident = privateOnly
        mixedIncident = mixed
        privateWindow = window
        article = try await fixture.knowledgeBase.store.createArticle(
            ArticleDraft(title: "Exporter depuis Flex", body: "Les exports de Flex et de Loop.", category: "Aide à l'utilisation",
                         productIDs: [Self.privateSlug, "loop"], language: .fr, visibility: .everyone),
            state: .published, authorID: nil, at: SiteFixture.now).number
    }

    /// Tenant A's administrator: the private product is theirs ("Mes services").
    var adminA: Login { fixture.admin }
    /// Tenant A's member: sees the private product (the tenant has the service), not as theirs.
    var memberA: Login { fixture.member }
    var memberB: Login { kb.tenantBMember }

    /// Who reads, for the tests that go through every kind of reader.
    enum Reader: String, CaseIterable, CustomTestStringConvertible {
        case anonymous, tenantB, tenantA
        var testDescription: String { rawValue }
    }

    func session(_ reader: Reader) -> String? {
        switch reader {
        case .anonymous: nil
        case .tenantB: memberB.session
        case .tenantA: memberA.session
        }
    }

    func key(_ reader: Reader) -> String? {
        switch reader {
        case .anonymous: nil
        case .tenantB: kb.tenantBKey
        case .tenantA: kb.tenantAKey
        }
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await fixture.test(body)
    }

    /// Another active, signed-in user of tenant A, with no service of their own.
    func anotherMemberOfA(_ email: String) async throws -> Login {
        let accounts = fixture.accounts, store = fixture.accountStore
        let tenant = try #require(try await accounts.memberships(userID: adminA.user.id).first?.tenant)
        _ = try await accounts.invite(email, tenantID: tenant.id, role: .member, language: "fr", invitedBy: Inviter(name: "Test", email: "test@vendor.fr"))
        let user = try #require(try await store.user(email: email))
        let token = Secrets.token()
        try await store.issueToken(userID: user.id, purpose: .activation, tokenHash: Secrets.hash(token), expiresAt: Date().addingTimeInterval(3600),
                                   mail: Mail(to: email, subject: "s", text: "t", language: "fr"), now: Date())
        _ = try await accounts.activate(token: token, form: .init(firstName: "A", lastName: "Deux", phone: "1", password: "Secret#2026", confirmation: "Secret#2026"))
        guard case .success(let id, _, _) = try await accounts.login(email: email, password: "Secret#2026", clientAddress: email) else {
            throw SupportError("login failed for \(email)")
        }
        return (user, id, try #require(try await accounts.session(id: id)).session.csrfToken)
    }
}

extension String {
    /// Whether any trace of the private product is here: its name, its slug in a link or a
    /// JSON field, or the news only about it.
    var mentionsPrivateProduct: Bool {
        contains(AudienceWorld.privateName) || contains("/products/\(AudienceWorld.privateSlug)") || contains("\"\(AudienceWorld.privateSlug)\"")
            || contains(AudienceWorld.privateIncidentTitle) || contains(AudienceWorld.privateWindowTitle)
    }
}
