import Foundation
import GRDB

// Rows of StatusModel's tables and their mapping to domain values. Times are stored as
// seconds since 1970 (REAL) so that range queries compare numbers.
//
// Columns are read with `Row.decode`, never with `row["column"]`: GRDB's subscript traps on a
// NULL or a value of another type, and one damaged row would stop the whole server. Decoding
// throws instead, and only the request that met the row fails.

extension Product {
    init(row: Row) throws {
        self.init(
            slug: try row.decode(String.self, forColumn: "slug"), name: try row.decode(String.self, forColumn: "name"),
            family: try row.decode(String.self, forColumn: "family"), position: try row.decode(Int.self, forColumn: "position"),
            visibility: Product.Visibility(rawValue: try row.decode(String.self, forColumn: "visibility")) ?? .hidden,
            monitoredSince: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "monitoredSince")),
            hasChecks: try row.decode(Bool.self, forColumn: "hasChecks"),
            origin: Product.Origin(rawValue: try row.decode(String?.self, forColumn: "origin") ?? "config") ?? .config
        )
    }
}

extension CheckResult {
    init(row: Row) throws {
        self.init(
            checkID: try row.decode(String.self, forColumn: "checkID"), productSlug: try row.decode(String.self, forColumn: "productSlug"),
            time: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "time")),
            region: try row.decode(String.self, forColumn: "region"),
            outcome: CheckResult.Outcome(rawValue: try row.decode(String.self, forColumn: "outcome")) ?? .down,
            durationMilliseconds: try row.decode(Double?.self, forColumn: "durationMilliseconds"),
            reason: try row.decode(String?.self, forColumn: "reason")
        )
    }
}

extension Episode {
    init(row: Row) throws {
        let end = try row.decode(Double?.self, forColumn: "end")
        self.init(
            productSlug: try row.decode(String.self, forColumn: "productSlug"),
            condition: Condition(rawValue: try row.decode(String.self, forColumn: "condition")) ?? .outage,
            cause: Episode.Cause(rawValue: try row.decode(String.self, forColumn: "cause")) ?? .probe,
            source: try row.decode(String.self, forColumn: "source"),
            start: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "start")),
            end: end.map(Date.init(timeIntervalSince1970:))
        )
    }
}

/// A stored day rollup: the summary of one product's day and whether it was observed.
struct DayRollupRow {
    var observed: Bool
    var summary: DaySummary

    init(row: Row) throws {
        observed = try row.decode(Bool.self, forColumn: "observed")
        let names = try row.decode(String.self, forColumn: "conditions")
        summary = DaySummary(
            conditions: Set(names.split(separator: ",").compactMap { Condition(rawValue: String($0)) }),
            outageSeconds: try row.decode(Double.self, forColumn: "outageSeconds"),
            degradedSeconds: try row.decode(Double.self, forColumn: "degradedSeconds"),
            maintenanceSeconds: try row.decode(Double.self, forColumn: "maintenanceSeconds")
        )
    }

    var stored: StoredDay { StoredDay(observed: observed, summary: summary) }

    static func encode(_ conditions: Set<Condition>) -> String {
        conditions.map(\.rawValue).sorted().joined(separator: ",")
    }
}

extension Date {
    var storedSeconds: Double { timeIntervalSince1970 }
}
