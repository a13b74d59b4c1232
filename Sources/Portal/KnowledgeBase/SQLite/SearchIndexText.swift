import GRDB

/// What the search index holds besides the words: the characters that mark matches in
/// snippets are removed from indexed text, and filter tags let visibility and filters run
/// inside FTS5 (a join per match costs about a microsecond, a tag about 40 ns: over 70,000
/// matches that is the difference between 60 ms and 3 ms).
enum SearchIndexText {
    /// Start and end of a match in `highlight()` and `snippet()` output (private-use characters).
    static let matchStart = "\u{E000}", matchEnd = "\u{E001}"
    /// At most this many characters of one attachment's text are indexed.
    static let attachmentLimit = 200_000

    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\u{E000}" || $0 == "\u{E001}" }) else { return text }
        return String(text.unicodeScalars.filter { $0 != "\u{E000}" && $0 != "\u{E001}" }.map(Character.init))
    }

    // The tags (digits keep them out of the stemmer; the `tags` column is never searched for words).
    static let all = "zz0"
    static let everyone = "zzv0", customers = "zzv1"
    static func service(_ id: Int64) -> String { "zzs\(id)" }
    static func language(_ language: ArticleLanguage) -> String { language == .fr ? "zzl0" : "zzl1" }
    static func category(_ id: Int64) -> String { "zzc\(id)" }
    static func product(_ id: Int64) -> String { "zzp\(id)" }

    /// The small number standing for a category or product in tags; made on first use when `create`.
    static func tagID(_ db: Database, kind: String, value: String, create: Bool) throws -> Int64? {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM articleTagValue WHERE kind = ? AND value = ?", arguments: [kind, value]) {
            return id
        }
        guard create else { return nil }
        try db.execute(sql: "INSERT INTO articleTagValue (kind, value) VALUES (?, ?)", arguments: [kind, value])
        return db.lastInsertedRowID
    }
}

extension SQLiteKnowledgeBaseStore {
    /// Rewrites the article's tags from its row: who may see it (published only), language,
    /// category, products.
    static func writeTags(_ db: Database, _ number: ArticleNumber) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT state, visibility, serviceID, language, category, products FROM article WHERE number = ?",
                                         arguments: [number.value]) else { return }
        var tags = [SearchIndexText.all]
        if try row.decode(String.self, forColumn: "state") == ArticleState.published.rawValue {
            switch try row.decode(String.self, forColumn: "visibility") {
            case "everyone": tags.append(SearchIndexText.everyone)
            case "customers": tags.append(SearchIndexText.customers)
            default:
                if let service = try row.decode(Int64?.self, forColumn: "serviceID") { tags.append(SearchIndexText.service(service)) }
            }
        }
        tags.append(SearchIndexText.language(ArticleLanguage(rawValue: try row.decode(String.self, forColumn: "language")) ?? .fr))
        if let id = try SearchIndexText.tagID(db, kind: "category", value: try row.decode(String.self, forColumn: "category"), create: true) {
            tags.append(SearchIndexText.category(id))
        }
        for product in StoredList.items(try row.decode(String.self, forColumn: "products")) {
            if let id = try SearchIndexText.tagID(db, kind: "product", value: product, create: true) { tags.append(SearchIndexText.product(id)) }
        }
        let text = tags.joined(separator: " ")
        try db.execute(sql: "UPDATE articleText SET tags = ? WHERE number = ? AND tags <> ?", arguments: [text, number.value, text])
    }

    /// Rewrites the indexed text of the article's attachments.
    static func writeAttachmentText(_ db: Database, _ number: ArticleNumber) throws {
        let texts = try String.fetchAll(db, sql: "SELECT text FROM articleAttachment WHERE number = ? ORDER BY id", arguments: [number.value])
        try db.execute(sql: "UPDATE articleText SET attachments = ? WHERE number = ?",
                       arguments: [texts.joined(separator: "\n\n"), number.value])
    }
}
