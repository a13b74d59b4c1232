import ArgumentParser
import Foundation
import GRDB
import Notify
import Portal
import StatusModel

/// Benchmarks/kb.sh drives it: writes the articles to import, then times the store's search.
@main
struct KBBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kb-bench", subcommands: [Generate.self, Queries.self, SQL.self])

    /// Words with realistic frequencies: a few in most articles, a long tail of rare ones.
    static let common = ["facture", "client", "paie", "portail", "utilisateur", "service", "compte", "version", "invoice", "user", "account"]
    static let french = ["bulletin", "échéance", "salarié", "déclaration", "règlement", "cotisation", "congé", "absence", "planning",
                         "export", "import", "tableau", "écran", "menu", "paramètre", "droits", "profil", "mot", "passe", "connexion"]
    static let english = ["payslip", "due", "employee", "report", "payment", "leave", "schedule", "dashboard", "screen", "settings",
                          "rights", "profile", "password", "sign", "export", "import", "error", "message", "button", "field"]
    static let categories = ["Aide à l'utilisation", "Portail", "Communication", "Web Assistance", "Webinar partenaire", "Notes de version"]
    static let products = ["cegid-loop", "cegid-stream", "cegid-flow", "cegid-notilus", "cegid-retail-y2", "yourcegid-paie", "cegid-talent",
                           "cegid-hr-ultimate", "cegid-temps-activites", "xrp-flex", "xrp-sprint", "cegid-quadra"]

    /// A rare word of the long tail ("rapprochement" stands for thousands of them).
    static func rare(_ index: Int) -> String {
        let letters = Array("bcdfghjklmnprstvz"), vowels = Array("aeiou")
        var word = ""
        var value = index
        for _ in 0..<4 {
            word.append(letters[value % letters.count]); value /= letters.count
            word.append(vowels[value % vowels.count]); value /= vowels.count
        }
        return word
    }

    struct Generate: ParsableCommand {
        @Option var articles = 100_000
        @Option var out: String

        func run() throws {
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var random = SystemRandomNumberGenerator()
            for index in 1...articles {
                let english = index % 3 == 0
                let vocabulary = english ? KBBench.english : KBBench.french
                var words: [String] = []
                for _ in 0..<150 {
                    let roll = Int.random(in: 0..<100, using: &random)
                    if roll < 8 { words.append(KBBench.common.randomElement(using: &random) ?? "") }
                    else if roll < 60 { words.append(vocabulary.randomElement(using: &random) ?? "") }
                    else {
                        // Zipf-like tail: small indexes are far more frequent.
                        let rank = Int(pow(Double.random(in: 0..<1, using: &random), 3) * 20_000)
                        words.append(KBBench.rare(rank))
                    }
                }
                let title = (0..<6).map { _ in vocabulary.randomElement(using: &random) ?? "" }.joined(separator: " ").capitalized
                var front = ["---", "number: KB\(String(format: "%07d", index))", "title: \"\(title)\"",
                             "category: \"\(KBBench.categories[index % KBBench.categories.count])\"",
                             "products: [\(KBBench.products[index % KBBench.products.count])]", "language: \(english ? "en" : "fr")",
                             "visibility: \(index % 7 == 0 ? "customers" : "public")"]
                if index % 10 == 0 {
                    // The text pdftotext would read from the article's PDF.
                    let text = (0..<300).map { _ in KBBench.rare(Int.random(in: 0..<20_000, using: &random)) }.joined(separator: " ")
                    try Data(text.utf8).write(to: folder.appendingPathComponent("a\(index).txt"))
                    front.append("attachments: [a\(index).txt]")
                }
                front.append("---")
                let body = front.joined(separator: "\n") + "\n" + words.joined(separator: " ") + "\n"
                try Data(body.utf8).write(to: folder.appendingPathComponent("a\(index).md"))
            }
        }
    }

    struct Queries: AsyncParsableCommand {
        @Option var database: String
        @Option var runs = 10_000
        /// Print the query strings (for the HTTP run) instead of timing them.
        @Flag var list = false
        /// Print the queries slower than 50 ms.
        @Flag var slow = false
        /// Print the statements slower than 2 ms (with --slow: of the slow queries), for finding what a query spends.
        @Flag var trace = false

        static func mix(articles: Int) -> [ArticleQuery] {
            var queries: [ArticleQuery] = []
            for index in 0..<50 {
                queries.append(ArticleQuery(text: KBBench.rare(index * 37 + 5)))                       // rare word
                queries.append(ArticleQuery(text: KBBench.common[index % KBBench.common.count]))       // common word
                queries.append(ArticleQuery(text: "\(KBBench.french[index % 20]) \(KBBench.french[(index * 7 + 3) % 20])")) // two words
                let word = KBBench.french[(index * 3) % 20]
                queries.append(ArticleQuery(text: String(word.prefix(2 + index % 3))))                 // prefix as typed
                queries.append(ArticleQuery(text: "KB\(String(format: "%07d", 1 + (index * 1_999) % max(articles, 1)))")) // number
                queries.append(ArticleQuery(text: KBBench.common[index % KBBench.common.count], language: .fr,
                                            category: KBBench.categories[index % 6]))                // with filters
                queries.append(ArticleQuery(text: KBBench.english[index % 20], productID: KBBench.products[index % 12], sort: .views))
            }
            return queries
        }

        func run() async throws {
            let sqlite = try SQLiteDatabase.open(path: database, migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()])
            let store = SQLiteKnowledgeBaseStore(database: sqlite)
            let articles = try await store.search(ArticleQuery(), for: KnowledgeBaseReader.staff).total
            let mix = Self.mix(articles: articles)
            if list {
                for query in mix {
                    var parts = ["q=" + (query.text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics) ?? "")]
                    if let language = query.language { parts.append("lang=\(language.rawValue)") }
                    if let category = query.category { parts.append("category=" + (category.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics) ?? "")) }
                    if let product = query.productID { parts.append("product=\(product)") }
                    if query.sort != ArticleSort.relevance { parts.append("sort=\(query.sort.rawValue)") }
                    print(parts.joined(separator: "&"))
                }
                return
            }
            if trace {
                // Queries run one at a time, so the pool hands the same reader connection back.
                try await sqlite.writer.read { db in
                    db.trace(options: .profile) { event in
                        if case let .profile(statement, duration) = event, duration > 0.002 {
                            print(String(format: "  %6.2f ms ", duration * 1000) + statement.sql.prefix(160))
                        }
                    }
                }
            }
            var timings: [Double] = []
            let clock = ContinuousClock()
            for run in 0..<runs {
                let reader = run % 2 == 0 ? KnowledgeBaseReader.anonymous : KnowledgeBaseReader(signedIn: true)
                let query = mix[run % mix.count]
                let elapsed = try await clock.measure { _ = try await store.search(query, for: reader) }
                let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
                if slow || trace, milliseconds > (slow ? 50 : 0) { print("\(Int(milliseconds)) ms \(query)") }
                timings.append(milliseconds)
            }
            timings.sort()
            func percentile(_ p: Double) -> String { String(format: "%.2f", timings[min(timings.count - 1, Int(Double(timings.count) * p))]) }
            print("store_p50_ms=\(percentile(0.5)) store_p99_ms=\(percentile(0.99)) store_max_ms=\(String(format: "%.2f", timings.last ?? 0))")
        }
    }

    /// Times SQL statements on the benchmark's database, with the knowledge base's tokenizer
    /// registered (the sqlite3 shell cannot read its FTS5 table): for measuring a plan before
    /// changing the store.
    struct SQL: AsyncParsableCommand {
        @Option var database: String
        @Option var repeats = 3
        /// Statements run first on the connection (pragmas).
        @Option var setup: [String] = []
        /// Run the statements in a write transaction (an index `optimize`, say) instead of a read.
        @Flag var write = false
        @Argument var statements: [String]

        func run() async throws {
            let sqlite = try SQLiteDatabase.open(path: database, migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()])
            let clock = ContinuousClock()
            let body: @Sendable (Database) throws -> Void = { db in
                for statement in setup { _ = try Row.fetchAll(db, sql: statement) }
                for statement in statements {
                    var timings: [Double] = []
                    var rows: [Row] = []
                    for _ in 0..<repeats {
                        let elapsed = try clock.measure { rows = try Row.fetchAll(db, sql: statement) }
                        timings.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                    }
                    let shown = rows.prefix(3).map { $0.description }.joined(separator: " ")
                    print(String(format: "%8.2f ms (min of %d) rows=%d ", timings.min() ?? 0, repeats, rows.count) + "\(statement.prefix(110)) → \(shown.prefix(200))")
                }
            }
            if write { try await sqlite.writer.write(body) } else { try await sqlite.writer.read(body) }
        }
    }
}
