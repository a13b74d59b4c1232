import Foundation
import StatusModel

/// One thing that touched a product on one day, as the bar's day panel lists it.
struct DayEvent: Hashable {
    /// incident, maintenance or probe: the panel's class and the word before the title.
    let kind: String
    let kindWord: String
    /// The incident's or window's title; nil for what the probes saw alone.
    let eventTitle: String?
    /// When, in the deployment's time zone: "de 10:00 à 11:30".
    let span: String
}

/// The events of each day of a product's bar, from the episodes that overlap the days: each
/// incident and window once, and the probes' own outages.
enum DayEvents {
    static func build(
        days: [LocalDay], episodes: [Episode], incidents: [String: Incident], maintenances: [String: Maintenance],
        now: Date, language: Language, catalog: MessageCatalog, calendar: DayCalendar
    ) -> [LocalDay: [DayEvent]] {
        let formatter = DayFormatter(language: language, calendar: calendar)
        var result: [LocalDay: [DayEvent]] = [:]
        for day in days {
            let bounds = calendar.interval(of: day)
            var seen: Set<DayEvent> = []
            var events: [DayEvent] = []
            for episode in episodes.sorted(by: { $0.start < $1.start }) {
                let end = episode.end ?? now
                guard episode.start < bounds.end, end > bounds.start || episode.start >= bounds.start else { continue }
                func moment(_ date: Date) -> String {
                    bounds.contains(date) ? formatter.time(date) : formatter.shortInstant(date)
                }
                let span = episode.end.map { catalog.text("day_event_span", language, moment(episode.start), moment($0)) }
                    ?? catalog.text("day_event_ongoing", language, moment(episode.start))
                let event: DayEvent
                switch episode.cause {
                case .incident:
                    guard let incident = incidents[episode.source] else { continue }
                    event = DayEvent(kind: "incident", kindWord: catalog.text("day_event_incident", language), eventTitle: incident.title, span: span)
                case .maintenance:
                    guard let window = maintenances[episode.source] else { continue }
                    event = DayEvent(kind: "maintenance", kindWord: catalog.text("day_event_maintenance", language), eventTitle: window.title, span: span)
                case .probe:
                    let key = episode.condition == .outage ? "day_event_probe_outage" : "day_event_probe_degraded"
                    event = DayEvent(kind: "probe", kindWord: catalog.text(key, language), eventTitle: nil, span: span)
                }
                if seen.insert(event).inserted { events.append(event) }
            }
            result[day] = events
        }
        return result
    }
}
