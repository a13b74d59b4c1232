import Foundation
import GRDB
import Portal
import StatusModel
import Testing

/// Drafts, retired and restricted articles are invisible to those who may not see them, on
/// every surface the store serves: one test per surface.
@Suite struct KnowledgeBaseVisibilityTests {
    /// A public article, and beside it a draft, a retired one, one for customers and one for
    /// the subscribers of "Cegid Stream", all titled with "secret" and citing the public one.
    struct World {
        let kb: KnowledgeBaseFixture
        let open: Article
        let draft: Article, retired: Article, customers: Article, service: Article

        init() async throws {
            let kb = try await KnowledgeBaseFixture(.file)
            self.kb = kb
            open = try await kb.publish(kb.draft("Article public", body: "Un article ouvert à tous."))
            let cite = "Un texte secret, voir \(open.number)."
            draft = try await kb.store.createArticle(kb.draft("Brouillon secret", body: cite), state: .draft, authorID: nil, at: kb.now)
            retired = try await kb.publish(kb.draft("Retiré secret", body: cite))
            _ = try await kb.store.setState(retired.number, .retired, at: kb.now)
            customers = try await kb.publish(kb.draft("Clients secret", body: cite, visibility: .customers))
            service = try await kb.publish(kb.draft("Stream secret", body: cite, visibility: .service(id: kb.stream.id)))
            for article in [open, draft, retired, customers, service] {
                _ = try await kb.store.recordView(article.number, viewer: "user:1", day: SQLiteKnowledgeBaseStore.dayText(kb.now))
                try await kb.store.rate(article.number, userID: try await firstUser(), stars: 5, at: kb.now)
                _ = try await kb.store.addAttachment(ArticleAttachment(number: article.number, fileName: "fiche.pdf",
                                                                       blob: BlobReference(sha256: "x", size: 1, contentType: "application/pdf"),
                                                                       addedAt: kb.now), text: "fiche secret")
            }
        }

        func firstUser() async throws -> Int64 {
            try await kb.database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT min(id) FROM user") ?? 0 }
        }

        /// Who sees which of the hidden articles.
        var expectations: [(reader: KnowledgeBaseReader, visible: Set<ArticleNumber>)] {
            [(.anonymous, []),
             (KnowledgeBaseReader(signedIn: true), [customers.number]),
             (kb.readerA, [customers.number, service.number]),
             (kb.readerB, [customers.number]),
             (.staff, [draft.number, retired.number, customers.number, service.number])]
        }

        var hidden: Set<ArticleNumber> { [draft.number, retired.number, customers.number, service.number] }
    }

    @Test func theArticle() async throws {
        let world = try await World()
        for (reader, visible) in world.expectations {
            for number in world.hidden {
                #expect((try await world.kb.store.article(number, for: reader) != nil) == visible.contains(number))
            }
        }
    }

    @Test func searchAndItsCounts() async throws {
        let world = try await World()
        for (reader, visible) in world.expectations {
            for text in ["secret", "", "fiche", world.open.number.description] {
                let results = try await world.kb.search(text, reader)
                let found = Set(results.hits.map(\.article.number)).intersection(world.hidden)
                #expect(found == visible, "\(text)")
                let expected = visible.count + 1 // the public one: its attachment says "secret" too
                #expect(results.total == expected, "\(text)")
                #expect(results.facets.languages.map(\.count).reduce(0, +) == expected, "\(text)")
                #expect(results.facets.categories.map(\.count).reduce(0, +) == expected, "\(text)")
            }
        }
    }

    @Test func relatedArticles() async throws {
        let world = try await World()
        for (reader, visible) in world.expectations {
            let related = Set(try await world.kb.store.related(to: world.open.number, for: reader, limit: 10).map(\.number))
            #expect(related == visible)
        }
    }

    @Test func citingArticles() async throws {
        let world = try await World()
        for (reader, visible) in world.expectations {
            #expect(Set(try await world.kb.store.citing(world.open.number, for: reader).map(\.number)) == visible)
        }
    }

    @Test func homeBlocks() async throws {
        let world = try await World()
        let store = world.kb.store
        for (reader, visible) in world.expectations {
            let expected = visible.union([world.open.number])
            #expect(Set(try await store.recent(for: reader, limit: 10).map(\.number)) == expected)
            #expect(Set(try await store.topRated(for: reader, limit: 10).map(\.number)) == expected)
            #expect(Set(try await store.mostViewed(since: world.kb.now.addingTimeInterval(-30 * 86_400), for: reader, limit: 10).map(\.number)) == expected)
        }
    }

    @Test func attachments() async throws {
        let world = try await World()
        for (reader, visible) in world.expectations {
            for number in world.hidden {
                let all = try await world.kb.store.attachments(of: number, for: reader)
                #expect(all.isEmpty != visible.contains(number))
                let id = try #require(try await world.kb.store.attachments(of: number).first?.id)
                #expect((try await world.kb.store.attachment(id: id, of: number, for: reader) != nil) == visible.contains(number))
            }
        }
    }

    @Test func aServiceArticleIsForTheTenantsSubscribedToItOnly() async throws {
        let world = try await World()
        #expect(try await world.kb.store.article(world.service.number, for: world.kb.readerA) != nil)
        #expect(try await world.kb.store.article(world.service.number, for: world.kb.readerB) == nil)
        #expect(try await world.kb.titles("stream", world.kb.readerA) == ["Stream secret"])
        #expect(try await world.kb.titles("stream", world.kb.readerB).isEmpty)
    }
}
