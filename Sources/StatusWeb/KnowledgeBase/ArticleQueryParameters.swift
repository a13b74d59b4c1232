import Foundation
import Hummingbird
import Portal

/// The query string of a search, `/kb?q=…&language=&category=&product=&sort=&page=`, read
/// the same way by the page and the API. The page reads it leniently (a value it cannot use
/// is left out, so a hand-edited address still shows results); the API names the parameter
/// it refuses. The UI's own `lang` is not a filter: the article language is `language`.
enum ArticleQueryParameters {
    static let pageSize = 10
    /// Past this, a page number means nothing: kept small so no product of it can overflow in a store.
    static let maxPage = 10_000
    /// What the user typed, cut to a length no search needs.
    static let maxTextLength = 200

    /// A refusal of the API: which parameter, and why.
    struct Refusal: Error {
        let parameter: String
        let message: String
    }

    /// The page's reading: anything unusable falls back to the default.
    static func lenient(_ request: Request) -> ArticleQuery {
        let parameters = request.uri.queryParameters
        var query = ArticleQuery(text: text(parameters.get("q")), pageSize: pageSize)
        query.language = parameters.get("language").flatMap { ArticleLanguage(rawValue: $0.lowercased()) }
        query.category = nonEmpty(parameters.get("category"))
        query.productID = nonEmpty(parameters.get("product"))
        query.sort = parameters.get("sort").flatMap(ArticleSort.init(rawValue:)) ?? .relevance
        query.page = parameters.get("page").flatMap { Int($0) }.map { min(max($0, 1), maxPage) } ?? 1
        return query
    }

    /// The API's reading: a value that does not fit is refused by name.
    static func strict(_ request: Request) throws -> ArticleQuery {
        let parameters = request.uri.queryParameters
        var query = lenient(request)
        if let language = parameters.get("language"), ArticleLanguage(rawValue: language.lowercased()) == nil {
            throw Refusal(parameter: "language", message: "The parameter language must be fr or en.")
        }
        if let sort = parameters.get("sort"), ArticleSort(rawValue: sort) == nil {
            throw Refusal(parameter: "sort", message: "The parameter sort must be one of relevance, views, newest, title.")
        }
        if let page = parameters.get("page") {
            guard let value = Int(page), (1...maxPage).contains(value) else {
                throw Refusal(parameter: "page", message: "The parameter page must be a whole number from 1 to \(maxPage).")
            }
            query.page = value
        }
        if let size = parameters.get("per_page") {
            guard let value = Int(size), (1...50).contains(value) else {
                throw Refusal(parameter: "per_page", message: "The parameter per_page must be a whole number from 1 to 50.")
            }
            query.pageSize = value
        }
        return query
    }

    /// The query string of `query` with one change, for the filter, sort and page links.
    static func href(_ query: ArticleQuery, path: String = "/kb") -> String {
        var items: [(String, String)] = []
        if !query.text.isEmpty { items.append(("q", query.text)) }
        if let language = query.language { items.append(("language", language.rawValue)) }
        if let category = query.category { items.append(("category", category)) }
        if let product = query.productID { items.append(("product", product)) }
        if query.sort != .relevance { items.append(("sort", query.sort.rawValue)) }
        if query.page > 1 { items.append(("page", String(query.page))) }
        guard !items.isEmpty else { return path }
        return path + "?" + items.map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&")
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    private static func text(_ value: String?) -> String {
        String((value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(maxTextLength))
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty, value.count <= 200 else { return nil }
        return value
    }
}
