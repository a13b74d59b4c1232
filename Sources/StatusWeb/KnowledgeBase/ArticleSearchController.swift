import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// `/kb`: the knowledge base's search for anyone, each reader seeing what the store lets them
/// see. Without words or filters it shows the home blocks and the categories.
struct ArticleSearchController: Sendable {
    let knowledgeBase: KnowledgeBaseSite
    let pages: Pages
    let calendar: DayCalendar
    let clock: @Sendable () -> Date
    let products: @Sendable () async throws -> [Product]

    struct PageView {
        let page: PageChrome
        let text: String
        let search: ArticleSearchView?
        let home: ArticleHomeBlocks.View?
        let categories: [ArticleSearchView.FacetValue]
        let hasCategories: Bool
    }

    func addRoutes(to routes: SiteRoutes) {
        routes.pages(.anyone).get("/kb") { request, context in
            try await searchPage(request, reader: KnowledgeBaseReader(context.identity), audience: context.audience)
        }
    }

    private func searchPage(_ request: Request, reader: KnowledgeBaseReader, audience: ProductAudience) async throws -> Response {
        var query = ArticleQueryParameters.lenient(request)
        // A category the config does not list finds nothing: the filter is dropped, not an empty page.
        if let category = query.category, !knowledgeBase.categories.contains(category) { query.category = nil }
        // The product filter and the articles' product names: the reader's products only.
        let presenter = ArticlePresenter(language: pages.language(of: request), catalog: pages.catalog, calendar: calendar,
                                         products: audience.visible(try await products()))
        let chrome = pages.chrome(request, titleKey: "kb_title")
        let browsing = query.text.isEmpty && query.language == nil && query.category == nil && query.productID == nil
        if browsing {
            async let everything = knowledgeBase.store.search(ArticleQuery(pageSize: 1), for: reader)
            let home = try await ArticleHomeBlocks(store: knowledgeBase.store).view(for: reader, now: clock(), presenter: presenter)
            let counts = Dictionary(try await everything.facets.categories.map { ($0.value, $0.count) }) { first, _ in first }
            let categories = knowledgeBase.categories.compactMap { category -> ArticleSearchView.FacetValue? in
                guard let count = counts[category], count > 0 else { return nil }
                return .init(label: category, count: count, href: ArticleQueryParameters.href(ArticleQuery(category: category)), selected: false)
            }
            return try pages.render(PageView(page: chrome, text: "", search: nil, home: home, categories: categories, hasCategories: !categories.isEmpty),
                                    template: "kb_search", request: request)
        }
        let results = try await knowledgeBase.store.search(query, for: reader)
        let search = ArticleSearchView(query: query, results: results, categories: knowledgeBase.categories, presenter: presenter)
        return try pages.render(PageView(page: chrome, text: query.text, search: search, home: nil, categories: [], hasCategories: false),
                                template: "kb_search", request: request)
    }
}
