import Foundation

/// What a product's stored rollup says of one settled day.
public struct StoredDay: Sendable, Hashable {
    public var observed: Bool
    public var summary: DaySummary

    public init(observed: Bool, summary: DaySummary) {
        self.observed = observed
        self.summary = summary
    }
}

/// One day of one product, ready for the page: its state, and what uptime counts of it.
public struct DayReading: Sendable, Hashable {
    public var summary: DaySummary
    public var observedSeconds: Double
    public var state: DayState
}

/// How a product's days are read: settled days from their stored rollups; today, and every day
/// an episode still open touches, from the episodes themselves, so that they stop at `now`.
/// Every store kind reads the same way: it loads what `liveSpan` asks for and calls `readings`.
public struct DayReadings: Sendable {
    public let calendar: DayCalendar

    public init(calendar: DayCalendar) {
        self.calendar = calendar
    }

    /// The days of `days` read live, given the start of the product's oldest open episode.
    public func liveDays(_ days: [LocalDay], openSince: Date?, now: Date) -> [LocalDay] {
        let today = calendar.day(containing: now)
        let first = min(openSince.map { calendar.day(containing: $0) } ?? today, today)
        return days.filter { $0 >= first && $0 <= today }
    }

    /// The span whose episodes the live days need, or nil when no day is live.
    public func liveSpan(of liveDays: [LocalDay], now: Date) -> DateInterval? {
        guard let earliest = liveDays.min() else { return nil }
        let start = calendar.interval(of: earliest).start
        return DateInterval(start: start, end: max(now, start))
    }

    /// Each day of `days`, in order: days to come show no data; a day before the product was
    /// monitored shows no data; a product without checks is observed whenever it exists.
    public func readings(product: Product, days: [LocalDay], stored: [String: StoredDay], liveDays: [LocalDay],
                         liveEpisodes: [Episode], now: Date) -> [DayReading] {
        days.map { day in
            let window = calendar.interval(of: day)
            let row = stored[day.description]
            guard window.start <= now else { return DayReading(summary: .quiet, observedSeconds: 0, state: .noData) }
            let summary: DaySummary
            if liveDays.contains(day) {
                let elapsed = DateInterval(start: window.start, end: max(window.start, min(window.end, now)))
                summary = DayStateRule.summary(of: liveEpisodes, during: elapsed, now: now)
            } else {
                summary = row?.summary ?? .quiet
            }
            let existed = window.end > product.monitoredSince
            let observed = existed && (product.hasChecks ? (row?.observed ?? false) : true)
            let observedSpan = Intervals.clip(window, to: DateInterval(start: product.monitoredSince, end: max(product.monitoredSince, now)))
            return DayReading(
                summary: summary,
                observedSeconds: observed ? (observedSpan?.duration ?? 0) : 0,
                state: DayStateRule.dayState(of: summary, observed: observed)
            )
        }
    }
}
