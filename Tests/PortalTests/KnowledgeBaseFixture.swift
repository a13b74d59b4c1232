import Foundation
import Notify
import Portal
import StatusModel
import Testing

/// Where a knowledge-base test keeps its database: a real file in WAL mode, or a queue in memory.
enum KnowledgeBaseStorage: String, CaseIterable, CustomTestStringConvertible {
    case file, memory
    var testDescription: String { rawValue }
}

/// A knowledge base over a real SQLite database, with two customer accounts: tenant A has an
/// accepted subscription to the service "Cegid Stream", tenant B only a pending one.
struct KnowledgeBaseFixture {
    let portal: PortalFixture
    let database: SQLiteDatabase
    let store: SQLiteKnowledgeBaseStore
    let stream: Service
    let tenantA: Tenant, tenantB: Tenant
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    private let folder: URL?

    init(_ storage: KnowledgeBaseStorage = .memory, matchWindow: Int = 2_000) async throws {
        let migrations: [any SQLiteMigrations] = [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()]
        if storage == .file {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kb-\(UUID().uuidString)")
            self.folder = folder
            database = try SQLiteDatabase.open(path: folder.appendingPathComponent("kb.sqlite").path, migrations: migrations)
        } else {
            folder = nil
            database = try SQLiteDatabase.inMemory(migrations: migrations)
        }
        portal = try PortalFixture(database: database)
        store = SQLiteKnowledgeBaseStore(database: database, matchWindow: matchWindow)
        let services = SQLiteServiceStore(database: database)
        stream = try await services.createService(Service(name: "Cegid Stream", family: "Services en ligne"))
        tenantA = try await portal.tenant("11111111")
        tenantB = try await portal.tenant("22222222")
        for (tenant, accept) in [(tenantA, true), (tenantB, false)] {
            let email = "user@\(tenant.code).fr"
            _ = try await portal.accounts.invite(email, tenantID: tenant.id, role: .member, language: "fr", invitedBy: PortalFixture.inviter)
            guard let user = try await portal.store.user(email: email),
                  let request = try await services.requestSubscription(ServiceSubscription(tenantID: tenant.id, userID: user.id,
                                                                                          serviceID: stream.id, requestedAt: now))
            else { throw KnowledgeBaseFixtureError() }
            if accept {
                _ = try await services.decide(id: request.id, tenantID: tenant.id, decision: .accept, reason: "", at: now, mail: nil)
            }
        }
    }

    var readerA: KnowledgeBaseReader { KnowledgeBaseReader(signedIn: true, tenantIDs: [tenantA.id]) }
    var readerB: KnowledgeBaseReader { KnowledgeBaseReader(signedIn: true, tenantIDs: [tenantB.id]) }

    func draft(_ title: String, body: String = "", category: String = "Portail", products: [String] = ["cegid-loop"],
               language: ArticleLanguage = .fr, visibility: ArticleVisibility = .everyone, picks: [ArticleNumber] = []) -> ArticleDraft {
        ArticleDraft(title: title, body: body.isEmpty ? "Le texte de \(title)." : body, category: category, productIDs: products,
                     language: language, visibility: visibility, relatedPicks: picks)
    }

    @discardableResult
    func publish(_ draft: ArticleDraft) async throws -> Article {
        try await store.createArticle(draft, state: .published, authorID: nil, at: now)
    }

    func search(_ text: String, _ reader: KnowledgeBaseReader = .anonymous, language: ArticleLanguage? = nil, category: String? = nil,
                product: String? = nil, sort: ArticleSort = .relevance, page: Int = 1, pageSize: Int = 10) async throws -> ArticleResults {
        try await store.search(ArticleQuery(text: text, language: language, category: category, productID: product, sort: sort,
                                            page: page, pageSize: pageSize), for: reader)
    }

    func titles(_ text: String, _ reader: KnowledgeBaseReader = .anonymous, sort: ArticleSort = .relevance) async throws -> [String] {
        try await search(text, reader, sort: sort).hits.map(\.article.title)
    }
}

struct KnowledgeBaseFixtureError: Error {}
