import Foundation
import StatusModel

/// The weather grid: the products the reader sees as rows grouped by family, the last N days
/// as columns; a customer's own products ("Mes services") first, in a section of their own.
struct GridPage {
    struct Column {
        let date: String
        /// Day of the month, then the month abbreviated: two short lines keep 25 columns narrow.
        let dayNumber: String
        let month: String
        let longLabel: String
    }

    struct Row {
        let slug: String
        let name: String
        let href: String
        let cells: [DayCell]
    }

    struct Family {
        let name: String
        /// "Mes services": the reader's own products, above the usual families.
        let isMine: Bool
        let rows: [Row]
        let columnCount: Int
    }

    struct LegendItem {
        /// Also names the icon's symbol.
        let state: String
        let label: String
    }

    let page: PageChrome
    let now: HappeningNow
    let intro: String
    let caption: String
    let columns: [Column]
    let families: [Family]
    let legend: [LegendItem]
    let hasProducts: Bool
    let feed: FeedLink

    static func legend(_ language: Language, _ catalog: MessageCatalog) -> [LegendItem] {
        DayState.allCases.map { LegendItem(state: $0.rawValue, label: catalog.text("state_\($0.rawValue)", language)) }
    }

    static func build(
        products: [Product], states: [String: [DayState]], days: [LocalDay], now: HappeningNow, audience: ProductAudience = .anonymous,
        language: Language, catalog: MessageCatalog, calendar: DayCalendar
    ) -> GridPage {
        let formatter = DayFormatter(language: language, calendar: calendar)
        let visible = audience.visible(products)
        func row(_ product: Product) -> Row {
            let productStates = states[product.slug] ?? days.map { _ in .noData }
            let cells = zip(days, productStates).map { formatter.cell($0, state: $1, language: language, catalog: catalog) }
            return Row(slug: product.slug, name: product.name, href: "/products/\(product.slug)", cells: cells)
        }
        // The reader's own products once, in their section; the others under their families.
        let mine = visible.filter { audience.mine.contains($0.slug) }
        var familyOrder: [String] = []
        var rowsByFamily: [String: [Row]] = [:]
        for product in visible where !audience.mine.contains(product.slug) {
            let family = product.family.isEmpty ? catalog.text("other_family", language) : product.family
            if rowsByFamily[family] == nil { familyOrder.append(family) }
            rowsByFamily[family, default: []].append(row(product))
        }
        let mySection = mine.isEmpty ? [] : [Family(name: catalog.text("audience_my_services", language), isMine: true,
                                                    rows: mine.map(row), columnCount: days.count + 1)]
        return GridPage(
            page: PageChrome(language: language, catalog: catalog, title: catalog.text("grid_title", language)),
            now: now,
            intro: catalog.text("grid_intro", language, days.count),
            caption: catalog.text("grid_caption", language, days.count),
            columns: days.map {
                Column(date: $0.description, dayNumber: String($0.day), month: formatter.monthLabel($0), longLabel: formatter.longLabel($0))
            },
            families: mySection + familyOrder.map { Family(name: $0, isMine: false, rows: rowsByFamily[$0] ?? [], columnCount: days.count + 1) },
            legend: legend(language, catalog),
            hasProducts: !visible.isEmpty,
            feed: FeedLink(scope: .allProducts, language: language, catalog: catalog)
        )
    }
}
