import Foundation
import GRDB

extension SQLiteKnowledgeBaseStore {
    /// Counts per language, category and product, each with the other filters applied: exact
    /// over at most `facetSample` matches, estimated from an even sample above. `baseMatches`:
    /// `base`'s matches when the caller has read them.
    static func facets(_ db: Database, base: String?, baseMatches: MatchSet? = nil, pinned: [ArticleNumber], filters: SearchFilters,
                       query: ArticleQuery) throws -> ArticleFacets {
        struct Attributes { var language: String; var category: String; var products: [String] }
        func attributes(_ sql: String, _ arguments: StatementArguments) throws -> [Int: Attributes] {
            var found: [Int: Attributes] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                found[try row.decode(Int.self, atIndex: 0)] = Attributes(
                    language: try row.decode(String.self, atIndex: 1), category: try row.decode(String.self, atIndex: 2),
                    products: StoredList.items(try row.decode(String.self, atIndex: 3)))
            }
            return found
        }
        let columns = "article.number, article.language, article.category, article.products"
        var rows: [Int: Attributes] = [:]
        var scale = 1.0
        if let base {
            let matches = try baseMatches ?? MatchSet(db, base, window: facetSample, span: numberSpan(db))
            // A window of the newest matches is the sample; every match, an even sample of it.
            let step = matches.isComplete ? max(1, (matches.count + facetSample - 1) / facetSample) : 1
            let sample = step == 1 ? matches.numbers : matches.numbers.filter { $0 % step == 0 }
            rows = try attributes("SELECT \(columns) FROM article WHERE number IN (SELECT value FROM json_each(?))", [jsonArray(sample)])
            if step > 1 || !matches.isComplete, !rows.isEmpty { scale = Double(matches.count) / Double(rows.count) }
        }
        var weights: [Int: Double] = rows.mapValues { _ in scale }
        if !pinned.isEmpty {
            let extra = try attributes("SELECT \(columns) FROM article WHERE number IN (\(marks(pinned.count)))",
                                       StatementArguments(pinned.map(\.value)))
            for (number, attribute) in extra where weights[number] == nil || scale == 1 {
                rows[number] = attribute
                weights[number] = 1
            }
        }

        var languages: [String: Double] = [:], categories: [String: Double] = [:], products: [String: Double] = [:]
        for (number, row) in rows {
            let weight = weights[number] ?? 1
            let language = query.language.map { $0.rawValue == row.language } ?? true
            let category = query.category.map { $0 == row.category } ?? true
            let product = query.productID.map { row.products.contains($0) } ?? true
            if category && product { languages[row.language, default: 0] += weight }
            if language && product { categories[row.category, default: 0] += weight }
            if language && category { for slug in Set(row.products) { products[slug, default: 0] += weight } }
        }
        func counted(_ values: [String: Double]) -> [FacetCount<String>] {
            values.map { FacetCount(value: $0.key, count: Int($0.value.rounded())) }.filter { $0.count > 0 }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
        }
        return ArticleFacets(
            languages: counted(languages).compactMap { item in ArticleLanguage(rawValue: item.value).map { FacetCount(value: $0, count: item.count) } },
            categories: counted(categories), products: counted(products), areEstimates: scale != 1)
    }

    /// The page's results: summaries, and the matched words marked in title, body and attachment.
    static func hits(_ db: Database, _ numbers: [ArticleNumber], words: String?, wordsCount: Int) throws -> [ArticleHit] {
        guard !numbers.isEmpty else { return [] }
        let arguments = StatementArguments(numbers.map(\.value))
        var summaries: [Int: ArticleSummary] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM article WHERE number IN (\(marks(numbers.count)))", arguments: arguments) {
            let summary = try ArticleSummary(articleRow: row)
            summaries[summary.number.value] = summary
        }
        var marked: [Int: (title: String, body: String, attachments: String)] = [:]
        if let words {
            let start = SearchIndexText.matchStart, end = SearchIndexText.matchEnd
            // One pass over the page's range, not one FTS5 run per row (see `among`).
            for row in try among(db, words, numbers.map(\.value), columns: """
                highlight(articleSearch, 0, '\(start)', '\(end)'), snippet(articleSearch, 1, '\(start)', '\(end)', '…', 24)
                """) {
                marked[try row.decode(Int.self, atIndex: 0)] = (try row.decode(String.self, atIndex: 1), try row.decode(String.self, atIndex: 2), "")
            }
            // The attachments' excerpt only for the rows where a word is in the attachments:
            // snippet() runs the tokenizer over the whole column twice (sentences, then marks),
            // and an attachment's text may be 200,000 characters. The words ORed and limited to
            // that column give the same phrases, in the same order, at the same places, so the
            // same excerpt (the words are quoted letters and digits: " AND " is only ever the operator).
            let inAttachments = words.replacingOccurrences(of: "{title body attachments}", with: "{attachments}")
                .replacingOccurrences(of: " AND ", with: " OR ")
            for row in try among(db, inAttachments, Array(marked.keys), columns: "snippet(articleSearch, 2, '\(start)', '\(end)', '…', 24)") {
                let number = try row.decode(Int.self, atIndex: 0)
                marked[number]?.attachments = try row.decode(String.self, atIndex: 1)
            }
        }
        var hits: [ArticleHit] = []
        for number in numbers {
            guard let summary = summaries[number.value] else { continue }
            if let match = marked[number.value] {
                var attachment: (fileName: String, excerpt: Excerpt)?
                if match.attachments.contains(SearchIndexText.matchStart) {
                    let excerpt = Excerpt(marked: match.attachments)
                    attachment = (try attachmentName(db, number, excerpt: excerpt), excerpt)
                }
                hits.append(ArticleHit(article: summary, title: Excerpt(marked: match.title), snippet: Excerpt(marked: match.body),
                                       attachment: attachment))
            } else {
                let body = try String.fetchOne(db, sql: "SELECT substr(body, 1, 400) FROM articleText WHERE number = ?", arguments: [number.value]) ?? ""
                hits.append(ArticleHit(article: summary, title: Excerpt(runs: [.init(text: summary.title, isMatch: false)]),
                                       snippet: Excerpt(runs: [.init(text: Self.opening(body), isMatch: false)])))
            }
        }
        return hits
    }

    /// The first words of a body, cut at a word.
    static func opening(_ body: String) -> String {
        let words = body.split(whereSeparator: \.isWhitespace)
        return words.prefix(24).joined(separator: " ") + (words.count > 24 ? "…" : "")
    }

    /// The attachment whose text holds the excerpt (the index holds them one after another).
    static func attachmentName(_ db: Database, _ number: ArticleNumber, excerpt: Excerpt) throws -> String {
        let rows = try Row.fetchAll(db, sql: "SELECT fileName, text FROM articleAttachment WHERE number = ? ORDER BY id", arguments: [number.value])
        let plain = excerpt.runs.map(\.text).joined().trimmingCharacters(in: CharacterSet(charactersIn: "… \n"))
        let firstMatch = excerpt.runs.first(where: \.isMatch)?.text ?? plain
        for needle in [plain, firstMatch] {
            for row in rows where try row.decode(String.self, atIndex: 1).contains(needle) {
                return try row.decode(String.self, atIndex: 0)
            }
        }
        return try rows.first?.decode(String.self, atIndex: 0) ?? ""
    }
}

extension Excerpt {
    /// Runs from FTS5 output where `SearchIndexText.matchStart`/`matchEnd` surround the matches
    /// (those characters are removed from indexed text, so any found here are the index's).
    init(marked text: String) {
        var runs: [Run] = []
        var current = ""
        var inMatch = false
        for scalar in text.unicodeScalars {
            if scalar == "\u{E000}" || scalar == "\u{E001}" {
                if !current.isEmpty { runs.append(Run(text: current, isMatch: inMatch)) }
                current = ""
                inMatch = scalar == "\u{E000}"
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { runs.append(Run(text: current, isMatch: inMatch)) }
        self.init(runs: runs)
    }
}
