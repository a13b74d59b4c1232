import Foundation
import Portal

/// The search page's view: the box, "N résultats pour « … »", the results, the filters with
/// their counts, the applied filters as chips, the sorts and the pages.
struct ArticleSearchView {
    struct Result {
        let number: String
        let href: String
        let title: [RunView]
        let snippet: [RunView]
        let hasSnippet: Bool
        let category: String
        let products: String
        let hasProducts: Bool
        let language: String
        let views: String
        let date: String
        let stars: StarsView
        let attachment: AttachmentExcerpt?
    }
    /// "Résumé de : guide.pdf" and the words found in it.
    struct AttachmentExcerpt {
        let label: String
        let excerpt: [RunView]
    }
    struct FacetValue {
        let label: String
        let count: Int
        let href: String
        let selected: Bool
    }
    struct FacetGroup {
        let id: String
        let title: String
        let values: [FacetValue]
    }
    struct Chip {
        let label: String
        let href: String
        let removeLabel: String
    }
    struct Sort {
        let label: String
        let href: String
        let current: Bool
    }
    struct PageLink {
        let label: String
        let href: String
        let current: Bool
        /// "…" between page numbers far apart.
        var gap = false
    }
    struct Hidden {
        let name: String
        let value: String
    }

    let text: String
    let summary: String
    let results: [Result]
    let hasResults: Bool
    let facets: [FacetGroup]
    /// The store counted a sample of very many matches: the counts read "≈ 35000".
    let approximate: Bool
    let chips: [Chip]
    let hasChips: Bool
    let clearAllHref: String
    let sorts: [Sort]
    let pages: [PageLink]
    let hasPages: Bool
    let previousHref: String?
    let nextHref: String?
    /// The filters and sort the box keeps when the words change.
    let hidden: [Hidden]

    /// `value` to two significant digits: 66,768 → 67,000.
    static func roughly(_ value: Int) -> Int {
        guard value >= 100 else { return value }
        var unit = 1
        while value / unit >= 100 { unit *= 10 }
        return (value + unit / 2) / unit * unit
    }

    init(query: ArticleQuery, results: ArticleResults, categories: [String], presenter: ArticlePresenter) {
        text = query.text
        let total = results.total
        if results.totalIsEstimate {
            // Extrapolated (only ever for words): two significant digits say how rough it is ("Environ 67 000 résultats").
            summary = presenter.text("kb_results_about", Self.roughly(total), query.text)
        } else if query.text.isEmpty {
            summary = presenter.text(total == 1 ? "kb_results_one_all" : "kb_results_all", total)
        } else {
            summary = presenter.text(total == 1 ? "kb_results_one" : "kb_results", total, query.text)
        }
        self.results = results.hits.map { hit in
            let summary = hit.article
            // Only the products the reader may see are named; none of them, no empty slot.
            let products = presenter.products(summary.productIDs)
            return Result(number: summary.number.description, href: "/kb/\(summary.number)", title: presenter.runs(hit.title),
                          snippet: presenter.runs(hit.snippet), hasSnippet: !hit.snippet.runs.isEmpty,
                          category: summary.category, products: products,
                          hasProducts: !products.isEmpty, language: summary.language.rawValue,
                          views: presenter.views(summary.views), date: presenter.date(summary.updatedAt),
                          stars: presenter.stars(summary.rating),
                          attachment: hit.attachment.map { AttachmentExcerpt(label: presenter.text("kb_summary_of", $0.fileName),
                                                                              excerpt: presenter.runs($0.excerpt)) })
        }
        hasResults = !results.hits.isEmpty

        var first = query
        first.page = 1
        func with(_ change: (inout ArticleQuery) -> Void) -> String {
            var changed = first
            change(&changed)
            return ArticleQueryParameters.href(changed)
        }
        let languages = results.facets.languages.map { facet in
            FacetValue(label: presenter.languageName(facet.value), count: facet.count,
                       href: with { $0.language = query.language == facet.value ? nil : facet.value }, selected: query.language == facet.value)
        }
        // A product the reader may not see is no filter of theirs (its name would leak).
        let products = results.facets.products.filter { presenter.productNames[$0.value] != nil }.map { facet in
            FacetValue(label: presenter.productName(facet.value), count: facet.count,
                       href: with { $0.productID = query.productID == facet.value ? nil : facet.value }, selected: query.productID == facet.value)
        }
        // Categories in the config's order, then any other the store counted.
        let order = Dictionary(categories.enumerated().map { ($1, $0) }) { first, _ in first }
        let categoryValues = results.facets.categories.sorted { (order[$0.value] ?? Int.max, $0.value) < (order[$1.value] ?? Int.max, $1.value) }
            .map { facet in
                FacetValue(label: facet.value, count: facet.count,
                           href: with { $0.category = query.category == facet.value ? nil : facet.value }, selected: query.category == facet.value)
            }
        facets = [FacetGroup(id: "kb-facet-product", title: presenter.text("kb_filter_product"), values: products),
                  FacetGroup(id: "kb-facet-category", title: presenter.text("kb_filter_category"), values: categoryValues),
                  FacetGroup(id: "kb-facet-language", title: presenter.text("kb_filter_language"), values: languages)]
            .filter { !$0.values.isEmpty }

        approximate = results.facets.areEstimates
        var chips: [Chip] = []
        let remove = presenter.text("kb_filter_remove")
        if let product = query.productID {
            chips.append(Chip(label: presenter.text("kb_chip", presenter.text("kb_filter_product"), presenter.productName(product)),
                              href: with { $0.productID = nil }, removeLabel: remove))
        }
        if let category = query.category {
            chips.append(Chip(label: presenter.text("kb_chip", presenter.text("kb_filter_category"), category), href: with { $0.category = nil },
                              removeLabel: remove))
        }
        if let language = query.language {
            chips.append(Chip(label: presenter.text("kb_chip", presenter.text("kb_filter_language"), presenter.languageName(language)),
                              href: with { $0.language = nil }, removeLabel: remove))
        }
        self.chips = chips
        hasChips = !chips.isEmpty
        clearAllHref = with {
            $0.language = nil
            $0.category = nil
            $0.productID = nil
        }
        sorts = ArticleSort.allCases.map { sort in
            Sort(label: presenter.text("kb_sort_\(sort.rawValue)"), href: with { $0.sort = sort }, current: sort == query.sort)
        }

        let current = results.page, count = results.pageCount
        let shown = Set([1, count] + Array(max(1, current - 2)...max(1, min(count, current + 2)))).filter { $0 >= 1 && $0 <= count }.sorted()
        var pages: [PageLink] = []
        for page in shown {
            if let last = pages.last, let lastNumber = Int(last.label), page > lastNumber + 1 {
                pages.append(PageLink(label: "…", href: "", current: false, gap: true))
            }
            var paged = query
            paged.page = page
            pages.append(PageLink(label: String(page), href: ArticleQueryParameters.href(paged), current: page == current))
        }
        self.pages = pages
        hasPages = count > 1
        var previous = query, next = query
        previous.page = current - 1
        next.page = current + 1
        previousHref = current > 1 ? ArticleQueryParameters.href(previous) : nil
        nextHref = current < count ? ArticleQueryParameters.href(next) : nil

        var hidden: [Hidden] = []
        if let language = query.language { hidden.append(Hidden(name: "language", value: language.rawValue)) }
        if let category = query.category { hidden.append(Hidden(name: "category", value: category)) }
        if let product = query.productID { hidden.append(Hidden(name: "product", value: product)) }
        if query.sort != .relevance { hidden.append(Hidden(name: "sort", value: query.sort.rawValue)) }
        self.hidden = hidden
    }
}
