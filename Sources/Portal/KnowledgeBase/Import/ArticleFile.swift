import Foundation
import Yams

/// One Markdown file of an import, read and checked: YAML front matter between `---` lines,
/// then the body.
public struct ArticleFile: Sendable, Hashable {
    public var number: ArticleNumber?
    public var draft: ArticleDraft
    public var state: ArticleState
    /// Paths of files beside the article, as written.
    public var attachments: [String]

    /// Why a file was refused, in a sentence.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    static let keys: Set<String> = ["number", "title", "category", "products", "language", "visibility", "translation", "related",
                                    "attachments", "state"]

    /// Reads `text`; `categories` are the config's, `serviceID` finds a service by name.
    public static func parse(_ source: String, categories: [String], serviceID: (String) async throws -> Int64?) async throws -> ArticleFile {
        let normalized = source.replacingOccurrences(of: "\r\n", with: "\n")
        guard normalized.hasPrefix("---\n") else { throw Problem("no front matter: the file must start with a line \"---\"") }
        let rest = normalized.dropFirst(4)
        guard let end = rest.range(of: "\n---\n") ?? (rest.hasSuffix("\n---") ? rest.range(of: "\n---", options: .backwards) : nil) else {
            throw Problem("the front matter is not closed by a line \"---\"")
        }
        let yaml = String(rest[..<end.lowerBound])
        let body = String(rest[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        let fields: [String: Any]
        do {
            guard let loaded = try Yams.load(yaml: yaml) as? [String: Any] else { throw Problem("the front matter is not a mapping of keys") }
            fields = loaded
        } catch let problem as Problem {
            throw problem
        } catch let error as YamlError {
            throw Problem("the front matter is not valid YAML (\(error))")
        } catch {
            throw Problem("the front matter is not valid YAML")
        }
        if let unknown = fields.keys.sorted().first(where: { !keys.contains($0) }) {
            throw Problem("unknown key \"\(unknown)\" (known keys: \(keys.sorted().joined(separator: ", ")))")
        }
        func text(_ key: String) -> String? {
            guard let value = fields[key] else { return nil }
            return "\(value)".trimmingCharacters(in: .whitespaces)
        }
        func list(_ key: String) throws -> [String] {
            guard let value = fields[key] else { return [] }
            if let items = value as? [Any] { return items.map { "\($0)".trimmingCharacters(in: .whitespaces) } }
            throw Problem("\(key): expected a list")
        }
        func articleNumber(_ key: String, _ value: String) throws -> ArticleNumber {
            if let number = ArticleNumber(value) { return number }
            if let digits = Int(value), digits > 0, digits < 1_000_000_000 { return ArticleNumber(digits) }
            throw Problem("\(key): expected an article number such as KB0000123, got \"\(value)\"")
        }

        guard let title = text("title"), !title.isEmpty else { throw Problem("title: missing") }
        guard title.count <= 300 else { throw Problem("title: longer than 300 characters") }
        guard !body.isEmpty else { throw Problem("the article has no text below its front matter") }
        guard let category = text("category"), !category.isEmpty else { throw Problem("category: missing") }
        guard let knownCategory = categories.first(where: { $0.lowercased() == category.lowercased() }) else {
            throw Problem("category: \"\(category)\" is not one of the config's (\(categories.joined(separator: ", ")))")
        }
        guard let languageText = text("language"), let language = ArticleLanguage(rawValue: languageText.lowercased()) else {
            throw Problem("language: expected fr or en, got \"\(text("language") ?? "")\"")
        }
        let products = try list("products")
        if let bad = products.first(where: { !ProductSlugText.isValid($0) }) {
            throw Problem("products: \"\(bad)\" is not a product slug (lower-case letters, digits, dashes)")
        }
        let visibility: ArticleVisibility
        switch text("visibility") ?? "public" {
        case "public", "everyone": visibility = .everyone
        case "customers": visibility = .customers
        case let value where value.hasPrefix("service:"):
            let name = value.dropFirst("service:".count).trimmingCharacters(in: .whitespaces)
            guard let id = try await serviceID(name) else { throw Problem("visibility: no service is named \"\(name)\"") }
            visibility = .service(id: id)
        case let value:
            throw Problem("visibility: expected public, customers or service:NAME, got \"\(value)\"")
        }
        let state: ArticleState
        if let value = text("state") {
            guard let known = ArticleState(rawValue: value) else { throw Problem("state: expected draft, published or retired, got \"\(value)\"") }
            state = known
        } else {
            state = .published
        }
        let attachments = try list("attachments")
        for path in attachments where path.isEmpty || path.hasPrefix("/") || path.split(separator: "/").contains("..") {
            throw Problem("attachments: \"\(path)\" must be a path beside the article, inside the folder")
        }
        return ArticleFile(
            number: try text("number").map { try articleNumber("number", $0) },
            draft: ArticleDraft(title: title, body: body, category: knownCategory, productIDs: products, language: language,
                                translation: try text("translation").map { try articleNumber("translation", $0) }, visibility: visibility,
                                relatedPicks: try list("related").map { try articleNumber("related", $0) }),
            state: state, attachments: attachments)
    }
}

/// Product slugs as the config writes them: lower-case letters, digits and dashes.
enum ProductSlugText {
    static func isValid(_ slug: String) -> Bool {
        !slug.isEmpty && slug.count <= 100 && slug.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }
}
