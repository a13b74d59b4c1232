import GRDB

/// The table of the operators' news (registered by `PortalMigrations` as `portal.news.v1`).
enum NewsMigrations {
    static func createTables(_ db: Database) throws {
        try db.create(table: "news") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("title", .text).notNull()
            t.column("body", .text).notNull()
            t.column("link", .text)
            t.column("languages", .text).notNull().check(sql: "languages IN ('fr', 'en', 'both')")
            t.column("publishedAt", .double).notNull()
            t.column("createdAt", .double).notNull()
        }
        // The home page reads the newest published ones.
        try db.create(index: "news_byPublication", on: "news", columns: ["publishedAt"])
    }
}
