import Foundation
import GRDB
import Portal
import StatusModel
import Testing

/// The knowledge base's storage: numbers, versions, views, ratings, on a real SQLite file in
/// WAL mode and in memory.
@Suite struct KnowledgeBaseStoreTests {
    @Test(arguments: KnowledgeBaseStorage.allCases)
    func numbersFollowEachOtherAndAreNeverGivenTwice(_ storage: KnowledgeBaseStorage) async throws {
        let kb = try await KnowledgeBaseFixture(storage)
        let first = try await kb.publish(kb.draft("Premier"))
        let second = try await kb.publish(kb.draft("Deuxième"))
        #expect(first.number.description == "KB0000001")
        #expect(second.number == ArticleNumber(2))
        #expect(try await kb.store.setState(second.number, .retired, at: kb.now))
        // Even a row deleted by hand leaves its number used.
        try await kb.database.writer.write { db in try db.execute(sql: "DELETE FROM article WHERE number = 2") }
        let third = try await kb.publish(kb.draft("Troisième"))
        #expect(third.number == ArticleNumber(3))
        // An import takes the number it names; later numbers continue after it.
        #expect(try await kb.store.importArticle(number: ArticleNumber(30252), kb.draft("Importé"), state: .published, at: kb.now))
        #expect(try await kb.publish(kb.draft("Suivant")).number == ArticleNumber(30253))
    }

    @Test(arguments: KnowledgeBaseStorage.allCases)
    func aPublishedEditIsANewVersionAndRestoringMakesAnother(_ storage: KnowledgeBaseStorage) async throws {
        let kb = try await KnowledgeBaseFixture(storage)
        let draft = try await kb.store.createArticle(kb.draft("Brouillon", body: "v1"), state: .draft, authorID: 7, at: kb.now)
        var edited = kb.draft("Brouillon", body: "v1 corrigée")
        // A draft is changed in place.
        #expect(try await kb.store.updateArticle(draft.number, edited, authorID: 7, at: kb.now)?.version == 1)
        #expect(try await kb.store.setState(draft.number, .published, at: kb.now))
        edited.body = "v2"
        let second = try #require(try await kb.store.updateArticle(draft.number, edited, authorID: 8, at: kb.now.addingTimeInterval(60)))
        #expect(second.version == 2)
        #expect(second.content.body == "v2")
        let versions = try await kb.store.versions(draft.number)
        #expect(versions.map(\.version) == [2, 1])
        #expect(versions.last?.content.body == "v1 corrigée", "the published text is kept")
        let restored = try #require(try await kb.store.restore(draft.number, version: 1, authorID: 9, at: kb.now.addingTimeInterval(120)))
        #expect(restored.version == 3)
        #expect(restored.content.body == "v1 corrigée")
        #expect(try await kb.store.article(draft.number, for: .anonymous)?.content.body == "v1 corrigée")
        #expect(try await kb.store.version(draft.number, 2)?.content.body == "v2")
        #expect(try await kb.store.restore(draft.number, version: 42, authorID: nil, at: kb.now) == nil)
        #expect(try await kb.store.updateArticle(ArticleNumber(999), edited, authorID: nil, at: kb.now) == nil)
    }

    @Test(arguments: KnowledgeBaseStorage.allCases)
    func aViewCountsOncePerViewerPerDay(_ storage: KnowledgeBaseStorage) async throws {
        let kb = try await KnowledgeBaseFixture(storage)
        let article = try await kb.publish(kb.draft("Vues"))
        #expect(try await kb.store.recordView(article.number, viewer: "user:1", day: "2027-01-10"))
        #expect(try await !kb.store.recordView(article.number, viewer: "user:1", day: "2027-01-10"))
        #expect(try await kb.store.recordView(article.number, viewer: "anon:abc", day: "2027-01-10"))
        #expect(try await kb.store.recordView(article.number, viewer: "user:1", day: "2027-01-11"))
        #expect(try await !kb.store.recordView(ArticleNumber(999), viewer: "user:1", day: "2027-01-11"))
        #expect(try await kb.store.article(article.number, for: .anonymous)?.views == 3)
    }

    @Test(arguments: KnowledgeBaseStorage.allCases)
    func oneRatingPerUserThatTheyCanChange(_ storage: KnowledgeBaseStorage) async throws {
        let kb = try await KnowledgeBaseFixture(storage)
        let article = try await kb.publish(kb.draft("Étoiles"))
        let users = try await kb.database.writer.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM user ORDER BY id") }
        try await kb.store.rate(article.number, userID: users[0], stars: 2, at: kb.now)
        try await kb.store.rate(article.number, userID: users[0], stars: 4, at: kb.now)
        try await kb.store.rate(article.number, userID: users[1], stars: 5, at: kb.now)
        try await kb.store.rate(article.number, userID: users[1], stars: 9, at: kb.now) // refused: not 1–5
        #expect(try await kb.store.stars(article.number, userID: users[0]) == 4)
        let rating = try #require(try await kb.store.article(article.number, for: .anonymous)?.rating)
        #expect(rating == ArticleRating(average: 4.5, count: 2))
    }

    @Test func importingTheSameTextTwiceChangesNothing() async throws {
        let kb = try await KnowledgeBaseFixture()
        let number = ArticleNumber(120)
        #expect(try await kb.store.importArticle(number: number, kb.draft("Import"), state: .published, at: kb.now))
        #expect(try await !kb.store.importArticle(number: number, kb.draft("Import"), state: .published, at: kb.now))
        #expect(try await kb.store.versions(number).count == 1)
        #expect(try await kb.store.importArticle(number: number, kb.draft("Import", body: "Autre texte"), state: .published, at: kb.now))
        #expect(try await kb.store.versions(number).count == 2)
    }

    @Test func citationsFollowTheLatestBody() async throws {
        let kb = try await KnowledgeBaseFixture()
        let cited = try await kb.publish(kb.draft("Cité"))
        let citing = try await kb.publish(kb.draft("Citant", body: "Voir \(cited.number) et kb0000099."))
        #expect(try await kb.store.citing(cited.number, for: .anonymous).map(\.number) == [citing.number])
        _ = try await kb.store.updateArticle(citing.number, kb.draft("Citant", body: "Plus de renvoi."), authorID: nil, at: kb.now)
        #expect(try await kb.store.citing(cited.number, for: .anonymous).isEmpty)
    }

    @Test func relatedArticlesSharePickedProductsAndCategory() async throws {
        let kb = try await KnowledgeBaseFixture()
        let other = try await kb.publish(kb.draft("Autre catégorie", category: "Communication"))
        let sibling = try await kb.publish(kb.draft("Même produit"))
        _ = try await kb.publish(kb.draft("Autre produit", products: ["xrp-flex"]))
        let article = try await kb.publish(kb.draft("Principal", picks: [other.number]))
        #expect(try await kb.store.related(to: article.number, for: .anonymous, limit: 5).map(\.number) == [other.number, sibling.number])
    }
}
