import Foundation

/// What held for a product during one local day: the rollup the store keeps per day.
public struct DaySummary: Sendable, Hashable, Codable {
    /// The non-operational conditions that held at some moment of the day.
    public var conditions: Set<Condition>
    /// Time in outage outside maintenance: what uptime counts as down.
    public var outageSeconds: Double
    public var degradedSeconds: Double
    public var maintenanceSeconds: Double

    public init(conditions: Set<Condition> = [], outageSeconds: Double = 0, degradedSeconds: Double = 0, maintenanceSeconds: Double = 0) {
        self.conditions = conditions
        self.outageSeconds = outageSeconds
        self.degradedSeconds = degradedSeconds
        self.maintenanceSeconds = maintenanceSeconds
    }

    public static let quiet = DaySummary()
}

/// The day-state rule of DESIGN.md, as pure functions over episodes.
public enum DayStateRule {
    /// Episodes as the rule sees them: a probe failure inside a maintenance window of the same
    /// product counts as maintenance, so the part of a probe episode inside one is dropped
    /// (the maintenance episode already covers that time).
    static func effectiveSpans(of episodes: [Episode], now: Date) -> [(condition: Condition, span: DateInterval)] {
        var maintenanceByProduct: [String: [DateInterval]] = [:]
        for episode in episodes where episode.cause == .maintenance {
            if let span = episode.interval(now: now) { maintenanceByProduct[episode.productSlug, default: []].append(span) }
        }
        var result: [(condition: Condition, span: DateInterval)] = []
        for episode in episodes where episode.condition != .operational {
            guard let span = episode.interval(now: now) else { continue }
            if episode.cause == .probe, let windows = maintenanceByProduct[episode.productSlug] {
                for rest in Intervals.subtract(windows, from: [span]) { result.append((episode.condition, rest)) }
            } else {
                result.append((episode.condition, span))
            }
        }
        return result
    }

    /// Summarises one product's episodes over one day (pass the episodes of that product only).
    public static func summary(of episodes: [Episode], during day: DateInterval, now: Date) -> DaySummary {
        var spansByCondition: [Condition: [DateInterval]] = [:]
        for (condition, span) in effectiveSpans(of: episodes, now: now) {
            if let inside = Intervals.clip(span, to: day) { spansByCondition[condition, default: []].append(inside) }
        }
        let maintenance = spansByCondition[.maintenance] ?? []
        let outageOutsideMaintenance = Intervals.subtract(maintenance, from: spansByCondition[.outage] ?? [])
        return DaySummary(
            conditions: Set(spansByCondition.keys),
            outageSeconds: Intervals.totalSeconds(outageOutsideMaintenance),
            degradedSeconds: Intervals.totalSeconds(spansByCondition[.degraded] ?? []),
            maintenanceSeconds: Intervals.totalSeconds(maintenance)
        )
    }

    /// The state shown for a day: no condition is ok (or no data when nothing was observed),
    /// one kind is that kind (outage shows as incident), several kinds are multiple.
    public static func dayState(of summary: DaySummary, observed: Bool) -> DayState {
        switch summary.conditions.count {
        case 0: return observed ? .ok : .noData
        case 1:
            switch summary.conditions.first {
            case .maintenance: return .maintenance
            case .degraded: return .degraded
            case .outage: return .incident
            case .operational, .none: return observed ? .ok : .noData
            }
        default: return .multiple
        }
    }

    /// A product's condition at `now`: the worst of its effective episodes going on then.
    public static func condition(of episodes: [Episode], at now: Date) -> Condition {
        let moment = DateInterval(start: now, duration: 0)
        return effectiveSpans(of: episodes, now: now.addingTimeInterval(1))
            .filter { $0.span.start <= moment.start && moment.start < $0.span.end }
            .map(\.condition)
            .max() ?? .operational
    }

    /// Uptime over some days as a fraction: time in outage over observed time, maintenance
    /// time taken out of both. Nil when nothing was observed.
    public static func uptime(of days: [(observedSeconds: Double, summary: DaySummary)]) -> Double? {
        var observed = 0.0
        var down = 0.0
        for day in days where day.observedSeconds > 0 {
            observed += max(0, day.observedSeconds - day.summary.maintenanceSeconds)
            down += day.summary.outageSeconds
        }
        guard observed > 0 else { return nil }
        return max(0, min(1, 1 - down / observed))
    }
}
