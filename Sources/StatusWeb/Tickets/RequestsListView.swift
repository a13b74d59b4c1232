import Foundation
import Portal
import StatusModel

/// "Suivi de vos demandes" as `requests.mustache` shows it: the filters (state, type, product),
/// the search, one row per ticket, and the pages.
struct RequestsListView {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Row {
        let number: String
        let href: String
        let subject: String
        let state: String
        let stateLabel: String
        let type: String
        let product: String?
        let contact: String?
        let updated: String
        let priority: String
    }

    struct PageLink {
        let label: String
        let href: String
        let current: Bool
    }

    let page: PageChrome
    let rows: [Row]
    let hasRows: Bool
    let total: String
    let states: [Option]
    let types: [Option]
    let products: [Option]
    let text: String
    let isAdmin: Bool
    let mine: Bool
    let allHref: String
    let mineHref: String
    let filtered: Bool
    let pageLinks: [PageLink]
    let hasPages: Bool

    init(page: PageChrome, words: TicketWords, results: TicketResults, products: [Product], audience: ProductAudience, names: [Int64: String], isAdmin: Bool, mine: Bool,
         stateFilter: String, type: String?, product: String?, text: String) {
        self.page = page
        rows = results.tickets.map { ticket in
            Row(number: ticket.number.description, href: "/requests/\(ticket.number)", subject: ticket.subject, state: ticket.state.rawValue,
                stateLabel: words.state(ticket.state), type: words.type(ticket.type),
                product: ticket.productSlug.map { slug in products.first { $0.slug == slug }?.name ?? slug },
                contact: isAdmin ? names[ticket.contactUserID] : nil, updated: words.date(ticket.updatedAt), priority: words.priority(ticket.priority))
        }
        hasRows = !rows.isEmpty
        total = words.catalog.text("requests_total", words.language, results.total)
        states = [Option(value: "", label: words.text("requests_all_states"), selected: stateFilter.isEmpty),
                  Option(value: "open", label: words.text("requests_open"), selected: stateFilter == "open"),
                  Option(value: "closed", label: words.text("requests_closed"), selected: stateFilter == "closed")]
            + TicketState.allCases.map { Option(value: $0.rawValue, label: words.state($0), selected: stateFilter == $0.rawValue) }
        types = [Option(value: "", label: words.text("requests_all_types"), selected: type == nil)]
            + words.forms.types.map { Option(value: $0.key, label: $0.label.text(words.language.rawValue), selected: $0.key == type) }
        self.products = [Option(value: "", label: words.text("requests_all_products"), selected: product == nil)]
            + products.filter { audience.sees($0) || ($0.slug == product && $0.visibility == .hidden) }.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == product) }
        self.text = text
        self.isAdmin = isAdmin
        self.mine = mine
        var base: [(String, String)] = []
        if !stateFilter.isEmpty { base.append(("state", stateFilter)) }
        if let type { base.append(("type", type)) }
        if let product { base.append(("product", product)) }
        if !text.isEmpty { base.append(("q", text)) }
        filtered = !base.isEmpty
        func href(_ extra: [(String, String)]) -> String {
            var components = URLComponents()
            components.path = "/requests"
            let items = (base + extra).map { URLQueryItem(name: $0.0, value: $0.1) }
            components.queryItems = items.isEmpty ? nil : items
            return components.string ?? "/requests"
        }
        allHref = href([])
        mineHref = href([("mine", "1")])
        let mineItem: [(String, String)] = isAdmin && mine ? [("mine", "1")] : []
        let count = results.pageCount
        let current = results.page
        // The first, the last and the pages near the current one.
        let shown = Set([1, count] + Array(max(1, current - 2)...max(1, min(count, current + 2)))).filter { $0 >= 1 && $0 <= count }.sorted()
        pageLinks = shown.map { number in
            PageLink(label: String(number), href: href(mineItem + [("page", String(number))]), current: number == current)
        }
        hasPages = count > 1
    }
}
