import GRDB

/// The knowledge base's tables (registered by `PortalMigrations`).
///
/// `article` holds what lists and filters read (narrow rows: no body), `articleVersion` every
/// saved text (the latest is the article's), `articleText` what the search index reads (title,
/// the body without Markdown syntax, the attachments' text, and filter tags), kept in step with
/// the FTS5 table `articleSearch` by triggers.
enum KnowledgeBaseMigrations {
    static func createTables(_ db: Database) throws {
        // AUTOINCREMENT: a number is never given twice, even after its row is deleted.
        try db.create(table: "article") { t in
            t.autoIncrementedPrimaryKey("number")
            t.column("title", .text).notNull()
            t.column("sortTitle", .text).notNull()
            t.column("category", .text).notNull()
            t.column("language", .text).notNull().check(sql: "language IN ('fr', 'en')")
            t.column("translation", .integer)
            t.column("visibility", .text).notNull().check(sql: "visibility IN ('everyone', 'customers', 'service')")
            // A deleted service leaves its articles visible to staff only.
            t.column("serviceID", .integer).references("service", onDelete: .setNull)
            t.column("state", .text).notNull().check(sql: "state IN ('draft', 'published', 'retired')")
            t.column("version", .integer).notNull()
            t.column("products", .text).notNull().defaults(to: "")
            t.column("relatedPicks", .text).notNull().defaults(to: "")
            t.column("createdAt", .double).notNull()
            t.column("updatedAt", .double).notNull()
            t.column("views", .integer).notNull().defaults(to: 0)
            t.column("ratingCount", .integer).notNull().defaults(to: 0)
            t.column("ratingSum", .integer).notNull().defaults(to: 0)
            // The file an import made it from, when it had no number: a second import finds it.
            t.column("importSource", .text).unique()
        }
        try db.create(index: "article_byUpdate", on: "article", columns: ["updatedAt"])
        try db.create(index: "article_byViews", on: "article", columns: ["views"])
        try db.create(index: "article_byTitle", on: "article", columns: ["sortTitle"])
        try db.create(index: "article_byCategory", on: "article", columns: ["category"])
        try db.execute(sql: "CREATE INDEX article_rated ON article (ratingCount) WHERE ratingCount > 0")

        try db.create(table: "articleVersion") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("number", .integer).notNull().references("article", onDelete: .cascade)
            t.column("version", .integer).notNull()
            t.column("title", .text).notNull()
            t.column("body", .text).notNull()
            t.column("category", .text).notNull()
            t.column("products", .text).notNull()
            t.column("language", .text).notNull()
            t.column("translation", .integer)
            t.column("visibility", .text).notNull()
            t.column("serviceID", .integer)
            t.column("relatedPicks", .text).notNull()
            t.column("savedAt", .double).notNull()
            t.column("authorID", .integer)
            // Set once the version has been published: from then on an edit makes a new version.
            t.column("publishedAt", .double)
            t.uniqueKey(["number", "version"])
        }

        try db.create(table: "articleProduct") { t in
            t.column("number", .integer).notNull().references("article", onDelete: .cascade)
            t.column("productID", .text).notNull()
            t.primaryKey(["number", "productID"])
        }
        try db.create(index: "articleProduct_byProduct", on: "articleProduct", columns: ["productID", "number"])

        try db.create(table: "articleRelatedPick") { t in
            t.column("number", .integer).notNull().references("article", onDelete: .cascade)
            t.column("related", .integer).notNull()
            t.column("position", .integer).notNull()
            t.primaryKey(["number", "related"])
        }

        // Recomputed from the latest body at each save; `cited` may not exist (yet).
        try db.create(table: "articleCitation") { t in
            t.column("cited", .integer).notNull()
            t.column("citing", .integer).notNull().references("article", onDelete: .cascade)
            t.primaryKey(["cited", "citing"])
        }
        try db.create(index: "articleCitation_byCiting", on: "articleCitation", columns: ["citing"])

        // Who viewed what today (only the days still needed to count a viewer once), and the
        // counts per day kept for "most viewed over 30 days".
        try db.create(table: "articleView") { t in
            t.column("number", .integer).notNull().references("article", onDelete: .cascade)
            t.column("viewer", .text).notNull()
            t.column("day", .text).notNull()
            t.primaryKey(["number", "viewer", "day"])
        }
        try db.create(index: "articleView_byDay", on: "articleView", columns: ["day"])
        try db.create(table: "articleViewDay") { t in
            t.column("number", .integer).notNull().references("article", onDelete: .cascade)
            t.column("day", .text).notNull()
            t.column("count", .integer).notNull()
            t.primaryKey(["number", "day"])
        }
        try db.create(index: "articleViewDay_byDay", on: "articleViewDay", columns: ["day", "number"])

        try db.create(table: "articleRating") { t in
            t.column("number", .integer).notNull().references("article", onDelete: .cascade)
            t.column("userID", .integer).notNull().references("user", onDelete: .cascade)
            t.column("stars", .integer).notNull().check(sql: "stars BETWEEN 1 AND 5")
            t.column("ratedAt", .double).notNull()
            t.primaryKey(["number", "userID"])
        }
        // The article's average and count follow every change of its ratings, a user's
        // deletion included.
        for (event, row) in [("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")] {
            try db.execute(sql: """
                CREATE TRIGGER articleRating_\(event.lowercased()) AFTER \(event) ON articleRating BEGIN
                    UPDATE article SET ratingCount = (SELECT count(*) FROM articleRating WHERE number = \(row).number),
                                       ratingSum = (SELECT coalesce(sum(stars), 0) FROM articleRating WHERE number = \(row).number)
                    WHERE number = \(row).number;
                END
                """)
        }

        try db.create(table: "articleAttachment") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("number", .integer).notNull().references("article", onDelete: .cascade).indexed()
            t.column("fileName", .text).notNull()
            t.column("sha256", .text).notNull()
            t.column("size", .integer).notNull()
            t.column("contentType", .text).notNull()
            t.column("text", .text).notNull()
            t.column("addedAt", .double).notNull()
        }

        // Categories and products as small numbers, for the index's filter tags ("zzc3").
        try db.create(table: "articleTagValue") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("kind", .text).notNull()
            t.column("value", .text).notNull()
            t.uniqueKey(["kind", "value"])
        }

        try db.create(table: "articleText") { t in
            t.primaryKey("number", .integer).references("article", onDelete: .cascade)
            t.column("title", .text).notNull()
            t.column("body", .text).notNull()
            t.column("attachments", .text).notNull()
            t.column("tags", .text).notNull()
        }
        // Prefix indexes of 2 and 3 letters: the last word is matched as a prefix while typing.
        try db.execute(sql: """
            CREATE VIRTUAL TABLE articleSearch USING fts5(
                title, body, attachments, tags,
                content='articleText', content_rowid='number',
                prefix='2 3', tokenize='\(KnowledgeBaseTokenizer.name)')
            """)
        let columns = "title, body, attachments, tags"
        try db.execute(sql: """
            CREATE TRIGGER articleText_ai AFTER INSERT ON articleText BEGIN
                INSERT INTO articleSearch(rowid, \(columns)) VALUES (new.number, new.title, new.body, new.attachments, new.tags);
            END;
            CREATE TRIGGER articleText_ad AFTER DELETE ON articleText BEGIN
                INSERT INTO articleSearch(articleSearch, rowid, \(columns)) VALUES ('delete', old.number, old.title, old.body, old.attachments, old.tags);
            END;
            CREATE TRIGGER articleText_au AFTER UPDATE ON articleText BEGIN
                INSERT INTO articleSearch(articleSearch, rowid, \(columns)) VALUES ('delete', old.number, old.title, old.body, old.attachments, old.tags);
                INSERT INTO articleSearch(rowid, \(columns)) VALUES (new.number, new.title, new.body, new.attachments, new.tags);
            END;
            """)
    }

    /// Per connection: the tokenizer, and the index's vocabulary as a temp table (nothing is
    /// stored; it reads `articleSearch` when queried, so it may be made before the migrations).
    static func prepare(_ db: Database) throws {
        db.add(tokenizer: KnowledgeBaseTokenizer.self)
        try db.execute(sql: "CREATE VIRTUAL TABLE IF NOT EXISTS temp.\(SearchExpression.vocabulary) USING fts5vocab(main, articleSearch, row)")
    }
}
