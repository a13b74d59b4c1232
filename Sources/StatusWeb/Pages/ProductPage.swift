import Foundation
import StatusModel

/// A product's page: what is happening now, its condition in words, the N-day bar whose days
/// open their events, uptime, and the last closed incidents and finished maintenance.
struct ProductPage {
    /// A closed incident or a finished window, as "Derniers incidents clos" lists them.
    struct ClosedItem {
        let kind: String
        let heading: String
        /// The window's title under the vendor's heading; nil for an incident, whose title is the heading.
        let windowTitle: String?
        let windowMessage: String?
        let dates: String
        /// An incident's steps, newest first.
        let updates: [HappeningNow.UpdateItem]
        let hasUpdates: Bool
        let closedAt: Date
    }

    let page: PageChrome
    let now: HappeningNow
    let slug: String
    let name: String
    let family: String
    let condition: String
    let conditionText: String
    /// The day state whose icon stands for the condition.
    let conditionState: String
    /// Why probes see the product failing, in words ("connexion refusée"); nil when they see nothing.
    let probeCause: String?
    let historyTitle: String
    let bar: [DayCell]
    let uptime: String
    let hasUptime: Bool
    let uptimeOver: String
    let closed: [ClosedItem]
    let hasClosed: Bool
    let legend: [GridPage.LegendItem]
    let chartDay: String
    let chartDays: String
    let chartDayTitle: String
    let chartDaysTitle: String
    let feed: FeedLink

    /// How many closed incidents and finished windows the page lists.
    static let closedLimit = 5

    static func build(
        product: Product, history: ProductHistory, incidents: [Incident], finished: [Maintenance] = [], reasons: [String] = [],
        now: HappeningNow? = nil, dayEvents: [LocalDay: [DayEvent]] = [:],
        language: Language, catalog: MessageCatalog, calendar: DayCalendar
    ) -> ProductPage {
        let formatter = DayFormatter(language: language, calendar: calendar)
        let conditionState: DayState = switch history.condition {
        case .operational: .ok
        case .maintenance: .maintenance
        case .degraded: .degraded
        case .outage: .incident
        }
        let closedIncidents = incidents.map { incident in
            ClosedItem(
                kind: "incident", heading: incident.title, windowTitle: nil, windowMessage: nil,
                dates: "\(catalog.text("started_on", language)) \(formatter.instant(incident.startedAt))"
                    + (incident.resolvedAt.map { " · \(catalog.text("resolved_on", language)) \(formatter.instant($0))" } ?? ""),
                updates: incident.updates.reversed().map {
                    .init(status: $0.status.rawValue, statusWord: catalog.text("incident_status_\($0.status.rawValue)", language),
                          updateMessage: $0.message.isEmpty ? nil : $0.message, at: formatter.instant($0.at))
                },
                hasUpdates: !incident.updates.isEmpty, closedAt: incident.resolvedAt ?? incident.startedAt)
        }
        let closedWindows = finished.map { window in
            ClosedItem(
                kind: "maintenance", heading: catalog.text("closed_maintenance", language, product.name, formatter.stamp(window.start)),
                windowTitle: window.title, windowMessage: window.message.isEmpty ? nil : window.message,
                dates: catalog.text("closed_maintenance_ended", language, formatter.instant(window.end)), updates: [],
                hasUpdates: false, closedAt: window.end)
        }
        let closed = (closedIncidents + closedWindows).sorted { $0.closedAt > $1.closedAt }.prefix(closedLimit)
        let bar = zip(history.days, history.states).map { day, state in
            var cell = formatter.cell(day, state: state, language: language, catalog: catalog)
            cell.events = dayEvents[day] ?? []
            cell.eventsTitle = catalog.text("day_events_title", language, formatter.longLabel(day))
            return cell
        }
        let causes = reasons.joined(separator: " · ")
        return ProductPage(
            page: PageChrome(language: language, catalog: catalog, title: product.name),
            now: now ?? .quiet,
            slug: product.slug,
            name: product.name,
            family: product.family,
            condition: history.condition.rawValue,
            conditionText: catalog.text("condition_\(history.condition.rawValue)", language),
            conditionState: conditionState.rawValue,
            probeCause: causes.isEmpty ? nil : causes,
            historyTitle: catalog.text("history_title", language, history.days.count),
            bar: bar,
            uptime: history.uptime.map { formatPercent($0, language) } ?? catalog.text("uptime_unknown", language),
            hasUptime: history.uptime != nil,
            uptimeOver: catalog.text("uptime_over", language, history.days.count),
            closed: Array(closed),
            hasClosed: !closed.isEmpty,
            legend: GridPage.legend(language, catalog),
            chartDay: "/products/\(product.slug)/response-times.svg?lang=\(language.rawValue)",
            chartDays: "/products/\(product.slug)/response-times.svg?range=days&lang=\(language.rawValue)",
            chartDayTitle: catalog.text("chart_day_title", language),
            chartDaysTitle: catalog.text("chart_days_title", language, history.days.count),
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
