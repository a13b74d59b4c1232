import Foundation
import GRDB
import StatusModel
import Testing

/// A status store on a WAL file, with the database at hand to damage its rows by raw SQL.
final class DamageableStore: Sendable {
    let database: SQLiteDatabase
    let store: SQLiteStatusStore
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-damaged-\(UUID().uuidString)")
        database = try SQLiteDatabase.open(path: directory.appendingPathComponent("statusd.sqlite").path, migrations: [StatusModelMigrations()])
        store = SQLiteStatusStore(database: database, calendar: Paris.calendar)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func execute(_ sql: String, _ arguments: StatementArguments = []) async throws {
        try await database.writer.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    /// Lifts the NOT NULL constraints of `table`, as in a file edited by hand or by an older
    /// tool, so that SQLite accepts the NULLs the store must survive.
    func allowNulls(in table: String) async throws {
        try await database.writer.writeWithoutTransaction { db in
            let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(sql: "UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', '') WHERE type = 'table' AND name = ?",
                           arguments: [table])
            // A new schema version makes every connection of the pool read the changed schema.
            try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
            try db.execute(sql: "PRAGMA writable_schema = OFF")
        }
    }
}

/// A damaged row (a NULL, or a value of another type, which SQLite accepts) fails the read that
/// meets it with a thrown error, and nothing else: GRDB's `row["column"]` would have trapped and
/// stopped the whole process, so none of these tests could pass if a store still read that way.
@Suite("Damaged rows")
struct DamagedRowTests {
    typealias F = Fixture

    @Test("A product row with a NULL fails the product reads; the other product still reads")
    func damagedProduct() async throws {
        let fixture = try DamageableStore(), store = fixture.store
        try await store.syncProducts([F.loop, F.stream])
        try await fixture.allowNulls(in: "product")
        try await fixture.execute("UPDATE product SET name = NULL WHERE slug = 'stream'")

        await #expect(throws: (any Error).self) { try await store.products() }
        await #expect(throws: (any Error).self) { try await store.product(slug: "stream") }
        await #expect(throws: (any Error).self) { try await store.dayStates(days: F.lastFiveDays, now: F.now) }
        await #expect(throws: (any Error).self) { try await store.history(productSlug: "stream", days: F.lastFiveDays, now: F.now) }
        #expect(try await store.product(slug: "loop")?.name == "Cegid Loop")
        #expect(try await store.history(productSlug: "loop", days: F.lastFiveDays, now: F.now).states.count == 5)

        try await fixture.execute("UPDATE product SET name = 'Cegid Stream' WHERE slug = 'stream'")
        #expect(try await store.products().map(\.slug) == ["loop", "stream"])
    }

    @Test("A product row with text in a number column fails the product reads")
    func mistypedProduct() async throws {
        let fixture = try DamageableStore(), store = fixture.store
        try await store.syncProducts([F.loop, F.stream])
        try await fixture.execute("UPDATE product SET monitoredSince = 'abc' WHERE slug = 'stream'")

        await #expect(throws: (any Error).self) { try await store.products() }
        await #expect(throws: (any Error).self) { try await store.product(slug: "stream") }
        #expect(try await store.product(slug: "loop") != nil)

        try await fixture.execute("UPDATE product SET monitoredSince = ? WHERE slug = 'stream'", [F.stream.monitoredSince.timeIntervalSince1970])
        #expect(try await store.product(slug: "stream")?.monitoredSince == F.stream.monitoredSince)
    }

    @Test("A damaged day rollup fails the day states that include it, not another product's history")
    func damagedDayRollup() async throws {
        let fixture = try DamageableStore(), store = fixture.store
        try await store.syncProducts([F.loop, F.stream])
        try await store.record([F.result(.up, at: Paris.at(2026, 11, 18, 10)), F.result(.up, at: Paris.at(2026, 11, 18, 10), product: "stream")])
        let healthy = try await store.dayStates(days: F.lastFiveDays, now: F.now)
        try await fixture.execute("UPDATE dayRollup SET outageSeconds = 'abc' WHERE productSlug = 'stream'")

        await #expect(throws: (any Error).self) { try await store.dayStates(days: F.lastFiveDays, now: F.now) }
        await #expect(throws: (any Error).self) { try await store.history(productSlug: "stream", days: F.lastFiveDays, now: F.now) }
        #expect(try await store.history(productSlug: "loop", days: F.lastFiveDays, now: F.now).states == healthy["loop"])

        try await fixture.execute("UPDATE dayRollup SET outageSeconds = 0 WHERE productSlug = 'stream'")
        #expect(try await store.dayStates(days: F.lastFiveDays, now: F.now) == healthy)
    }

    @Test("A damaged incident or incident update fails the incident reads; another incident still reads")
    func damagedIncident() async throws {
        let fixture = try DamageableStore(), store = fixture.store
        try await store.syncProducts([F.loop, F.stream])
        let start = Paris.at(2026, 11, 19, 9)
        try await store.save(Incident(id: "inc-loop", title: "Loop slow", impact: .minor, productSlugs: ["loop"], startedAt: start,
                                      updates: [.init(status: .investigating, message: "Looking", at: start)]))
        try await store.save(Incident(id: "inc-stream", title: "Stream down", impact: .major, productSlugs: ["stream"], startedAt: start,
                                      resolvedAt: start.addingTimeInterval(3600),
                                      updates: [.init(status: .resolved, message: "Fixed", at: start.addingTimeInterval(3600))]))

        try await fixture.execute("UPDATE incident SET startedAt = 'abc' WHERE id = 'inc-stream'")
        await #expect(throws: (any Error).self) { try await store.recentIncidents(limit: 10) }
        await #expect(throws: (any Error).self) { try await store.incident(id: "inc-stream") }
        await #expect(throws: (any Error).self) { try await store.closedIncidents(productSlug: "stream", limit: 5) }
        #expect(try await store.incident(id: "inc-loop")?.title == "Loop slow")
        #expect(try await store.unresolvedIncidents().map(\.id) == ["inc-loop"])

        // An optional column with a value of another type fails too: it is not read as "no value".
        try await fixture.execute("UPDATE incident SET startedAt = ?, resolvedAt = 'abc' WHERE id = 'inc-stream'", [start.timeIntervalSince1970])
        await #expect(throws: (any Error).self) { try await store.incident(id: "inc-stream") }

        try await fixture.execute("UPDATE incident SET resolvedAt = ? WHERE id = 'inc-stream'", [start.timeIntervalSince1970 + 3600])
        try await fixture.execute("UPDATE incidentUpdate SET at = 'abc' WHERE incidentID = 'inc-loop'")
        await #expect(throws: (any Error).self) { try await store.incident(id: "inc-loop") }
        await #expect(throws: (any Error).self) { try await store.unresolvedIncidents() }
        #expect(try await store.incident(id: "inc-stream")?.resolvedAt == start.addingTimeInterval(3600))

        try await fixture.execute("UPDATE incidentUpdate SET at = ? WHERE incidentID = 'inc-loop'", [start.timeIntervalSince1970])
        #expect(Set(try await store.recentIncidents(limit: 10).map(\.id)) == ["inc-loop", "inc-stream"])
    }

    @Test("Damaged episodes, maintenance, events, region states and console checks fail their reads")
    func damagedOtherRows() async throws {
        let fixture = try DamageableStore(), store = fixture.store
        try await store.syncProducts([F.loop, F.stream])
        let start = Paris.at(2026, 11, 20, 9)
        try await store.openEpisode(episode(.outage, .probe, from: start, to: nil, product: "stream", source: "stream/http"))
        try await store.save(Maintenance(id: "mnt", title: "Upgrade", productSlugs: ["loop"], start: start, end: start.addingTimeInterval(7200)))
        try await store.setRegionState(RegionState(checkID: "loop/http", region: "eu", outcome: .down, reason: "timeout", since: start))
        let window = DateInterval(start: Paris.at(2026, 11, 20), duration: 86_400)

        // Text that is not UTF-8 in a text column (a blob: SQLite keeps it as it came).
        try await fixture.execute("UPDATE episode SET condition = X'FF' WHERE productSlug = 'stream'")
        await #expect(throws: (any Error).self) { try await store.conditions(now: F.now) }
        await #expect(throws: (any Error).self) { try await store.episodes(productSlug: "stream", overlapping: window) }
        await #expect(throws: (any Error).self) { try await store.openProbeEpisodes() }
        #expect(try await store.episodes(productSlug: "loop", overlapping: window).count == 1)
        // An optional column with text where a time belongs (text sorts after every number, so the
        // row still matches "end IS NULL OR end > now").
        try await fixture.execute("UPDATE episode SET condition = 'outage', \"end\" = 'abc' WHERE productSlug = 'stream'")
        await #expect(throws: (any Error).self) { try await store.conditions(now: F.now) }
        try await fixture.execute("UPDATE episode SET \"end\" = NULL WHERE productSlug = 'stream'")
        #expect(try await store.conditions(now: F.now)["stream"] == .outage)

        try await fixture.execute("UPDATE maintenance SET \"end\" = 'abc' WHERE id = 'mnt'")
        await #expect(throws: (any Error).self) { try await store.maintenance(id: "mnt") }
        await #expect(throws: (any Error).self) { try await store.maintenances(overlapping: window) }
        try await fixture.execute("UPDATE maintenance SET \"end\" = ? WHERE id = 'mnt'", [start.timeIntervalSince1970 + 7200])
        #expect(try await store.maintenance(id: "mnt")?.end == start.addingTimeInterval(7200))

        let events = try await store.events(after: 0, limit: 10)
        let first = try #require(events.first)
        try await fixture.execute("UPDATE statusEvent SET at = 'abc' WHERE id = ?", [first.id])
        await #expect(throws: (any Error).self) { try await store.events(after: 0, limit: 10) }
        #expect(try await store.events(after: first.id, limit: 10).count == events.count - 1)
        try await fixture.execute("UPDATE statusEvent SET at = ? WHERE id = ?", [first.at.timeIntervalSince1970, first.id])
        #expect(try await store.events(after: 0, limit: 10).count == events.count)

        try await fixture.execute("UPDATE regionState SET reason = X'FF' WHERE checkID = 'loop/http'")
        await #expect(throws: (any Error).self) { try await store.regionStates(checkID: "loop/http") }
        await #expect(throws: (any Error).self) { try await store.regionStates(region: "eu") }
        #expect(try await store.regionStates(checkID: "stream/http").isEmpty)
        try await fixture.execute("UPDATE regionState SET reason = 'timeout' WHERE checkID = 'loop/http'")
        #expect(try await store.regionStates(region: "eu").map(\.reason) == ["timeout"])

        let console = Product(slug: "pulse", name: "Pulse", family: "HR", position: 3, monitoredSince: start, origin: .console)
        try await store.saveConsoleProduct(console)
        try await store.saveConsoleCheck(ConsoleCheck(productSlug: "pulse", name: "http", spec: "kind: http"))
        try await fixture.execute("UPDATE consoleCheck SET spec = X'FF'")
        await #expect(throws: (any Error).self) { try await store.consoleChecks() }
        try await fixture.execute("UPDATE consoleCheck SET spec = 'kind: http'")
        #expect(try await store.consoleChecks().map(\.spec) == ["kind: http"])
    }

    @Test("Damaged timing counts fail the hourly timings instead of overflowing")
    func damagedTimings() async throws {
        let fixture = try DamageableStore(), store = fixture.store
        try await store.syncProducts([F.loop])
        let hour = Paris.at(2026, 11, 20, 9)
        try await store.record([F.result(.up, at: hour), F.result(.degraded, at: hour.addingTimeInterval(60))])
        var slow = F.result(.up, at: hour.addingTimeInterval(120))
        slow.durationMilliseconds = 5000
        try await store.record([slow])
        #expect(try await store.hourlyTimings(productSlug: "loop", since: hour).first?.count == 3)

        try await fixture.execute("UPDATE timingBucket SET count = 'abc' WHERE productSlug = 'loop'")
        await #expect(throws: (any Error).self) { try await store.hourlyTimings(productSlug: "loop", since: hour) }
        // Two counts that add past Int.max: an addition that would trap.
        try await fixture.execute("UPDATE timingBucket SET count = 9223372036854775807 WHERE productSlug = 'loop'")
        await #expect(throws: (any Error).self) { try await store.hourlyTimings(productSlug: "loop", since: hour) }
        try await fixture.execute("UPDATE timingBucket SET count = -1 WHERE productSlug = 'loop'")
        await #expect(throws: (any Error).self) { try await store.hourlyTimings(productSlug: "loop", since: hour) }

        try await fixture.execute("UPDATE timingBucket SET count = 1 WHERE productSlug = 'loop'")
        #expect(try await store.hourlyTimings(productSlug: "loop", since: hour).first?.count == 2)
    }
}
