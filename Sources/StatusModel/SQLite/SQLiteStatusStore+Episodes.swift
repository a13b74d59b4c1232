import Foundation
import GRDB

extension SQLiteStatusStore {
    public func openEpisode(_ episode: Episode) async throws {
        try await writer.write { db in
            let open = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM episode WHERE productSlug = ? AND cause = ? AND source = ? AND "end" IS NULL
                """, arguments: [episode.productSlug, episode.cause.rawValue, episode.source]) ?? 0
            guard open == 0 else { return }
            try insert(episode, in: db)
            try refreshRollups(db, productSlug: episode.productSlug, from: episode.start, to: episode.end ?? Date())
            try Self.bumpVersion(db)
        }
    }

    public func closeEpisode(productSlug: String, cause: Episode.Cause, source: String, at end: Date) async throws {
        try await writer.write { db in
            let starts = try Double.fetchAll(db, sql: """
                SELECT start FROM episode WHERE productSlug = ? AND cause = ? AND source = ? AND "end" IS NULL
                """, arguments: [productSlug, cause.rawValue, source])
            guard let earliest = starts.min() else { return }
            try db.execute(sql: """
                UPDATE episode SET "end" = max(start, ?) WHERE productSlug = ? AND cause = ? AND source = ? AND "end" IS NULL
                """, arguments: [end.storedSeconds, productSlug, cause.rawValue, source])
            try refreshRollups(db, productSlug: productSlug, from: Date(timeIntervalSince1970: earliest), to: max(end, Date()))
            try Self.bumpVersion(db)
        }
    }

    public func episodes(productSlug: String, overlapping interval: DateInterval) async throws -> [Episode] {
        try await writer.read { db in try Self.episodes(db, productSlug: productSlug, overlapping: interval) }
    }

    public func save(_ incident: Incident) async throws {
        try await writer.write { db in try Self.save(incident, in: db, calendar: calendar) }
    }

    /// Writes an incident with its timeline and episodes, and journals the steps it did not have before.
    static func save(_ incident: Incident, in db: Database, calendar: DayCalendar) throws {
        let before = try incidents(db, where: "id = ?", arguments: [incident.id]).first
        let previous = try episodeSpan(db, cause: .incident, source: incident.id)
        try db.execute(sql: """
            INSERT OR REPLACE INTO incident (id, title, impact, startedAt, resolvedAt, origin) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [incident.id, incident.title, incident.impact.rawValue,
                             incident.startedAt.storedSeconds, incident.resolvedAt?.storedSeconds, incident.origin.rawValue])
        try db.execute(sql: "DELETE FROM incidentProduct WHERE incidentID = ?", arguments: [incident.id])
        for slug in Set(incident.productSlugs) {
            try db.execute(sql: "INSERT INTO incidentProduct (incidentID, productSlug) VALUES (?, ?)", arguments: [incident.id, slug])
        }
        try db.execute(sql: "DELETE FROM incidentUpdate WHERE incidentID = ?", arguments: [incident.id])
        for update in incident.updates {
            try db.execute(sql: "INSERT INTO incidentUpdate (incidentID, status, message, at) VALUES (?, ?, ?, ?)",
                           arguments: [incident.id, update.status.rawValue, update.message, update.at.storedSeconds])
        }
        try replaceEpisodes(db, calendar: calendar, cause: .incident, source: incident.id, with: incident.episodes, previous: previous)
        for event in IncidentJournal.events(from: before, to: incident) { try journal(event, in: db) }
    }

    public func incident(id: String) async throws -> Incident? {
        try await writer.read { db in try Self.incidents(db, where: "id = ?", arguments: [id]).first }
    }

    public func changeIncident(id: String, _ change: @Sendable (inout Incident) throws -> Void) async throws -> Incident? {
        try await writer.write { db in
            guard var incident = try Self.incidents(db, where: "id = ?", arguments: [id]).first else { return nil }
            try change(&incident)
            try Self.save(incident, in: db, calendar: calendar)
            return incident
        }
    }

    public func recentIncidents(limit: Int) async throws -> [Incident] {
        try await writer.read { db in
            try Self.incidents(db, where: "1 ORDER BY resolvedAt IS NOT NULL, startedAt DESC LIMIT ?", arguments: [limit])
        }
    }

    public func unresolvedIncidents() async throws -> [Incident] {
        try await writer.read { db in try Self.incidents(db, where: "resolvedAt IS NULL ORDER BY startedAt DESC", arguments: []) }
    }

    public func closedIncidents(productSlug: String, limit: Int) async throws -> [Incident] {
        try await writer.read { db in
            try Self.incidents(db, where: """
                resolvedAt IS NOT NULL AND id IN (SELECT incidentID FROM incidentProduct WHERE productSlug = ?)
                ORDER BY resolvedAt DESC LIMIT ?
                """, arguments: [productSlug, limit])
        }
    }

    public func save(_ maintenance: Maintenance) async throws {
        try await writer.write { db in try Self.save(maintenance, in: db, calendar: calendar) }
    }

    /// Writes a window and its episodes; a new one is journalled as scheduled.
    static func save(_ maintenance: Maintenance, in db: Database, calendar: DayCalendar) throws {
        let before = try Self.maintenance(db, id: maintenance.id)
        let previous = try episodeSpan(db, cause: .maintenance, source: maintenance.id)
        try db.execute(sql: """
            INSERT OR REPLACE INTO maintenance (id, title, message, start, "end", repeatsWeekly) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [maintenance.id, maintenance.title, maintenance.message,
                             maintenance.start.storedSeconds, maintenance.end.storedSeconds, maintenance.repeatsWeekly])
        try db.execute(sql: "DELETE FROM maintenanceProduct WHERE maintenanceID = ?", arguments: [maintenance.id])
        for slug in Set(maintenance.productSlugs) {
            try db.execute(sql: "INSERT INTO maintenanceProduct (maintenanceID, productSlug) VALUES (?, ?)",
                           arguments: [maintenance.id, slug])
        }
        try replaceEpisodes(db, calendar: calendar, cause: .maintenance, source: maintenance.id, with: maintenance.episodes, previous: previous)
        let now = Date()
        if before == nil {
            try journal(MaintenanceJournal.event(.maintenanceScheduled, of: maintenance, at: now), in: db)
        } else if let before, Self.moved(before.start, maintenance.start) || Self.moved(before.end, maintenance.end), maintenance.end > now {
            // Subscribers were told of other times: they hear of the new ones.
            try journal(MaintenanceJournal.event(.maintenanceRescheduled, of: maintenance, at: now), in: db)
        }
    }

    /// Times come back from the store as seconds in a Double: a change under a second is not a move.
    private static func moved(_ old: Date, _ new: Date) -> Bool {
        abs(old.timeIntervalSince(new)) >= 1
    }

    public func maintenance(id: String) async throws -> Maintenance? {
        try await writer.read { db in try Self.maintenance(db, id: id) }
    }

    public func deleteMaintenance(id: String) async throws -> Bool {
        try await writer.write { db in
            let previous = try Self.episodeSpan(db, cause: .maintenance, source: id)
            let window = try Self.maintenance(db, id: id)
            try db.execute(sql: "DELETE FROM maintenance WHERE id = ?", arguments: [id])
            let existed = db.changesCount > 0
            let now = Date()
            if let window, window.end > now {
                try Self.journal(MaintenanceJournal.event(.maintenanceCancelled, of: window, at: now), in: db)
            }
            try Self.replaceEpisodes(db, calendar: calendar, cause: .maintenance, source: id, with: [], previous: previous)
            return existed
        }
    }

    public func openProbeIncident(productSlug: String, title: String, message: String, reason: String?, at: Date) async throws {
        try await writer.write { db in
            guard try Self.openProbeIncidentID(db, productSlug: productSlug) == nil else { return }
            var incident = Incident(id: IncidentID.make(), title: title, impact: .major, productSlugs: [productSlug], startedAt: at,
                                    updates: [.init(status: .investigating, message: message, at: at)], origin: .probes)
            incident.probeReason = reason
            try Self.save(incident, in: db, calendar: calendar)
        }
    }

    public func resolveProbeIncident(productSlug: String, message: String, at: Date) async throws {
        try await writer.write { db in
            guard let id = try Self.openProbeIncidentID(db, productSlug: productSlug),
                  var incident = try Self.incidents(db, where: "id = ?", arguments: [id]).first else { return }
            // Read and written in one transaction: an operator's step posted meanwhile stays.
            incident.post(.init(status: .resolved, message: message, at: max(at, incident.startedAt)))
            try Self.save(incident, in: db, calendar: calendar)
        }
    }

    private static func openProbeIncidentID(_ db: Database, productSlug: String) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT id FROM incident WHERE origin = 'probes' AND resolvedAt IS NULL
              AND id IN (SELECT incidentID FROM incidentProduct WHERE productSlug = ?)
            ORDER BY startedAt DESC LIMIT 1
            """, arguments: [productSlug])
    }

    public func maintenances(overlapping interval: DateInterval) async throws -> [Maintenance] {
        try await writer.read { db in
            try Self.maintenances(db, where: "start < ? AND \"end\" > ? ORDER BY start",
                                  arguments: [interval.end.storedSeconds, interval.start.storedSeconds])
        }
    }

    static func maintenance(_ db: Database, id: String) throws -> Maintenance? {
        try maintenances(db, where: "id = ?", arguments: [id]).first
    }

    static func maintenances(_ db: Database, where condition: String, arguments: StatementArguments) throws -> [Maintenance] {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM maintenance WHERE \(condition)", arguments: arguments)
        return try rows.map { row in
            let id = try row.decode(String.self, forColumn: "id")
            let slugs = try String.fetchAll(db, sql: "SELECT productSlug FROM maintenanceProduct WHERE maintenanceID = ? ORDER BY productSlug", arguments: [id])
            return Maintenance(id: id, title: try row.decode(String.self, forColumn: "title"),
                               message: try row.decode(String.self, forColumn: "message"), productSlugs: slugs,
                               start: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "start")),
                               end: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "end")),
                               repeatsWeekly: try row.decode(Bool.self, forColumn: "repeatsWeekly"))
        }
    }

    // MARK: Helpers shared with the history side

    static func episodes(_ db: Database, productSlug: String, overlapping interval: DateInterval) throws -> [Episode] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM episode WHERE productSlug = ? AND start < ? AND ("end" IS NULL OR "end" > ?) ORDER BY start
            """, arguments: [productSlug, interval.end.storedSeconds, interval.start.storedSeconds]).map(Episode.init(row:))
    }

    /// Recomputes the stored rollups of every day of `productSlug` between two instants.
    /// Open episodes count to the end of each day here; reads recompute those days live.
    func refreshRollups(_ db: Database, productSlug: String, from start: Date, to end: Date) throws {
        try Self.refreshRollups(db, calendar: calendar, productSlug: productSlug, from: start, to: end)
    }

    static func refreshRollups(_ db: Database, calendar: DayCalendar, productSlug: String, from start: Date, to end: Date) throws {
        let span = DateInterval(start: min(start, end), end: max(start, end))
        for day in calendar.days(overlapping: span) {
            let window = calendar.interval(of: day)
            let episodes = try Self.episodes(db, productSlug: productSlug, overlapping: window)
            let summary = DayStateRule.summary(of: episodes, during: window, now: .distantFuture)
            try db.execute(sql: """
                INSERT INTO dayRollup (productSlug, day, conditions, outageSeconds, degradedSeconds, maintenanceSeconds)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(productSlug, day) DO UPDATE SET conditions = excluded.conditions,
                    outageSeconds = excluded.outageSeconds, degradedSeconds = excluded.degradedSeconds,
                    maintenanceSeconds = excluded.maintenanceSeconds
                """, arguments: [productSlug, day.description, DayRollupRow.encode(summary.conditions),
                                 summary.outageSeconds, summary.degradedSeconds, summary.maintenanceSeconds])
        }
    }

    private func insert(_ episode: Episode, in db: Database) throws {
        try Self.insert(episode, in: db)
    }

    private static func insert(_ episode: Episode, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO episode (productSlug, condition, cause, source, start, "end") VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [episode.productSlug, episode.condition.rawValue, episode.cause.rawValue, episode.source,
                             episode.start.storedSeconds, episode.end?.storedSeconds])
    }

    /// The products and time an incident's or a window's episodes covered before a change.
    private static func episodeSpan(_ db: Database, cause: Episode.Cause, source: String) throws -> [Episode] {
        try Row.fetchAll(db, sql: "SELECT * FROM episode WHERE cause = ? AND source = ?",
                         arguments: [cause.rawValue, source]).map(Episode.init(row:))
    }

    /// Swaps the episodes of one incident or window, then refreshes every day either set touched.
    private static func replaceEpisodes(_ db: Database, calendar: DayCalendar, cause: Episode.Cause, source: String,
                                        with episodes: [Episode], previous: [Episode]) throws {
        try db.execute(sql: "DELETE FROM episode WHERE cause = ? AND source = ?", arguments: [cause.rawValue, source])
        for episode in episodes { try insert(episode, in: db) }
        let now = Date()
        for episode in previous + episodes {
            try refreshRollups(db, calendar: calendar, productSlug: episode.productSlug, from: episode.start, to: episode.end ?? now)
        }
        try bumpVersion(db)
    }

    static func incidents(_ db: Database, where condition: String, arguments: StatementArguments) throws -> [Incident] {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM incident WHERE \(condition)", arguments: arguments)
        return try rows.map { row in
            let id = try row.decode(String.self, forColumn: "id")
            let slugs = try String.fetchAll(db, sql: "SELECT productSlug FROM incidentProduct WHERE incidentID = ? ORDER BY productSlug", arguments: [id])
            let updates = try Row.fetchAll(db, sql: "SELECT * FROM incidentUpdate WHERE incidentID = ? ORDER BY at, id", arguments: [id]).map {
                Incident.Update(status: Incident.Status(rawValue: try $0.decode(String.self, forColumn: "status")) ?? .investigating,
                                message: try $0.decode(String.self, forColumn: "message"),
                                at: Date(timeIntervalSince1970: try $0.decode(Double.self, forColumn: "at")))
            }
            let resolvedAt = try row.decode(Double?.self, forColumn: "resolvedAt")
            return Incident(id: id, title: try row.decode(String.self, forColumn: "title"),
                            impact: Incident.Impact(rawValue: try row.decode(String.self, forColumn: "impact")) ?? .none,
                            productSlugs: slugs, startedAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "startedAt")),
                            resolvedAt: resolvedAt.map(Date.init(timeIntervalSince1970:)), updates: updates,
                            origin: Incident.Origin(rawValue: try row.decode(String.self, forColumn: "origin")) ?? .operator)
        }
    }
}
