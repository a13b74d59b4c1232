import Foundation
import GRDB

extension SQLiteStatusStore {
    public func setRegionState(_ state: RegionState) async throws {
        try await writer.write { db in
            // A new outcome or cause is on the pages (the product's "Cause constatée"): it moves
            // the state version, as episodes do, so cached pages show it within a second.
            let before = try Row.fetchOne(db, sql: "SELECT outcome, reason FROM regionState WHERE checkID = ? AND region = ?",
                                          arguments: [state.checkID, state.region])
            let changed = try before.map { row in
                try row.decode(String.self, forColumn: "outcome") != state.outcome.rawValue
                    || row.decode(String?.self, forColumn: "reason") != state.reason
            } ?? true
            if changed { try Self.bumpVersion(db) }
            try db.execute(sql: """
                INSERT INTO regionState (checkID, region, outcome, reason, since) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(checkID, region) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason, since = excluded.since
                """, arguments: [state.checkID, state.region, state.outcome.rawValue, state.reason, state.since.storedSeconds])
        }
    }

    public func regionStates(checkID: String) async throws -> [RegionState] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM regionState WHERE checkID = ? ORDER BY region", arguments: [checkID]).map(RegionState.init(row:))
        }
    }

    public func regionStates(region: String) async throws -> [RegionState] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM regionState WHERE region = ?", arguments: [region]).map(RegionState.init(row:))
        }
    }

    public func recordHeartbeat(checkID: String, at time: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO heartbeat (checkID, at) VALUES (?, ?) ON CONFLICT(checkID) DO UPDATE SET at = max(at, excluded.at)
                """, arguments: [checkID, time.storedSeconds])
        }
    }

    public func lastHeartbeat(checkID: String) async throws -> Date? {
        try await writer.read { db in
            try Double.fetchOne(db, sql: "SELECT at FROM heartbeat WHERE checkID = ?", arguments: [checkID]).map(Date.init(timeIntervalSince1970:))
        }
    }

    public func openProbeEpisodes() async throws -> [Episode] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM episode WHERE cause = 'probe' AND \"end\" IS NULL").map(Episode.init(row:))
        }
    }

    public func currentProbeReasons(productSlug: String) async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT reason FROM regionState
                WHERE outcome != 'up' AND reason IS NOT NULL AND checkID IN (
                    SELECT source FROM episode WHERE productSlug = ? AND cause = 'probe' AND "end" IS NULL)
                ORDER BY reason
                """, arguments: [productSlug])
        }
    }

    public func hourlyTimings(productSlug: String, since: Date) async throws -> [HourlyTiming] {
        try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT hour, bucket, count FROM timingBucket WHERE productSlug = ? AND hour >= ? ORDER BY hour
                """, arguments: [productSlug, (since.storedSeconds / 3600).rounded(.down) * 3600])
            let byHour = try Dictionary(grouping: rows) { (row: Row) -> Double in try row.decode(Double.self, forColumn: "hour") }
            return try byHour.keys.sorted().map { hour in
                let counts = try (byHour[hour] ?? []).map {
                    (bucket: try $0.decode(Int.self, forColumn: "bucket"), count: try $0.decode(Int.self, forColumn: "count"))
                }
                // Counts come from the file: a damaged one (negative, or summing past Int.max) would
                // trap in this sum and in the percentiles' sums, so it fails this read instead.
                var total = 0
                for entry in counts {
                    let (sum, overflow) = total.addingReportingOverflow(entry.count)
                    guard entry.count >= 0, !overflow else {
                        throw DatabaseError(message: "timingBucket of \(productSlug) holds a damaged count")
                    }
                    total = sum
                }
                return HourlyTiming(
                    hourStart: Date(timeIntervalSince1970: hour),
                    count: total,
                    p50Milliseconds: TimingHistogram.percentile(0.5, of: counts),
                    p95Milliseconds: TimingHistogram.percentile(0.95, of: counts)
                )
            }
        }
    }
}

extension RegionState {
    /// Throws on a damaged row (see Records.swift): the reader's request fails, not the process.
    init(row: Row) throws {
        self.init(checkID: try row.decode(String.self, forColumn: "checkID"), region: try row.decode(String.self, forColumn: "region"),
                  outcome: CheckResult.Outcome(rawValue: try row.decode(String.self, forColumn: "outcome")) ?? .down,
                  reason: try row.decode(String?.self, forColumn: "reason"),
                  since: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "since")))
    }
}
