import Foundation
import GRDB

extension SQLiteKnowledgeBaseStore {
    public func article(_ number: ArticleNumber, for reader: KnowledgeBaseReader) async throws -> Article? {
        let rule = VisibilityRule(reader)
        return try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM article WHERE number = ? AND \(rule.sql)",
                                             arguments: [number.value] + rule.arguments) else { return nil }
            return try Self.article(db, row: row)
        }
    }

    public func versions(_ number: ArticleNumber) async throws -> [ArticleVersion] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM articleVersion WHERE number = ? ORDER BY version DESC", arguments: [number.value])
                .map(ArticleVersion.init(row:))
        }
    }

    public func version(_ number: ArticleNumber, _ version: Int) async throws -> ArticleVersion? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM articleVersion WHERE number = ? AND version = ?", arguments: [number.value, version])
                .map(ArticleVersion.init(row:))
        }
    }

    public func allArticles() async throws -> [ArticleSummary] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM article ORDER BY updatedAt DESC, number DESC").map(ArticleSummary.init(articleRow:))
        }
    }

    public func recordView(_ number: ArticleNumber, viewer: String, day: String) async throws -> Bool {
        try await writer.write { db in
            guard try Self.exists(db, number) else { return false }
            // Only today's viewers are needed to count each once: older days are let go.
            try db.execute(sql: "DELETE FROM articleView WHERE day < ?", arguments: [day])
            try db.execute(sql: "INSERT OR IGNORE INTO articleView (number, viewer, day) VALUES (?, ?, ?)",
                           arguments: [number.value, String(viewer.prefix(200)), day])
            guard db.changesCount == 1 else { return false }
            try db.execute(sql: "UPDATE article SET views = views + 1 WHERE number = ?", arguments: [number.value])
            try db.execute(sql: """
                INSERT INTO articleViewDay (number, day, count) VALUES (?, ?, 1)
                ON CONFLICT (number, day) DO UPDATE SET count = count + 1
                """, arguments: [number.value, day])
            return true
        }
    }

    public func rate(_ number: ArticleNumber, userID: Int64, stars: Int, at: Date) async throws {
        guard (1...5).contains(stars) else { return }
        try await writer.write { db in
            guard try Self.exists(db, number) else { return }
            try db.execute(sql: """
                INSERT INTO articleRating (number, userID, stars, ratedAt) VALUES (?, ?, ?, ?)
                ON CONFLICT (number, userID) DO UPDATE SET stars = excluded.stars, ratedAt = excluded.ratedAt
                """, arguments: [number.value, userID, stars, at.timeIntervalSince1970])
        }
    }

    public func stars(_ number: ArticleNumber, userID: Int64) async throws -> Int? {
        try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT stars FROM articleRating WHERE number = ? AND userID = ?", arguments: [number.value, userID])
        }
    }

    public func related(to number: ArticleNumber, for reader: KnowledgeBaseReader, limit: Int) async throws -> [ArticleSummary] {
        let rule = VisibilityRule(reader)
        let limit = max(0, min(limit, 100))
        return try await writer.read { db in
            // The agent's picks first, in their order; then those sharing the category and the
            // most products, the newest first.
            let picks = try Row.fetchAll(db, sql: """
                SELECT article.* FROM articleRelatedPick pick JOIN article ON article.number = pick.related
                WHERE pick.number = ? AND \(rule.sql) ORDER BY pick.position LIMIT ?
                """, arguments: [number.value] + rule.arguments + [limit]).map(ArticleSummary.init(articleRow:))
            let sharing = try Row.fetchAll(db, sql: """
                SELECT article.*, count(*) AS shared FROM articleProduct mine
                JOIN articleProduct theirs ON theirs.productID = mine.productID AND theirs.number <> mine.number
                JOIN article ON article.number = theirs.number
                WHERE mine.number = ? AND article.category = (SELECT category FROM article WHERE number = ?) AND \(rule.sql)
                GROUP BY article.number ORDER BY shared DESC, article.updatedAt DESC LIMIT ?
                """, arguments: [number.value, number.value] + rule.arguments + [limit]).map(ArticleSummary.init(articleRow:))
            var seen: Set<ArticleNumber> = [number]
            return Array((picks + sharing).filter { seen.insert($0.number).inserted }.prefix(limit))
        }
    }

    public func citing(_ number: ArticleNumber, for reader: KnowledgeBaseReader) async throws -> [ArticleSummary] {
        let rule = VisibilityRule(reader)
        return try await writer.read { db in
            try Self.citing(db, [number], rule: rule)
        }
    }

    static func citing(_ db: Database, _ numbers: [ArticleNumber], rule: VisibilityRule, limit: Int = 200) throws -> [ArticleSummary] {
        guard !numbers.isEmpty else { return [] }
        return try Row.fetchAll(db, sql: """
            SELECT DISTINCT article.* FROM articleCitation JOIN article ON article.number = articleCitation.citing
            WHERE articleCitation.cited IN (\(numbers.map { _ in "?" }.joined(separator: ", "))) AND \(rule.sql)
            ORDER BY article.updatedAt DESC, article.number DESC LIMIT ?
            """, arguments: StatementArguments(numbers.map(\.value)) + rule.arguments + [limit]).map(ArticleSummary.init(articleRow:))
    }

    public func recent(for reader: KnowledgeBaseReader, limit: Int) async throws -> [ArticleSummary] {
        let rule = VisibilityRule(reader)
        return try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM article WHERE \(rule.sql) ORDER BY updatedAt DESC, number DESC LIMIT ?",
                             arguments: rule.arguments + [max(0, min(limit, 100))]).map(ArticleSummary.init(articleRow:))
        }
    }

    public func topRated(for reader: KnowledgeBaseReader, limit: Int) async throws -> [ArticleSummary] {
        let rule = VisibilityRule(reader)
        return try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM article WHERE ratingCount > 0 AND \(rule.sql)
                ORDER BY CAST(ratingSum AS REAL) / ratingCount DESC, ratingCount DESC, number DESC LIMIT ?
                """, arguments: rule.arguments + [max(0, min(limit, 100))]).map(ArticleSummary.init(articleRow:))
        }
    }

    public func mostViewed(since: Date, for reader: KnowledgeBaseReader, limit: Int) async throws -> [ArticleSummary] {
        let rule = VisibilityRule(reader)
        let firstDay = Self.dayText(since)
        return try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT article.*, sum(articleViewDay.count) AS recentViews FROM articleViewDay
                JOIN article ON article.number = articleViewDay.number
                WHERE articleViewDay.day >= ? AND \(rule.sql)
                GROUP BY article.number ORDER BY recentViews DESC, article.number DESC LIMIT ?
                """, arguments: [firstDay] + rule.arguments + [max(0, min(limit, 100))]).map(ArticleSummary.init(articleRow:))
        }
    }

    /// The "yyyy-MM-dd" day of `date` in UTC, to compare with the days views were counted on.
    public static func dayText(_ date: Date) -> String {
        let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: date)
        return String(format: "%04d-%02d-%02d", components.year ?? 1970, components.month ?? 1, components.day ?? 1)
    }

    // MARK: - Attachments

    public func addAttachment(_ attachment: ArticleAttachment, text: String) async throws -> ArticleAttachment {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO articleAttachment (number, fileName, sha256, size, contentType, text, addedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [attachment.number.value, attachment.fileName, attachment.blob.sha256, attachment.blob.size,
                                 attachment.blob.contentType, SearchIndexText.clean(String(text.prefix(SearchIndexText.attachmentLimit))),
                                 attachment.addedAt.timeIntervalSince1970])
            var added = attachment
            added.id = db.lastInsertedRowID
            try Self.writeAttachmentText(db, attachment.number)
            return added
        }
    }

    public func removeAttachment(id: Int64, from number: ArticleNumber) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM articleAttachment WHERE id = ? AND number = ?", arguments: [id, number.value])
            guard db.changesCount == 1 else { return false }
            try Self.writeAttachmentText(db, number)
            return true
        }
    }

    public func attachments(of number: ArticleNumber) async throws -> [ArticleAttachment] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM articleAttachment WHERE number = ? ORDER BY id", arguments: [number.value])
                .map(ArticleAttachment.init(row:))
        }
    }

    /// The attachments of `number` when `reader` may see the article.
    public func attachments(of number: ArticleNumber, for reader: KnowledgeBaseReader) async throws -> [ArticleAttachment] {
        let rule = VisibilityRule(reader)
        return try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT articleAttachment.* FROM articleAttachment JOIN article ON article.number = articleAttachment.number
                WHERE articleAttachment.number = ? AND \(rule.sql) ORDER BY articleAttachment.id
                """, arguments: [number.value] + rule.arguments).map(ArticleAttachment.init(row:))
        }
    }

    public func attachment(id: Int64, of number: ArticleNumber, for reader: KnowledgeBaseReader) async throws -> ArticleAttachment? {
        let rule = VisibilityRule(reader)
        return try await writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT articleAttachment.* FROM articleAttachment JOIN article ON article.number = articleAttachment.number
                WHERE articleAttachment.id = ? AND articleAttachment.number = ? AND \(rule.sql)
                """, arguments: [id, number.value] + rule.arguments).map(ArticleAttachment.init(row:))
        }
    }
}

extension ArticleVersion {
    init(row: Row) throws {
        self.init(number: ArticleNumber(try row.decode(Int.self, forColumn: "number")), version: try row.decode(Int.self, forColumn: "version"),
                  content: try ArticleDraft(versionRow: row), savedAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "savedAt")),
                  authorID: try row.decode(Int64?.self, forColumn: "authorID"))
    }
}
