import Foundation
import GRDB

/// FTS5 expressions built from what the user typed: every word is a quoted string (the text
/// was split on everything but letters and digits, so no quote, star, colon or parenthesis
/// remains), the last one also as a prefix. Words only search title, body and attachments;
/// visibility and filters are tags of the `tags` column.
enum SearchExpression {
    /// `{title body attachments} : ("w1" AND ("w2"* OR "w2"))`, or nil without words.
    static func words(_ words: [String], columns: String = "title body attachments") -> String? {
        guard !words.isEmpty else { return nil }
        var terms = words.map { "\"\($0)\"" }
        if let last = words.last, last.count >= 2 {
            // A prefix is taken as typed (not stemmed) and the whole word by its stem: "invoices"
            // meets "invoice", and "factu" meets "facturation".
            terms[terms.count - 1] = "(\"\(last)\"* OR \"\(last)\")"
        }
        return "{\(columns)} : (\(terms.joined(separator: " AND ")))"
    }

    /// `words(_:)`, with the last word's prefix, when longer than the prefix indexes (3
    /// letters), spelled out as the index terms it begins (at most `expansionLimit`, read from
    /// the vocabulary through `prefixTerms`): `("zzzx" + term OR … OR "w")`. The matches are the same, but FTS5 then
    /// streams an OR of doclists, where for `"w"*` it merged the doclists of every term with
    /// that prefix into one buffer, allocated and copied again by each statement of a search
    /// (hundreds of milliseconds for a common word at 100,000 articles).
    static func words(_ words: [String], db: Database, prefixTerms: PrefixTerms) throws -> String? {
        guard let last = words.last, let prefix = indexFolded(last), prefix.utf8.count > 3 else { return Self.words(words) }
        let terms = try prefixTerms.terms(db, prefix: prefix, limit: expansionLimit)
        guard terms.count <= expansionLimit else { return Self.words(words) }
        // The whole word is a query word: the tokenizer stems it (up to 64 bytes), and it meets that stem.
        let stem = prefix.utf8.count > 64 ? prefix : WordStemmer.stem(prefix)
        // A term whose stem is the word's adds nothing: each document word is indexed with its
        // stem beside it, so its articles are among the word's. Dropping it spares FTS5 a
        // doclist per such term, and bm25 a count of its rows (6 ms each for a common word).
        var parts = terms.filter { $0 != stem && ($0.utf8.count > 64 || WordStemmer.stem($0) != stem) }.map { "\"\(exactTerm)\($0)\"" }
        parts.append("\"\(last)\"")
        var quoted = words.dropLast().map { "\"\($0)\"" }
        quoted.append("(\(parts.joined(separator: " OR ")))")
        return "{title body attachments} : (\(quoted.joined(separator: " AND ")))"
    }

    static let expansionLimit = 40
    /// A query word made of this and an index term is that term as it is (not stemmed: see `KnowledgeBaseTokenizer`).
    static let exactTerm = "zzzx"
    /// The index's terms (a temp table of each connection, made by `KnowledgeBaseMigrations.prepare`).
    static let vocabulary = "articleSearchVocab"

    /// `word` as the index's unicode61 tokenizer folds it (case and accents), when each of its
    /// characters folds to one ASCII letter or digit; nil otherwise (no expansion is tried then).
    static func indexFolded(_ word: String) -> String? {
        var folded = ""
        for character in word {
            let plain = String(character).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
            guard plain.unicodeScalars.count == 1, let scalar = plain.unicodeScalars.first,
                  ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) else { return nil }
            folded.unicodeScalars.append(scalar)
        }
        return folded
    }

    /// The tags `reader` may see: all for staff, else published articles for everyone, for
    /// customers when signed in, and for the services the reader's tenants subscribe to.
    static func visibility(_ reader: KnowledgeBaseReader, _ db: Database) throws -> String {
        guard !reader.isStaff else { return "tags : \(SearchIndexText.all)" }
        var tags = [SearchIndexText.everyone]
        if reader.signedIn { tags.append(SearchIndexText.customers) }
        let tenants = Array(reader.tenantIDs.prefix(200))
        if !tenants.isEmpty {
            let services = try Int64.fetchAll(db, sql: """
                SELECT DISTINCT serviceID FROM serviceSubscription WHERE state = 'accepted'
                AND tenantID IN (\(tenants.map { _ in "?" }.joined(separator: ", ")))
                """, arguments: StatementArguments(tenants))
            tags += services.map(SearchIndexText.service)
        }
        return "tags : (\(tags.joined(separator: " OR ")))"
    }

    static func and(_ parts: [String?]) -> String {
        parts.compactMap { $0 }.map { "(\($0))" }.joined(separator: " AND ")
    }
}

/// The filters of a query as tags; a value no article has becomes a tag nothing has.
struct SearchFilters {
    var language: String?
    var category: String?
    var product: String?
    var categoryID: Int64?
    var productID: Int64?

    static let nothing = "tags : zznone"

    init(_ query: ArticleQuery, _ db: Database) throws {
        if let language = query.language { self.language = "tags : \(SearchIndexText.language(language))" }
        if let category = query.category {
            categoryID = try SearchIndexText.tagID(db, kind: "category", value: category, create: false)
            self.category = categoryID.map { "tags : \(SearchIndexText.category($0))" } ?? Self.nothing
        }
        if let product = query.productID {
            productID = try SearchIndexText.tagID(db, kind: "product", value: product, create: false)
            self.product = productID.map { "tags : \(SearchIndexText.product($0))" } ?? Self.nothing
        }
    }

    var isEmpty: Bool { language == nil && category == nil && product == nil }
    var all: [String?] { [language, category, product] }
}
