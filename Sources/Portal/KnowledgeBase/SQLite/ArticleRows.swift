import Foundation
import GRDB

// Columns are decoded with `try`, never read with `row["column"]`: GRDB's subscript traps on a
// NULL or a value of another type, and one damaged row would stop the whole server.

extension ArticleVisibility {
    var storedName: String {
        switch self {
        case .everyone: "everyone"
        case .customers: "customers"
        case .service: "service"
        }
    }

    var serviceID: Int64? {
        if case .service(let id) = self { return id }
        return nil
    }

    init(storedName: String, serviceID: Int64?) {
        switch storedName {
        case "everyone": self = .everyone
        case "customers": self = .customers
        // A service article whose service is gone (NULL) stays restricted: to no tenant.
        default: self = .service(id: serviceID ?? 0)
        }
    }
}

/// Products and picks are kept as space-separated text on the article row, so that a list
/// reads them without a join (slugs hold no spaces).
enum StoredList {
    static func text(_ items: [String]) -> String { items.joined(separator: " ") }
    static func items(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }
    static func numbers(_ text: String) -> [ArticleNumber] { items(text).compactMap { Int($0).map(ArticleNumber.init) } }
    static func text(_ numbers: [ArticleNumber]) -> String { numbers.map { String($0.value) }.joined(separator: " ") }
}

extension ArticleDraft {
    /// Reads the content columns of an `articleVersion` row.
    init(versionRow row: Row) throws {
        self.init(title: try row.decode(String.self, forColumn: "title"), body: try row.decode(String.self, forColumn: "body"),
                  category: try row.decode(String.self, forColumn: "category"),
                  productIDs: StoredList.items(try row.decode(String.self, forColumn: "products")),
                  language: ArticleLanguage(rawValue: try row.decode(String.self, forColumn: "language")) ?? .fr,
                  translation: try row.decode(Int?.self, forColumn: "translation").map(ArticleNumber.init),
                  visibility: ArticleVisibility(storedName: try row.decode(String.self, forColumn: "visibility"),
                                                serviceID: try row.decode(Int64?.self, forColumn: "serviceID")),
                  relatedPicks: StoredList.numbers(try row.decode(String.self, forColumn: "relatedPicks")))
    }
}

extension ArticleRating {
    init(articleRow row: Row) throws {
        let count = try row.decode(Int.self, forColumn: "ratingCount")
        let sum = try row.decode(Int.self, forColumn: "ratingSum")
        self.init(average: count == 0 ? 0 : Double(sum) / Double(count), count: count)
    }
}

extension ArticleSummary {
    /// Reads an `article` row.
    init(articleRow row: Row) throws {
        self.init(number: ArticleNumber(try row.decode(Int.self, forColumn: "number")), title: try row.decode(String.self, forColumn: "title"),
                  category: try row.decode(String.self, forColumn: "category"),
                  productIDs: StoredList.items(try row.decode(String.self, forColumn: "products")),
                  language: ArticleLanguage(rawValue: try row.decode(String.self, forColumn: "language")) ?? .fr,
                  updatedAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "updatedAt")),
                  views: try row.decode(Int.self, forColumn: "views"), rating: try ArticleRating(articleRow: row),
                  state: ArticleState(rawValue: try row.decode(String.self, forColumn: "state")) ?? .draft)
    }
}

extension ArticleAttachment {
    init(row: Row) throws {
        self.init(id: try row.decode(Int64.self, forColumn: "id"), number: ArticleNumber(try row.decode(Int.self, forColumn: "number")),
                  fileName: try row.decode(String.self, forColumn: "fileName"),
                  blob: BlobReference(sha256: try row.decode(String.self, forColumn: "sha256"), size: try row.decode(Int64.self, forColumn: "size"),
                                      contentType: try row.decode(String.self, forColumn: "contentType")),
                  addedAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "addedAt")))
    }
}

/// Who may see what, as SQL over the `article` row named `alias`: one rule for every read.
struct VisibilityRule {
    let sql: String
    let arguments: StatementArguments

    init(_ reader: KnowledgeBaseReader, alias: String = "article") {
        guard !reader.isStaff else {
            sql = "1"
            arguments = []
            return
        }
        let tenants = reader.tenantIDs.prefix(200)
        let serviceClause = tenants.isEmpty ? "0" : """
            (\(alias).visibility = 'service' AND \(alias).serviceID IN (SELECT serviceID FROM serviceSubscription
                WHERE state = 'accepted' AND tenantID IN (\(tenants.map { _ in "?" }.joined(separator: ", ")))))
            """
        sql = """
            (\(alias).state = 'published' AND (\(alias).visibility = 'everyone' OR (\(alias).visibility = 'customers' AND ?) OR \(serviceClause)))
            """
        arguments = StatementArguments([reader.signedIn]) + StatementArguments(Array(tenants))
    }
}
