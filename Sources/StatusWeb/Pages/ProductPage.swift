import Foundation
import StatusModel

/// A product's page: its condition in words, the N-day bar, uptime and the last closed incidents.
struct ProductPage {
    struct IncidentItem {
        struct UpdateItem {
            let status: String
            let message: String
            let at: String
        }

        let title: String
        let started: String
        let resolved: String
        let updates: [UpdateItem]
    }

    let page: PageChrome
    let slug: String
    let name: String
    let family: String
    let condition: String
    let conditionText: String
    let conditionIcon: String
    /// Why probes see the product failing, in words ("connexion refusée").
    let reasons: String
    let historyTitle: String
    let bar: [DayCell]
    let uptime: String
    let hasUptime: Bool
    let uptimeOver: String
    let incidents: [IncidentItem]
    let hasIncidents: Bool
    let legend: [GridPage.LegendItem]
    let chartDay: String
    let chartDays: String
    let chartDaysAlt: String
    let feed: FeedLink

    static func build(
        product: Product, history: ProductHistory, incidents: [Incident], reasons: [String] = [],
        language: Language, catalog: MessageCatalog, calendar: DayCalendar
    ) -> ProductPage {
        let formatter = DayFormatter(language: language, calendar: calendar)
        let conditionIcon: String = switch history.condition {
        case .operational: DayState.ok.icon
        case .maintenance: DayState.maintenance.icon
        case .degraded: DayState.degraded.icon
        case .outage: DayState.incident.icon
        }
        return ProductPage(
            page: PageChrome(language: language, catalog: catalog, title: product.name),
            slug: product.slug,
            name: product.name,
            family: product.family,
            condition: history.condition.rawValue,
            conditionText: catalog.text("condition_\(history.condition.rawValue)", language),
            conditionIcon: conditionIcon,
            reasons: reasons.joined(separator: " · "),
            historyTitle: catalog.text("history_title", language, history.days.count),
            bar: zip(history.days, history.states).map { formatter.cell($0, state: $1, language: language, catalog: catalog) },
            uptime: history.uptime.map { formatPercent($0, language) } ?? catalog.text("uptime_unknown", language),
            hasUptime: history.uptime != nil,
            uptimeOver: catalog.text("uptime_over", language, history.days.count),
            incidents: incidents.map { incident in
                IncidentItem(
                    title: incident.title,
                    started: formatter.instant(incident.startedAt),
                    resolved: incident.resolvedAt.map(formatter.instant) ?? "",
                    updates: incident.updates.reversed().map {
                        .init(status: catalog.text("status_\($0.status.rawValue)", language), message: $0.message, at: formatter.instant($0.at))
                    }
                )
            },
            hasIncidents: !incidents.isEmpty,
            legend: GridPage.legend(language, catalog),
            chartDay: "/products/\(product.slug)/response-times.svg?lang=\(language.rawValue)",
            chartDays: "/products/\(product.slug)/response-times.svg?range=days&lang=\(language.rawValue)",
            chartDaysAlt: catalog.text("chart_days_title", language, history.days.count),
            feed: FeedLink(scope: .product(product), language: language, catalog: catalog)
        )
    }

    /// "99,95 %" in French, "99.95%" in English; never rounds a bad day up to 100.
    static func formatPercent(_ fraction: Double, _ language: Language) -> String {
        let percent = (fraction * 10_000).rounded(.down) / 100
        let number = String(format: "%.2f", percent)
        return language == .fr ? number.replacingOccurrences(of: ".", with: ",") + " %" : number + "%"
    }
}
