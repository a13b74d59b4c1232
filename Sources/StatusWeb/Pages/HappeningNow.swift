import Foundation
import StatusModel

/// What is going on at this moment, shown above the grid and on product pages: open incidents,
/// maintenance running or coming within a week, and outages the probes confirmed that no
/// incident or maintenance explains.
struct HappeningNow {
    /// What the store knows at one moment; read by the controller, turned into words here.
    struct Facts {
        var incidents: [Incident] = []
        var maintenances: [Maintenance] = []
        var conditions: [String: Condition] = [:]
        /// The probes' failure codes, for products whose condition comes from their probes.
        var probeReasons: [String: [String]] = [:]
    }

    struct ProductLink {
        let name: String
        let href: String
        /// False for the last one, so a template can put commas between them.
        let hasNext: Bool
    }

    struct UpdateItem {
        let status: String
        let statusWord: String
        /// Nil when the step said nothing: an empty string would still open its section. Optional
        /// names are unique on a page: a nil one is looked up in the enclosing sections.
        let updateMessage: String?
        let at: String
    }

    struct IncidentItem {
        let id: String
        let title: String
        let impact: String
        /// The day state whose icon stands for the impact.
        let state: String
        let impactWord: String
        let started: String
        let products: [ProductLink]
        let latestUpdate: UpdateItem?
        /// Every step, newest first.
        let updates: [UpdateItem]
        /// The probes' causes in words, for an incident the probes opened.
        let incidentCause: String?
    }

    struct MaintenanceItem {
        let id: String
        let title: String
        let maintenanceNote: String?
        let products: [ProductLink]
        let window: String
        let ends: String
    }

    struct ProbeOutage {
        let slug: String
        let name: String
        let href: String
        let condition: String
        let state: String
        let conditionWord: String
        let source: String
        let outageCause: String?
    }

    let incidents: [IncidentItem]
    let running: [MaintenanceItem]
    let upcoming: [MaintenanceItem]
    let outages: [ProbeOutage]
    /// True when nothing goes wrong now (work planned later aside): the grid says so in one line.
    let allWell: Bool
    /// The grid always shows the section; a product page only when something goes on.
    let showSection: Bool
    /// A product page shows an incident's whole timeline; the grid its latest step.
    let fullTimeline: Bool

    /// Nothing going on, on a product page.
    static let quiet = HappeningNow(incidents: [], running: [], upcoming: [], outages: [], allWell: true, showSection: false, fullTimeline: true)

    /// How far ahead a scheduled window is announced, in local days after today.
    static let upcomingDays = 7

    /// The span to ask the store for windows: from now to the end of the seventh local day
    /// ahead. Counted in local days so a cached page stays right until the day turns.
    static func horizon(now: Date, calendar: DayCalendar) -> DateInterval {
        let last = calendar.adding(upcomingDays, to: calendar.day(containing: now))
        return DateInterval(start: now, end: max(now, calendar.interval(of: last).end))
    }

    /// - Parameters:
    ///   - only: a product's slug, for its page; nil for the grid (every product the reader sees).
    ///   - audience: who reads: an incident or a window shows with the products they see only,
    ///     and not at all when they see none of its products.
    static func build(
        facts: Facts, products: [Product], only: String? = nil, audience: ProductAudience = .anonymous, now: Date,
        language: Language, catalog: MessageCatalog, calendar: DayCalendar
    ) -> HappeningNow {
        let formatter = DayFormatter(language: language, calendar: calendar)
        let visible = Dictionary(products.filter(audience.sees).map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        func concerns(_ slugs: [String]) -> Bool { only.map(slugs.contains) ?? true }
        func links(_ slugs: [String]) -> [ProductLink] {
            let shown = products.filter { slugs.contains($0.slug) && visible[$0.slug] != nil }
            return shown.enumerated().map { index, product in
                ProductLink(name: product.name, href: "/products/\(product.slug)", hasNext: index < shown.count - 1)
            }
        }
        func reasons(_ slug: String) -> String? {
            let words = (facts.probeReasons[slug] ?? []).map { ProbeFailure(code: $0).sentence(language.rawValue) }
            return words.isEmpty ? nil : words.joined(separator: " · ")
        }

        let incidents = facts.incidents.filter { !$0.isResolved && concerns($0.productSlugs) && !links($0.productSlugs).isEmpty }
        let incidentItems = incidents.map { incident in
            let updates = incident.updates.reversed().map { update in
                UpdateItem(status: update.status.rawValue, statusWord: catalog.text("incident_status_\(update.status.rawValue)", language),
                           updateMessage: update.message.isEmpty ? nil : update.message, at: formatter.instant(update.at))
            }
            let probeWords = incident.origin == .probes
                ? incident.productSlugs.compactMap(reasons).joined(separator: " · ") : ""
            return IncidentItem(
                id: incident.id, title: incident.title, impact: incident.impact.rawValue,
                state: incident.impact.condition == .outage ? DayState.incident.rawValue : DayState.degraded.rawValue,
                impactWord: catalog.text("impact_\(incident.impact.rawValue)", language),
                started: catalog.text("now_started", language, formatter.instant(incident.startedAt)),
                products: links(incident.productSlugs), latestUpdate: updates.first, updates: updates,
                incidentCause: probeWords.isEmpty ? nil : probeWords)
        }

        let windows = facts.maintenances.filter { concerns($0.productSlugs) && !links($0.productSlugs).isEmpty }
        func item(_ window: Maintenance) -> MaintenanceItem {
            MaintenanceItem(
                id: window.id, title: window.title, maintenanceNote: window.message.isEmpty ? nil : window.message,
                products: links(window.productSlugs),
                window: catalog.text("now_window", language, formatter.instant(window.start), formatter.instant(window.end)),
                ends: catalog.text("now_maintenance_until", language, formatter.instant(window.end)))
        }
        let running = windows.filter { $0.status(at: now) == .inProgress }
        let horizon = horizon(now: now, calendar: calendar)
        let upcoming = windows.filter { $0.status(at: now) == .scheduled && $0.start < horizon.end }

        // A product in trouble that no open incident nor running window names: the probes saw it.
        let explained = Set(incidents.flatMap(\.productSlugs) + running.flatMap(\.productSlugs))
        // A product page says it in its condition section, with the cause.
        let outages: [ProbeOutage] = only != nil ? [] : products.compactMap { product in
            guard visible[product.slug] != nil, concerns([product.slug]), !explained.contains(product.slug),
                  let condition = facts.conditions[product.slug], condition == .outage || condition == .degraded else { return nil }
            return ProbeOutage(
                slug: product.slug, name: product.name, href: "/products/\(product.slug)", condition: condition.rawValue,
                state: condition == .outage ? DayState.incident.rawValue : DayState.degraded.rawValue,
                conditionWord: catalog.text("condition_\(condition.rawValue)", language),
                source: catalog.text(condition == .outage ? "now_probe_outage" : "now_probe_degraded", language),
                outageCause: reasons(product.slug))
        }

        // Work planned for next week does not stop all being well today.
        let allWell = incidentItems.isEmpty && running.isEmpty && outages.isEmpty
        return HappeningNow(
            incidents: incidentItems, running: running.map(item), upcoming: upcoming.map(item), outages: outages,
            allWell: allWell, showSection: only == nil || !allWell || !upcoming.isEmpty, fullTimeline: only != nil)
    }
}
