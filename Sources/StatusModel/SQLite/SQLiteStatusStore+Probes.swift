import Foundation
import GRDB

extension SQLiteStatusStore {
    public func setRegionState(_ state: RegionState) async throws {
        try await writer.write { db in
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
            let byHour = Dictionary(grouping: rows) { (row: Row) -> Double in row["hour"] }
            return byHour.keys.sorted().map { hour in
                let counts = (byHour[hour] ?? []).map { (bucket: $0["bucket"] as Int, count: $0["count"] as Int) }
                return HourlyTiming(
                    hourStart: Date(timeIntervalSince1970: hour),
                    count: counts.reduce(0) { $0 + $1.count },
                    p50Milliseconds: TimingHistogram.percentile(0.5, of: counts),
                    p95Milliseconds: TimingHistogram.percentile(0.95, of: counts)
                )
            }
        }
    }
}

extension RegionState {
    init(row: Row) {
        self.init(checkID: row["checkID"], region: row["region"],
                  outcome: CheckResult.Outcome(rawValue: row["outcome"]) ?? .down, reason: row["reason"],
                  since: Date(timeIntervalSince1970: row["since"]))
    }
}
