import Foundation
import GRDB

extension SQLiteStatusStore {
    public func events(after id: Int64, limit: Int) async throws -> [StatusEvent] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM statusEvent WHERE id > ? ORDER BY id LIMIT ?", arguments: [id, limit]).map(StatusEvent.init(row:))
        }
    }

    public func lastEventID() async throws -> Int64 {
        try await writer.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM statusEvent") ?? 0 }
    }

    @discardableResult
    public func recordMaintenanceTransitions(now: Date) async throws -> Int {
        try await writer.write { db in
            // Only windows that started or ended lately: a window imported long after its end
            // is history, not news.
            let horizon = now.addingTimeInterval(-Self.transitionHorizon).storedSeconds
            let windows = try Self.maintenances(db, where: """
                (start <= ? AND start > ?) OR ("end" <= ? AND "end" > ?)
                """, arguments: [now.storedSeconds, horizon, now.storedSeconds, horizon])
            var count = 0
            for window in windows {
                if window.start <= now {
                    count += try Self.journalOnce(MaintenanceJournal.event(.maintenanceStarted, of: window, at: window.start),
                                                  key: "maintenance:\(window.id):started", in: db)
                }
                if window.end <= now {
                    count += try Self.journalOnce(MaintenanceJournal.event(.maintenanceCompleted, of: window, at: window.end),
                                                  key: "maintenance:\(window.id):completed", in: db)
                }
            }
            // A weekly window that ended hands the repetition to the next one, at the first week
            // still to come (a server down for days skips the weeks it missed), in the same
            // transaction that clears its own flag: each week is scheduled once, whoever looks.
            for window in try Self.maintenances(db, where: "repeatsWeekly = 1 AND \"end\" <= ?", arguments: [now.storedSeconds]) {
                guard var next = window.nextOccurrence(id: IncidentID.make(), calendar: calendar) else { continue }
                while next.end <= now, let later = next.nextOccurrence(id: next.id, calendar: calendar) { next = later }
                try db.execute(sql: "UPDATE maintenance SET repeatsWeekly = 0 WHERE id = ?", arguments: [window.id])
                try Self.save(next, in: db, calendar: calendar)
                count += 1
            }
            return count
        }
    }

    @discardableResult
    public func pruneEvents(before cutoff: Date) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM statusEvent WHERE at < ?", arguments: [cutoff.storedSeconds])
            return db.changesCount
        }
    }

    /// How far back a window's start or end still makes news.
    static let transitionHorizon: TimeInterval = 86_400

    static func journal(_ event: StatusEvent, in db: Database) throws {
        _ = try journalOnce(event, key: nil, in: db)
    }

    /// Writes the event unless one with the same key exists; 1 when written.
    private static func journalOnce(_ event: StatusEvent, key: String?, in db: Database) throws -> Int {
        try db.execute(sql: """
            INSERT INTO statusEvent (kind, subjectID, productSlugs, at, title, message, status, windowStart, windowEnd, onceKey, probeReason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(onceKey) DO NOTHING
            """, arguments: [event.kind.rawValue, event.subjectID, event.productSlugs.joined(separator: " "), event.at.storedSeconds,
                             event.title, event.message, event.status, event.windowStart?.storedSeconds,
                             event.windowEnd?.storedSeconds, key, event.probeReason])
        return db.changesCount
    }
}

extension StatusEvent {
    /// Throws on a damaged row (see Records.swift): the reader's request fails, not the process.
    init(row: Row) throws {
        let slugs = try row.decode(String.self, forColumn: "productSlugs")
        let start = try row.decode(Double?.self, forColumn: "windowStart")
        let end = try row.decode(Double?.self, forColumn: "windowEnd")
        self.init(id: try row.decode(Int64.self, forColumn: "id"),
                  kind: StatusEvent.Kind(rawValue: try row.decode(String.self, forColumn: "kind")) ?? .incidentUpdated,
                  subjectID: try row.decode(String.self, forColumn: "subjectID"),
                  productSlugs: slugs.split(separator: " ").map(String.init),
                  at: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "at")),
                  title: try row.decode(String.self, forColumn: "title"), message: try row.decode(String.self, forColumn: "message"),
                  status: try row.decode(String.self, forColumn: "status"),
                  windowStart: start.map(Date.init(timeIntervalSince1970:)), windowEnd: end.map(Date.init(timeIntervalSince1970:)),
                  probeReason: try row.decode(String?.self, forColumn: "probeReason"))
    }
}
