import Foundation
import GRDB

/// Search, with its work bounded whatever the query: FTS5 scores every row it is asked to rank
/// (a word in 70 % of 100,000 articles costs about 100 ms with bm25 over all matches), so
/// - relevance ranks at most `rankedCandidates` rows with bm25 when there are more matches:
///   the newest of those whose title matches and the newest of all, both among the window
///   below (a word in more articles ranks its newest ones); the rest follow, newest first;
/// - the matches are read from the index once (`MatchSet`), newest first and at most
///   `matchWindow` (2,000) of them for relevance: past that the total is extrapolated from the span of
///   numbers they cover (shown as "about N"), since reading 66,000 matches costs 20 ms where
///   2,000 cost 1.5. The facets, the newest matches and the ranked candidates read that set
///   instead of running MATCH again; the other sorts, and pages past the window, read every match;
/// - a last word longer than the prefix indexes is spelled out as the terms it begins
///   (`SearchExpression.words(_:db:prefixTerms:)`), so no statement merges its doclists;
/// - facet counts are exact up to `facetSample` matches, and above it are read from an even
///   sample of the matches (every k-th article number) and scaled (`ArticleFacets.areEstimates`);
/// - sorts by views, date or title over many matches walk the article index in that order and
///   test each article against the set of matches, instead of sorting every match.
extension SQLiteKnowledgeBaseStore {
    static let rankedCandidates = 200
    static let facetSample = 1_000
    /// bm25 weights: title, body, attachments, tags.
    static let rankSQL = "bm25(articleSearch, 10.0, 4.0, 1.0, 0.0)"

    public func search(_ query: ArticleQuery, for reader: KnowledgeBaseReader) async throws -> ArticleResults {
        let text = SearchText(query.text)
        let pageSize = min(max(query.pageSize, 1), 100)
        let prefixTerms = self.prefixTerms, window = matchWindow
        return try await writer.read { db in
            let visibility = try SearchExpression.visibility(reader, db)
            let filters = try SearchFilters(query, db)
            let words = try SearchExpression.words(text.words, db: db, prefixTerms: prefixTerms)
            let rule = VisibilityRule(reader)

            // Numbers: the articles named, then those citing them (visible, filters applied).
            var pinned: [ArticleNumber] = []
            if !text.numbers.isEmpty {
                let named = try Int.fetchAll(db, sql: "SELECT number FROM article WHERE number IN (\(Self.marks(text.numbers.count))) AND \(rule.sql)",
                                             arguments: StatementArguments(text.numbers.map(\.value)) + rule.arguments)
                let candidates = text.numbers.filter { named.contains($0.value) }
                    + (try Self.citing(db, text.numbers, rule: rule)).map(\.number)
                var seen: Set<ArticleNumber> = []
                let ordered = candidates.filter { seen.insert($0).inserted }
                let passing = try Set(Self.matching(db, SearchExpression.and([visibility] + filters.all), among: ordered))
                pinned = ordered.filter { passing.contains($0) }
            }

            // Without words a number query is only its pinned articles; without anything, all.
            let searchesIndex = words != nil || text.numbers.isEmpty
            let expression = SearchExpression.and([words, visibility] + filters.all)
            var indexTotal = 0
            var matches = MatchSet(numbers: [])
            if searchesIndex {
                // The other sorts walk the articles in their order and test each against every
                // match; a page past the newest matches needs the others.
                let deepPage = max(query.page, 1) > window / 2 / pageSize  // page × size > window / 2, without overflowing on a page typed as 9…9
                if words == nil || query.sort != .relevance || deepPage {
                    matches = try MatchSet(db, expression)
                } else {
                    matches = try MatchSet(db, expression, window: window, span: Self.numberSpan(db))
                }
                indexTotal = max(0, matches.count - pinned.count { matches.contains($0.value) })
            }
            let total = pinned.count + indexTotal
            let pageCount = max(1, (total + pageSize - 1) / pageSize)
            let page = min(max(query.page, 1), pageCount)
            let offset = (page - 1) * pageSize

            var numbers = Array(pinned.dropFirst(offset).prefix(pageSize))
            if searchesIndex, numbers.count < pageSize {
                let indexOffset = max(0, offset - pinned.count)
                numbers += try Self.ordered(db, expression: expression, matches: matches, words: words, sort: query.sort, rule: rule,
                                            total: indexTotal, excluding: pinned, offset: indexOffset, limit: pageSize - numbers.count)
            }
            // Without filters the facets' base is the expression just read: not read twice.
            let facets = try Self.facets(db, base: searchesIndex ? SearchExpression.and([words, visibility]) : nil,
                                         baseMatches: filters.isEmpty ? matches : nil, pinned: pinned, filters: filters, query: query)
            let hits = try Self.hits(db, numbers, words: words, wordsCount: text.words.count)
            return ArticleResults(total: total, totalIsEstimate: searchesIndex && !matches.isComplete, hits: hits, facets: facets,
                                  page: page, pageCount: pageCount)
        }
    }

    static func marks(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

    /// The lowest and highest article numbers: the span a window of matches is extrapolated over.
    static func numberSpan(_ db: Database) throws -> ClosedRange<Int> {
        // Two statements: `min` and `max` together scan the table (19 ms at 100,000), each alone is an index seek.
        let low = try Int.fetchOne(db, sql: "SELECT min(number) FROM article") ?? 1
        let high = try Int.fetchOne(db, sql: "SELECT max(number) FROM article") ?? 1
        return min(low, high)...max(low, high)
    }

    /// The numbers of the articles matching an expression, read from the index once per search:
    /// each statement that ran MATCH again walked (and for a prefix merged) every doclist again.
    /// The total is its count, the facets sample it, and the sorts and the newest matches read it.
    struct MatchSet {
        /// Ascending, as FTS5 gives them.
        let numbers: [Int]
        /// Every match is in `numbers`; else only the newest of them (`init(_:_:window:span:)`).
        let isComplete: Bool
        /// How many there are: `numbers.count` when complete, else an estimate.
        let count: Int

        init(numbers: [Int]) { self.init(numbers: numbers, isComplete: true, count: numbers.count) }

        private init(numbers: [Int], isComplete: Bool, count: Int) {
            self.numbers = numbers
            self.isComplete = isComplete
            self.count = count
        }

        /// Every match. One string of numbers, parsed here: a row per match through the Swift
        /// side cost about ten times the walk itself (measured at 66,000 matches).
        init(_ db: Database, _ expression: String) throws {
            let list = try String.fetchOne(db, sql: "SELECT group_concat(rowid) FROM articleSearch WHERE articleSearch MATCH ?",
                                           arguments: [expression]) ?? ""
            self.init(numbers: Self.ascending(list))
        }

        /// The newest `window` matches, and their count when there are no more; past that the
        /// count is extrapolated from the share of `span` they cover (articles are numbered in
        /// order and a word's matches spread over them). FTS5 walks its doclists backwards and
        /// stops at the limit: at 100,000 articles, 2,000 of the 66,768 matches of "facture"
        /// take 1.3 ms to read, all of them 22 ms.
        init(_ db: Database, _ expression: String, window: Int, span: ClosedRange<Int>) throws {
            let list = try String.fetchOne(db, sql: """
                SELECT group_concat(rowid) FROM (SELECT rowid FROM articleSearch WHERE articleSearch MATCH ? ORDER BY rowid DESC LIMIT ?)
                """, arguments: [expression, window + 1]) ?? ""
            let found = Self.ascending(list)
            guard found.count > window, let lowest = found.dropFirst().first else {
                self.init(numbers: found)
                return
            }
            let newest = Array(found.dropFirst())
            let covered = Double(span.upperBound - lowest + 1), whole = Double(span.count)
            self.init(numbers: newest, isComplete: false,
                      count: min(span.count, max(found.count, Int((Double(newest.count) * whole / max(covered, 1)).rounded()))))
        }

        /// Numbers from `group_concat`, ascending.
        static func ascending(_ list: String) -> [Int] {
            var numbers: [Int] = []
            numbers.reserveCapacity(list.utf8.count / 4)
            var value = 0, inNumber = false
            for byte in list.utf8 {
                if byte >= 0x30, byte <= 0x39 {
                    value = value &* 10 &+ Int(byte - 0x30)
                    inNumber = true
                } else if inNumber {
                    numbers.append(value)
                    value = 0
                    inNumber = false
                }
            }
            if inNumber { numbers.append(value) }
            // `contains` relies on the order: FTS5 gives rowids ascending, or descending when asked.
            if numbers.first ?? 0 > numbers.last ?? 0 { numbers.reverse() }
            if numbers.indices.dropFirst().contains(where: { numbers[$0 - 1] >= numbers[$0] }) { numbers = Array(Set(numbers)).sorted() }
            return numbers
        }

        func contains(_ number: Int) -> Bool {
            var low = 0, high = numbers.count
            while low < high {
                let middle = (low + high) / 2
                if numbers[middle] < number { low = middle + 1 } else { high = middle }
            }
            return low < numbers.count && numbers[low] == number
        }

        /// The newest matches (highest numbers) not in `excluded`, skipping `offset` of them.
        func newest(excluding excluded: Set<Int>, offset: Int, limit: Int) -> [Int] {
            var found: [Int] = []
            var skipped = 0
            for number in numbers.reversed() where !excluded.contains(number) {
                if skipped < offset { skipped += 1; continue }
                found.append(number)
                if found.count == limit { break }
            }
            return found
        }
    }

    /// A JSON array of numbers, for `json_each(?)`: a set handed back to SQLite without MATCH.
    static func jsonArray(_ numbers: some Sequence<Int>) -> String {
        "[" + numbers.map(String.init).joined(separator: ",") + "]"
    }

    /// Which of `numbers` match `expression`, in one pass of the index over their range (see `among`).
    static func matching(_ db: Database, _ expression: String, among numbers: [ArticleNumber]) throws -> [ArticleNumber] {
        try among(db, expression, numbers.map(\.value), columns: "1").map { ArticleNumber(try $0.decode(Int.self, atIndex: 0)) }
    }

    /// `columns` of the rows among `numbers` that match `words`, in one pass of the index.
    ///
    /// Not `MATCH ? AND rowid IN (…)`: FTS5 runs such a query once per listed rowid, and each
    /// run starts over: it parses the expression, merges the whole doclist of every prefix term
    /// (`"facture"*`: no prefix index past 3 letters) and, for bm25, counts again the rows of every
    /// phrase. Measured on 2,000 articles ("facture", 1,150 matches; sqlite3 with a C unicode61
    /// tokenizer, so before the Swift tokenizer's cost): bm25 of 200 listed rows 74 ms (370 µs a
    /// row), of all 1,150 matches 2 ms; highlight and snippets of 20 rows 3.4 ms against 0.5 ms.
    /// So FTS5 is given only the range of the numbers (one run, rowids in order) and SQLite tests
    /// each match in it against the list (`+rowid` is not a constraint FTS5 sees); bm25 and the
    /// snippets run only for the rows that pass. The ranges of a page or of the ranked
    /// candidates are narrow, and even a wide one costs a walk of the matches (about what a
    /// count costs), not a prefix merge per row.
    ///
    /// `words` alone, without visibility and filters: the callers' numbers already satisfy
    /// them, and bm25 gives the same score (the tags column weighs 0, and a phrase's weight
    /// depends only on the rows holding it), checked equal on the 200 rows above.
    static func among(_ db: Database, _ words: String, _ numbers: [Int], columns: String) throws -> [Row] {
        guard let low = numbers.min(), let high = numbers.max() else { return [] }
        return try Row.fetchAll(db, sql: """
            SELECT rowid, \(columns) FROM articleSearch WHERE articleSearch MATCH ? AND rowid BETWEEN ? AND ?
            AND +rowid IN (\(marks(numbers.count)))
            """, arguments: [words, low, high] + StatementArguments(numbers))
    }

    /// One page of the index's matches in the query's order, `excluding` the pinned articles.
    static func ordered(_ db: Database, expression: String, matches: MatchSet, words: String?, sort: ArticleSort, rule: VisibilityRule,
                        total: Int, excluding pinned: [ArticleNumber], offset: Int, limit: Int) throws -> [ArticleNumber] {
        guard limit > 0, offset < total else { return [] }
        let excluded = pinned.isEmpty ? "" : " AND rowid NOT IN (\(marks(pinned.count)))"
        let excludedArguments = StatementArguments(pinned.map(\.value))
        if sort == .relevance, let words {
            var candidates: [(number: Int, score: Double)]
            if total <= rankedCandidates {
                candidates = try Row.fetchAll(db, sql: """
                    SELECT rowid, \(rankSQL) AS score FROM articleSearch WHERE articleSearch MATCH ?\(excluded)
                    """, arguments: [expression] + excludedArguments).map { (try $0.decode(Int.self, atIndex: 0), try $0.decode(Double.self, atIndex: 1)) }
            } else {
                // Titles weigh most: the newest articles whose title matches are ranked, with the newest matches.
                // Among the newest matches when only those were read: a word no title holds
                // would otherwise walk every match.
                let titleExpression = expression.replacingOccurrences(of: "{title body attachments}", with: "{title}")
                // Read ascending from the floor and cut here: FTS5 walks every match for
                // `ORDER BY rowid DESC` with a lower bound (17.7 ms against 0.96 for a word no title has).
                var pool: Set<Int>
                if matches.isComplete {
                    pool = Set(try Int.fetchAll(db, sql: """
                        SELECT rowid FROM articleSearch WHERE articleSearch MATCH ?\(excluded) ORDER BY rowid DESC LIMIT \(rankedCandidates / 2)
                        """, arguments: [titleExpression] + excludedArguments))
                } else {
                    pool = Set(try Int.fetchAll(db, sql: """
                        SELECT rowid FROM articleSearch WHERE articleSearch MATCH ?\(excluded) AND rowid >= ?
                        """, arguments: [titleExpression] + excludedArguments + [matches.numbers.first ?? 0]).suffix(rankedCandidates / 2))
                }
                pool.formUnion(matches.newest(excluding: Set(pinned.map(\.value)), offset: 0, limit: rankedCandidates / 2))
                candidates = try among(db, words, Array(pool), columns: rankSQL)
                    .map { (try $0.decode(Int.self, atIndex: 0), try $0.decode(Double.self, atIndex: 1)) }
            }
            candidates.sort { $0.score != $1.score ? $0.score < $1.score : $0.number > $1.number }
            var page = candidates.dropFirst(offset).prefix(limit).map { ArticleNumber($0.number) }
            if page.count < limit {
                // Past the ranked ones, the other matches follow, newest first.
                let ranked = candidates.map(\.number)
                page += matches.newest(excluding: Set(ranked + pinned.map(\.value)), offset: max(0, offset - ranked.count),
                                       limit: limit - page.count).map(ArticleNumber.init)
            }
            return page
        }
        let order = switch sort {
        case .views: "article.views DESC, article.number DESC"
        case .title: "article.sortTitle ASC, article.number ASC"
        case .newest, .relevance: "article.updatedAt DESC, article.number DESC"
        }
        let articles = try Int.fetchOne(db, sql: "SELECT count(*) FROM article") ?? 0
        // Many matches: walk the articles in order and test each against the matches already
        // read (a correlated `EXISTS … MATCH` ran FTS5 once per article walked, and an `IN
        // (SELECT … MATCH)` walked the index again to build its table); few matches: sort them all.
        let tests = Double(offset + limit) * Double(max(articles, 1)) / Double(max(total, 1))
        if total > 3_000, tests < 5_000 {
            let excludedNumbers = Set(pinned.map(\.value))
            var page: [ArticleNumber] = []
            var skipped = 0
            let walk = try Int.fetchCursor(db, sql: "SELECT article.number FROM article WHERE \(rule.sql) ORDER BY \(order)",
                                           arguments: rule.arguments)
            while let number = try walk.next() {
                guard matches.contains(number), !excludedNumbers.contains(number) else { continue }
                if skipped < offset { skipped += 1; continue }
                page.append(ArticleNumber(number))
                if page.count == limit { break }
            }
            return page
        }
        return try Int.fetchAll(db, sql: """
            SELECT article.number FROM articleSearch JOIN article ON article.number = articleSearch.rowid
            WHERE articleSearch MATCH ?\(excluded.replacingOccurrences(of: "rowid", with: "articleSearch.rowid"))
            ORDER BY \(order) LIMIT ? OFFSET ?
            """, arguments: [expression] + excludedArguments + [limit, offset]).map(ArticleNumber.init)
    }
}
