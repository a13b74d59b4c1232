import Foundation
import Portal

/// The agents' article form as the browser sends it. Reading it gives the draft, or the
/// problems field by field (each a key of the catalogs), with what was typed kept.
struct ArticleForm: CSRFProtectedForm, ProductChecklist {
    var csrf: String?
    var title: String?
    var body: String?
    var category: String?
    var products: [String]?
    var language: String?
    var translation: String?
    var visibility: String?
    var service: String?
    /// Article numbers an agent picks as related, separated by spaces or commas.
    var related: String?
    /// "preview" shows the rendered body again without saving; "publish" saves and publishes.
    var action: String?

    static let maxTitleLength = 200
    static let maxBodyLength = 100_000

    /// The draft, or the problems with it.
    func draft(categories: [String], productSlugs: Set<String>, serviceIDs: Set<Int64>) -> Result<ArticleDraft, FormErrors> {
        var errors = FormErrors()
        let title = self.title.trimmed
        if title.isEmpty { errors.add("title", "kb_error_title_required") }
        if title.count > Self.maxTitleLength { errors.add("title", "kb_error_title_long") }
        let body = self.body.orEmpty
        if body.count > Self.maxBodyLength { errors.add("body", "kb_error_body_long") }
        let category = self.category.trimmed
        if !categories.contains(category) { errors.add("category", "kb_error_category") }
        let language = ArticleLanguage(rawValue: self.language.trimmed)
        if language == nil { errors.add("language", "kb_error_language") }
        let products = chosenProducts.filter(productSlugs.contains)
        var translation: ArticleNumber?
        if !self.translation.trimmed.isEmpty {
            translation = ArticleNumber(self.translation.trimmed)
            if translation == nil { errors.add("translation", "kb_error_number") }
        }
        var visibility = ArticleVisibility.everyone
        switch self.visibility.trimmed {
        case "", "everyone": visibility = .everyone
        case "customers": visibility = .customers
        case "service":
            if let id = Int64(service.trimmed), serviceIDs.contains(id) { visibility = .service(id: id) } else { errors.add("service", "kb_error_service") }
        default: errors.add("visibility", "kb_error_visibility")
        }
        var picks: [ArticleNumber] = []
        for word in related.orEmpty.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }) {
            guard let number = ArticleNumber(word) else {
                errors.add("related", "kb_error_number")
                break
            }
            if !picks.contains(number) { picks.append(number) }
        }
        guard errors.isEmpty, let language else { return .failure(errors) }
        return .success(ArticleDraft(title: title, body: body, category: category, productIDs: products, language: language,
                                     translation: translation, visibility: visibility, relatedPicks: picks))
    }

    /// The values the form shows again, as typed.
    var values: [String: String] {
        ["title": title.orEmpty, "body": body.orEmpty, "category": category.orEmpty, "language": language.orEmpty,
         "translation": translation.orEmpty, "visibility": visibility.orEmpty, "service": service.orEmpty, "related": related.orEmpty]
    }

    /// The values of a saved draft, for the edit form.
    static func values(of draft: ArticleDraft) -> (values: [String: String], products: [String]) {
        var values = ["title": draft.title, "body": draft.body, "category": draft.category, "language": draft.language.rawValue,
                      "translation": draft.translation?.description ?? "",
                      "related": draft.relatedPicks.map(\.description).joined(separator: " ")]
        switch draft.visibility {
        case .everyone: values["visibility"] = "everyone"
        case .customers: values["visibility"] = "customers"
        case .service(let id):
            values["visibility"] = "service"
            values["service"] = String(id)
        }
        return (values, draft.productIDs)
    }
}
