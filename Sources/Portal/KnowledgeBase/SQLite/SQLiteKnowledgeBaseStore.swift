import Foundation
import GRDB
import StatusModel

/// The knowledge base on SQLite: numbered, versioned articles, views, ratings, citations,
/// attachments, and their FTS5 search (`+Search`). Every read applies `VisibilityRule`.
public struct SQLiteKnowledgeBaseStore: KnowledgeBaseStore {
    let writer: any DatabaseWriter
    let prefixTerms = PrefixTerms()
    /// The newest matches a search by relevance reads before it extrapolates the total (see `MatchSet`).
    let matchWindow: Int

    public init(database: SQLiteDatabase, matchWindow: Int = 2_000) {
        writer = database.writer
        self.matchWindow = max(1, matchWindow)
    }

    public func createArticle(_ draft: ArticleDraft, state: ArticleState, authorID: Int64?, at: Date) async throws -> Article {
        try await writer.write { db in
            let number = try Self.insertArticle(db, number: nil, draft, state: state, authorID: authorID, at: at)
            return try Self.article(db, number)
        }
    }

    public func importArticle(number: ArticleNumber, _ draft: ArticleDraft, state: ArticleState, at: Date) async throws -> Bool {
        try await writer.write { db in try Self.importArticle(db, number: number, draft, state: state, at: at) }
    }

    /// One transaction for all: a commit per article (a sync to disk each) held the import
    /// to 76 articles/s.
    public func importArticles(_ articles: [(number: ArticleNumber, draft: ArticleDraft, state: ArticleState)], at: Date) async throws -> [Bool] {
        try await writer.write { db in
            try articles.map { try Self.importArticle(db, number: $0.number, $0.draft, state: $0.state, at: at) }
        }
    }

    static func importArticle(_ db: Database, number: ArticleNumber, _ draft: ArticleDraft, state: ArticleState, at: Date) throws -> Bool {
        guard let current = try? Self.article(db, number) else {
            _ = try Self.insertArticle(db, number: number, draft, state: state, authorID: nil, at: at)
            return true
        }
        guard current.content != draft || current.state != state else { return false }
        if current.content != draft { try Self.saveEdit(db, number, draft, authorID: nil, at: at) }
        if current.state != state { try Self.changeState(db, number, state, at: at) }
        return true
    }

    public func importedArticle(source: String) async throws -> ArticleNumber? {
        try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT number FROM article WHERE importSource = ?", arguments: [source]).map(ArticleNumber.init)
        }
    }

    public func rememberImport(source: String, number: ArticleNumber) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE article SET importSource = NULL WHERE importSource = ?", arguments: [source])
            try db.execute(sql: "UPDATE article SET importSource = ? WHERE number = ?", arguments: [source, number.value])
        }
    }

    public func updateArticle(_ number: ArticleNumber, _ draft: ArticleDraft, authorID: Int64?, at: Date) async throws -> Article? {
        try await writer.write { db in
            guard try Self.exists(db, number) else { return nil }
            try Self.saveEdit(db, number, draft, authorID: authorID, at: at)
            return try Self.article(db, number)
        }
    }

    public func setState(_ number: ArticleNumber, _ state: ArticleState, at: Date) async throws -> Bool {
        try await writer.write { db in
            guard try Self.exists(db, number) else { return false }
            try Self.changeState(db, number, state, at: at)
            return true
        }
    }

    public func restore(_ number: ArticleNumber, version: Int, authorID: Int64?, at: Date) async throws -> Article? {
        try await writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM articleVersion WHERE number = ? AND version = ?",
                                             arguments: [number.value, version]) else { return nil }
            let content = try ArticleDraft(versionRow: row)
            // Restoring always makes a new version, even over a draft, so the history tells it.
            try Self.appendVersion(db, number, content, authorID: authorID, at: at)
            return try Self.article(db, number)
        }
    }

    // MARK: - Writing, inside a transaction

    static func exists(_ db: Database, _ number: ArticleNumber) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM article WHERE number = ?)", arguments: [number.value]) ?? false
    }

    /// Inserts the article and its first version; `number` nil takes the next one.
    static func insertArticle(_ db: Database, number: ArticleNumber?, _ draft: ArticleDraft, state: ArticleState,
                              authorID: Int64?, at: Date) throws -> ArticleNumber {
        try db.execute(sql: """
            INSERT INTO article (number, title, sortTitle, category, language, translation, visibility, serviceID, state, version,
                                 products, relatedPicks, createdAt, updatedAt)
            VALUES (?, '', '', '', 'fr', NULL, 'everyone', NULL, ?, 1, '', '', ?, ?)
            """, arguments: [number?.value, state.rawValue, at.timeIntervalSince1970, at.timeIntervalSince1970])
        let created = ArticleNumber(Int(db.lastInsertedRowID))
        try db.execute(sql: """
            INSERT INTO articleVersion (number, version, title, body, category, products, language, translation, visibility, serviceID,
                                        relatedPicks, savedAt, authorID, publishedAt)
            VALUES (?, 1, '', '', '', '', 'fr', NULL, 'everyone', NULL, '', ?, ?, ?)
            """, arguments: [created.value, at.timeIntervalSince1970, authorID, state == .published ? at.timeIntervalSince1970 : nil])
        try db.execute(sql: "INSERT INTO articleText (number, title, body, attachments, tags) VALUES (?, '', '', '', '')",
                       arguments: [created.value])
        try writeVersion(db, created, version: 1, draft, authorID: authorID, at: at)
        try writeCurrent(db, created, draft, at: at)
        return created
    }

    /// An edit: a new version once the latest was published, the draft changed in place before.
    static func saveEdit(_ db: Database, _ number: ArticleNumber, _ draft: ArticleDraft, authorID: Int64?, at: Date) throws {
        let latest = try Row.fetchOne(db, sql: """
            SELECT version, publishedAt FROM articleVersion WHERE number = ? ORDER BY version DESC LIMIT 1
            """, arguments: [number.value])
        let version = try latest?.decode(Int.self, forColumn: "version") ?? 0
        let wasPublished = try latest?.decode(Double?.self, forColumn: "publishedAt") != nil
        if latest == nil || wasPublished {
            try appendVersion(db, number, draft, authorID: authorID, at: at)
        } else {
            try writeVersion(db, number, version: version, draft, authorID: authorID, at: at)
            try writeCurrent(db, number, draft, at: at)
        }
    }

    static func appendVersion(_ db: Database, _ number: ArticleNumber, _ draft: ArticleDraft, authorID: Int64?, at: Date) throws {
        let next = (try Int.fetchOne(db, sql: "SELECT max(version) FROM articleVersion WHERE number = ?", arguments: [number.value]) ?? 0) + 1
        let published = try String.fetchOne(db, sql: "SELECT state FROM article WHERE number = ?", arguments: [number.value]) == "published"
        try db.execute(sql: """
            INSERT INTO articleVersion (number, version, title, body, category, products, language, translation, visibility, serviceID,
                                        relatedPicks, savedAt, authorID, publishedAt)
            VALUES (?, ?, '', '', '', '', 'fr', NULL, 'everyone', NULL, '', ?, ?, ?)
            """, arguments: [number.value, next, at.timeIntervalSince1970, authorID, published ? at.timeIntervalSince1970 : nil])
        try writeVersion(db, number, version: next, draft, authorID: authorID, at: at)
        try db.execute(sql: "UPDATE article SET version = ? WHERE number = ?", arguments: [next, number.value])
        try writeCurrent(db, number, draft, at: at)
    }

    static func writeVersion(_ db: Database, _ number: ArticleNumber, version: Int, _ draft: ArticleDraft, authorID: Int64?, at: Date) throws {
        try db.execute(sql: """
            UPDATE articleVersion SET title = ?, body = ?, category = ?, products = ?, language = ?, translation = ?, visibility = ?,
                                      serviceID = ?, relatedPicks = ?, savedAt = ?, authorID = ?
            WHERE number = ? AND version = ?
            """, arguments: [draft.title, draft.body, draft.category, StoredList.text(draft.productIDs), draft.language.rawValue,
                             draft.translation?.value, draft.visibility.storedName, draft.visibility.serviceID,
                             StoredList.text(draft.relatedPicks), at.timeIntervalSince1970, authorID, number.value, version])
    }

    /// The article row, its products, picks, citations and search text follow the latest content.
    static func writeCurrent(_ db: Database, _ number: ArticleNumber, _ draft: ArticleDraft, at: Date) throws {
        let products = Array(NSOrderedSet(array: draft.productIDs).compactMap { $0 as? String })
        try db.execute(sql: """
            UPDATE article SET title = ?, sortTitle = ?, category = ?, language = ?, translation = ?, visibility = ?, serviceID = ?,
                               products = ?, relatedPicks = ?, updatedAt = ?
            WHERE number = ?
            """, arguments: [draft.title, sortKey(draft.title), draft.category, draft.language.rawValue, draft.translation?.value,
                             draft.visibility.storedName, draft.visibility.serviceID, StoredList.text(products),
                             StoredList.text(draft.relatedPicks), at.timeIntervalSince1970, number.value])
        try db.execute(sql: "DELETE FROM articleProduct WHERE number = ?", arguments: [number.value])
        for product in products {
            try db.execute(sql: "INSERT INTO articleProduct (number, productID) VALUES (?, ?)", arguments: [number.value, product])
        }
        try db.execute(sql: "DELETE FROM articleRelatedPick WHERE number = ?", arguments: [number.value])
        for (position, pick) in draft.relatedPicks.enumerated() where pick != number {
            try db.execute(sql: "INSERT OR IGNORE INTO articleRelatedPick (number, related, position) VALUES (?, ?, ?)",
                           arguments: [number.value, pick.value, position])
        }
        try db.execute(sql: "DELETE FROM articleCitation WHERE citing = ?", arguments: [number.value])
        for cited in ArticleCitations.numbers(in: draft.body) where cited != number {
            try db.execute(sql: "INSERT OR IGNORE INTO articleCitation (cited, citing) VALUES (?, ?)", arguments: [cited.value, number.value])
        }
        try db.execute(sql: "UPDATE articleText SET title = ?, body = ? WHERE number = ?",
                       arguments: [SearchIndexText.clean(draft.title), SearchIndexText.clean(MarkdownPlainText.plain(draft.body)), number.value])
        try writeTags(db, number)
    }

    static func changeState(_ db: Database, _ number: ArticleNumber, _ state: ArticleState, at: Date) throws {
        try db.execute(sql: "UPDATE article SET state = ?, updatedAt = ? WHERE number = ?",
                       arguments: [state.rawValue, at.timeIntervalSince1970, number.value])
        if state == .published {
            try db.execute(sql: """
                UPDATE articleVersion SET publishedAt = ? WHERE number = ? AND publishedAt IS NULL
                    AND version = (SELECT max(version) FROM articleVersion WHERE number = ?)
                """, arguments: [at.timeIntervalSince1970, number.value, number.value])
        }
        try writeTags(db, number)
    }

    /// "Écran" sorts with "ecran": titles sort without case or accents.
    static func sortKey(_ title: String) -> String {
        title.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
    }

    /// The article as stored; throws when there is none.
    static func article(_ db: Database, _ number: ArticleNumber) throws -> Article {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM article WHERE number = ?", arguments: [number.value]) else {
            throw DatabaseError(resultCode: .SQLITE_NOTFOUND, message: "no article \(number)")
        }
        return try article(db, row: row)
    }

    static func article(_ db: Database, row: Row) throws -> Article {
        let number = ArticleNumber(try row.decode(Int.self, forColumn: "number"))
        let version = try row.decode(Int.self, forColumn: "version")
        guard let versionRow = try Row.fetchOne(db, sql: "SELECT * FROM articleVersion WHERE number = ? AND version = ?",
                                                arguments: [number.value, version]) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "article \(number) has no version \(version)")
        }
        return Article(number: number, content: try ArticleDraft(versionRow: versionRow),
                       state: ArticleState(rawValue: try row.decode(String.self, forColumn: "state")) ?? .draft, version: version,
                       createdAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "createdAt")),
                       updatedAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "updatedAt")),
                       views: try row.decode(Int.self, forColumn: "views"), rating: try ArticleRating(articleRow: row))
    }
}

extension SQLiteKnowledgeBaseStore {
    /// Writes a published article inside the caller's transaction: for tests and benchmarks
    /// that fill the base with thousands of articles in one commit.
    public static func insertForBenchmark(_ db: Database, _ draft: ArticleDraft, at: Date) throws -> ArticleNumber {
        try insertArticle(db, number: nil, draft, state: .published, authorID: nil, at: at)
    }
}
