import Foundation
import GRDB
import StatusModel

/// The operators' news on SQLite.
public struct SQLiteNewsStore: NewsStore {
    let writer: any DatabaseWriter

    public init(database: SQLiteDatabase) {
        writer = database.writer
    }

    public func create(_ news: News) async throws -> News {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO news (title, body, link, languages, publishedAt, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [news.title, news.body, news.link, news.languages.rawValue,
                                       news.publishedAt.timeIntervalSince1970, news.createdAt.timeIntervalSince1970])
            var created = news
            created.id = db.lastInsertedRowID
            return created
        }
    }

    public func update(_ news: News) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "UPDATE news SET title = ?, body = ?, link = ?, languages = ?, publishedAt = ? WHERE id = ?",
                           arguments: [news.title, news.body, news.link, news.languages.rawValue, news.publishedAt.timeIntervalSince1970, news.id])
            return db.changesCount == 1
        }
    }

    public func delete(id: Int64) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM news WHERE id = ?", arguments: [id])
            return db.changesCount == 1
        }
    }

    public func news(id: Int64) async throws -> News? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM news WHERE id = ?", arguments: [id]).map { try News(row: $0) }
        }
    }

    public func all() async throws -> [News] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM news ORDER BY publishedAt DESC, id DESC").map { try News(row: $0) }
        }
    }

    public func published(language: String, at now: Date, limit: Int) async throws -> [News] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM news WHERE publishedAt <= ? AND languages IN ('both', ?) ORDER BY publishedAt DESC, id DESC LIMIT ?
                """, arguments: [now.timeIntervalSince1970, language, max(0, min(limit, 100))]).map { try News(row: $0) }
        }
    }
}

extension News {
    /// A stored row; an unknown languages value (never written by this code) reads as both.
    init(row: Row) throws {
        let languages: String = try row.decode(String.self, forColumn: "languages")
        self.init(id: try row.decode(Int64.self, forColumn: "id"), title: try row.decode(String.self, forColumn: "title"),
                  body: try row.decode(String.self, forColumn: "body"), link: try row.decode(String?.self, forColumn: "link"),
                  languages: News.Languages(rawValue: languages) ?? .both,
                  publishedAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "publishedAt")),
                  createdAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "createdAt")))
    }
}
