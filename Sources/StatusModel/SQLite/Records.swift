import Foundation
import GRDB

// Rows of StatusModel's tables and their mapping to domain values. Times are stored as
// seconds since 1970 (REAL) so that range queries compare numbers.

extension Product {
    init(row: Row) {
        self.init(
            slug: row["slug"], name: row["name"], family: row["family"], position: row["position"],
            visibility: Product.Visibility(rawValue: row["visibility"]) ?? .hidden,
            monitoredSince: Date(timeIntervalSince1970: row["monitoredSince"]),
            hasChecks: row["hasChecks"],
            origin: Product.Origin(rawValue: row["origin"] ?? "config") ?? .config
        )
    }
}

extension CheckResult {
    init(row: Row) {
        self.init(
            checkID: row["checkID"], productSlug: row["productSlug"],
            time: Date(timeIntervalSince1970: row["time"]), region: row["region"],
            outcome: CheckResult.Outcome(rawValue: row["outcome"]) ?? .down,
            durationMilliseconds: row["durationMilliseconds"], reason: row["reason"]
        )
    }
}

extension Episode {
    init(row: Row) {
        let end: Double? = row["end"]
        self.init(
            productSlug: row["productSlug"],
            condition: Condition(rawValue: row["condition"]) ?? .outage,
            cause: Episode.Cause(rawValue: row["cause"]) ?? .probe,
            source: row["source"],
            start: Date(timeIntervalSince1970: row["start"]),
            end: end.map(Date.init(timeIntervalSince1970:))
        )
    }
}

/// A stored day rollup: the summary of one product's day and whether it was observed.
struct DayRollupRow {
    var observed: Bool
    var summary: DaySummary

    init(row: Row) {
        observed = row["observed"]
        let names: String = row["conditions"]
        summary = DaySummary(
            conditions: Set(names.split(separator: ",").compactMap { Condition(rawValue: String($0)) }),
            outageSeconds: row["outageSeconds"],
            degradedSeconds: row["degradedSeconds"],
            maintenanceSeconds: row["maintenanceSeconds"]
        )
    }

    static func encode(_ conditions: Set<Condition>) -> String {
        conditions.map(\.rawValue).sorted().joined(separator: ",")
    }
}

extension Date {
    var storedSeconds: Double { timeIntervalSince1970 }
}
