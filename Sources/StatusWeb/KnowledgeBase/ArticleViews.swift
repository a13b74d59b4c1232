import Foundation
import Portal
import StatusModel

/// What the knowledge-base templates show of articles, in the reader's language. Every text is
/// plain and escaped by the template; highlighted words come as runs, never as markup.
struct ArticlePresenter {
    let language: Language
    let catalog: MessageCatalog
    /// Product names by slug (an article names its products by slug).
    let productNames: [String: String]
    private let dates: DateFormatter

    init(language: Language, catalog: MessageCatalog, calendar: DayCalendar, products: [Product]) {
        self.language = language
        self.catalog = catalog
        self.productNames = Dictionary(products.map { ($0.slug, $0.name) }) { first, _ in first }
        let dates = DateFormatter()
        dates.locale = language.locale
        dates.timeZone = calendar.timeZone
        dates.setLocalizedDateFormatFromTemplate("dMMMyyyy")
        self.dates = dates
    }

    func text(_ key: String) -> String { catalog.text(key, language) }
    func text(_ key: String, _ arguments: any CVarArg...) -> String {
        String(format: catalog.text(key, language), locale: language.locale, arguments: arguments)
    }

    func date(_ date: Date) -> String { dates.string(from: date) }

    /// "1 vue", "12 vues".
    func views(_ count: Int) -> String { text(count == 1 ? "kb_views_one" : "kb_views", count) }

    func productName(_ slug: String) -> String { productNames[slug] ?? slug }

    /// The names of the products among `slugs` the reader sees (the presenter knows those only).
    func products(_ slugs: [String]) -> String { slugs.compactMap { productNames[$0] }.joined(separator: ", ") }

    func languageName(_ language: ArticleLanguage) -> String { text("kb_language_\(language.rawValue)") }

    func stars(_ rating: ArticleRating) -> StarsView { StarsView(rating, presenter: self) }

    func item(_ summary: ArticleSummary) -> ArticleItemView {
        ArticleItemView(number: summary.number.description, href: "/kb/\(summary.number)", title: summary.title,
                        category: summary.category, products: products(summary.productIDs),
                        language: summary.language.rawValue, date: date(summary.updatedAt),
                        views: views(summary.views), stars: stars(summary.rating))
    }

    func runs(_ excerpt: Excerpt) -> [RunView] { excerpt.runs.map { RunView(text: $0.text, isMatch: $0.isMatch) } }
}

/// A piece of a title or snippet: matched words are shown in `<mark>`, by the template.
struct RunView {
    let text: String
    let isMatch: Bool
}

/// An article in a list: home blocks, related articles, "Cité par".
struct ArticleItemView {
    let number: String
    let href: String
    let title: String
    let category: String
    let products: String
    let language: String
    let date: String
    let views: String
    let stars: StarsView
}

/// The average rating as five stars, with the same in words for screen readers.
struct StarsView {
    struct Star { let filled: Bool }
    let stars: [Star]
    /// "4,5 / 5 (12 avis)", or "Pas encore noté".
    let label: String
    let rated: Bool

    init(_ rating: ArticleRating, presenter: ArticlePresenter) {
        let filled = Int((min(max(rating.average, 0), 5)).rounded())
        stars = (1...5).map { Star(filled: $0 <= filled && rating.count > 0) }
        rated = rating.count > 0
        label = rating.count > 0
            ? presenter.text(rating.count == 1 ? "kb_rating_label_one" : "kb_rating_label", String(format: "%.1f", locale: presenter.language.locale, rating.average), rating.count)
            : presenter.text("kb_not_rated")
    }
}
