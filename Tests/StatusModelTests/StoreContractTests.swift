import Foundation
import StatusModel
import Testing

/// The contract every `StatusStore` keeps, run against each store kind.
@Suite("Store contract")
struct StoreContractTests {
    typealias F = Fixture

    // MARK: Products

    @Test("Syncing products adds new ones, updates known ones and hides removed ones", arguments: StoreKind.allCases)
    func syncProducts(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.loop, F.stream])
        #expect(try await store.products().map(\.slug) == ["loop", "stream"])

        var renamed = F.loop
        renamed.name = "Cegid Loop 2"
        renamed.monitoredSince = Paris.at(2026, 11, 20)
        let pulse = Product(slug: "pulse", name: "Cegid Pulse", family: "HR", position: 5, monitoredSince: Paris.at(2026, 11, 20))
        try await store.syncProducts([renamed, pulse])

        let loop = try #require(try await store.product(slug: "loop"))
        #expect(loop.name == "Cegid Loop 2")
        // Its history stays true: monitoring still began on the first sync.
        #expect(loop.monitoredSince == F.loop.monitoredSince)
        #expect(try await store.product(slug: "stream")?.visibility == .hidden)
        #expect(try await store.product(slug: "pulse")?.visibility == .public)
        #expect(try await store.products().map(\.slug) == ["loop", "stream", "pulse"])
        #expect(try await store.product(slug: "nothing") == nil)
    }

    @Test("A hidden product comes back when the config lists it again", arguments: StoreKind.allCases)
    func hiddenProductComesBack(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.loop, F.stream])
        try await store.syncProducts([F.loop])
        try await store.syncProducts([F.loop, F.stream])
        #expect(try await store.product(slug: "stream")?.visibility == .public)
    }

    // MARK: Results and observed days

    @Test("Recorded results mark their day observed: ok instead of no data", arguments: StoreKind.allCases)
    func resultsMarkDaysObserved(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.loop])
        try await store.record([F.result(.up, at: Paris.at(2026, 11, 18, 10)), F.result(.up, at: Paris.at(2026, 11, 18, 10, 1))])

        let history = try await store.history(productSlug: "loop", days: F.lastFiveDays, now: F.now)
        #expect(history.days == F.lastFiveDays)
        #expect(history.states == [.noData, .noData, .ok, .noData, .noData])
        #expect(try await store.dayStates(days: F.lastFiveDays, now: F.now)["loop"] == history.states)
        #expect(try await store.resultCount() == 2)
        let stored = try await store.results(checkID: "loop/http", since: Paris.at(2026, 11, 18))
        #expect(stored.map(\.time) == [Paris.at(2026, 11, 18, 10), Paris.at(2026, 11, 18, 10, 1)])
        #expect(stored.first?.outcome == .up)
    }

    @Test("A failed probe is stored with its reason", arguments: StoreKind.allCases)
    func failedResultKeepsItsReason(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.loop])
        try await store.record([F.result(.down, at: Paris.at(2026, 11, 18, 10))])
        let stored = try await store.results(checkID: "loop/http", since: Paris.at(2026, 11, 1))
        #expect(stored == [F.result(.down, at: Paris.at(2026, 11, 18, 10))])
    }

    @Test("Days before a product existed, and days to come, show no data", arguments: StoreKind.allCases)
    func noDataBeforeTheProductExisted(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        var manual = F.manual
        manual.monitoredSince = Paris.at(2026, 11, 19, 8)
        try await store.syncProducts([manual])
        let days = Paris.calendar.days(endingWith: Paris.day(2026, 11, 21), count: 6)
        let history = try await store.history(productSlug: "manual", days: days, now: F.now)
        #expect(history.states == [.noData, .noData, .noData, .ok, .ok, .noData])
    }

    @Test("An unknown product has no data and no uptime", arguments: StoreKind.allCases)
    func unknownProduct(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        let history = try await store.history(productSlug: "ghost", days: F.lastFiveDays, now: F.now)
        #expect(history.states == Array(repeating: .noData, count: 5))
        #expect(history.uptime == nil)
        #expect(history.condition == .operational)
    }

    // MARK: Probe episodes

    @Test("An open probe episode shows an incident today and an outage now; closing it keeps the day red", arguments: StoreKind.allCases)
    func openAndCloseProbeEpisode(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.loop, F.stream])
        try await store.record([F.result(.down, at: Paris.at(2026, 11, 20, 10))])
        let down = episode(.outage, .probe, from: Paris.at(2026, 11, 20, 10), to: nil)
        try await store.openEpisode(down)
        // Opening it twice changes nothing.
        try await store.openEpisode(down)

        let during = try await store.history(productSlug: "loop", days: F.lastFiveDays, now: F.now)
        #expect(during.states.last == .incident)
        #expect(during.condition == .outage)
        #expect(try await store.conditions(now: F.now) == ["loop": .outage, "stream": .operational])
        #expect(try await store.episodes(productSlug: "loop", overlapping: Paris.interval(of: F.today)).count == 1)

        try await store.closeEpisode(productSlug: "loop", cause: .probe, source: "loop/http", at: Paris.at(2026, 11, 20, 11))
        let tomorrowNoon = Paris.at(2026, 11, 21, 12)
        let after = try await store.history(productSlug: "loop", days: Paris.calendar.days(endingWith: Paris.day(2026, 11, 21), count: 2), now: tomorrowNoon)
        #expect(after.states == [.incident, .noData])
        #expect(after.condition == .operational)
        #expect(try await store.conditions(now: tomorrowNoon)["loop"] == .operational)
        let stored = try await store.episodes(productSlug: "loop", overlapping: Paris.interval(of: F.today))
        #expect(stored.map(\.end) == [Paris.at(2026, 11, 20, 11)])
    }

    @Test("An open episode from yesterday colours every day up to today", arguments: StoreKind.allCases)
    func openEpisodeAcrossDays(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.manual])
        try await store.openEpisode(episode(.degraded, .probe, from: Paris.at(2026, 11, 18, 22), to: nil, product: "manual", source: "manual/http"))
        let history = try await store.history(productSlug: "manual", days: F.lastFiveDays, now: F.now)
        #expect(history.states == [.ok, .ok, .degraded, .degraded, .degraded])
        #expect(history.condition == .degraded)
    }

    // MARK: Incidents

    @Test("A minor incident paints its days degraded; impact none changes nothing", arguments: StoreKind.allCases)
    func incidentImpact(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        var other = F.manual
        other.slug = "other"
        try await store.syncProducts([F.manual, other])
        try await store.save(Incident(id: "INC1", title: "Slow exports", impact: .minor, productSlugs: ["manual"],
                                      startedAt: Paris.at(2026, 11, 17, 22), resolvedAt: Paris.at(2026, 11, 18, 2)))
        try await store.save(Incident(id: "INC2", title: "Cosmetic glitch", impact: .none, productSlugs: ["other"],
                                      startedAt: Paris.at(2026, 11, 17, 10), resolvedAt: Paris.at(2026, 11, 18, 10)))

        let states = try await store.dayStates(days: F.lastFiveDays, now: F.now)
        #expect(states["manual"] == [.ok, .degraded, .degraded, .ok, .ok])
        #expect(states["other"] == [.ok, .ok, .ok, .ok, .ok])
        #expect(try await store.incident(id: "INC2")?.impact == Incident.Impact.none)
    }

    @Test("An incident reads back as it was saved", arguments: StoreKind.allCases)
    func incidentRoundTrip(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.loop, F.stream])
        let incident = Incident(
            id: "INC1", title: "Logins fail", impact: .critical, productSlugs: ["loop", "stream"],
            startedAt: Paris.at(2026, 11, 18, 9), resolvedAt: Paris.at(2026, 11, 18, 10),
            updates: [
                Incident.Update(status: .investigating, message: "We are looking", at: Paris.at(2026, 11, 18, 9, 5)),
                Incident.Update(status: .resolved, message: "Fixed", at: Paris.at(2026, 11, 18, 10)),
            ]
        )
        try await store.save(incident)
        #expect(try await store.incident(id: "INC1") == incident)
        #expect(try await store.incident(id: "INC9") == nil)
    }

    @Test("Moving an incident to other products clears the days of the old one", arguments: StoreKind.allCases)
    func incidentMovedToOtherProducts(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        var manualStream = F.manual
        manualStream.slug = "manual-stream"
        try await store.syncProducts([F.manual, manualStream])
        var incident = Incident(id: "INC1", title: "Outage", impact: .major, productSlugs: ["manual"],
                                startedAt: Paris.at(2026, 11, 18, 10), resolvedAt: Paris.at(2026, 11, 18, 11))
        try await store.save(incident)
        #expect(try await store.dayStates(days: F.lastFiveDays, now: F.now)["manual"]?[2] == .incident)

        incident.productSlugs = ["manual-stream"]
        try await store.save(incident)
        let states = try await store.dayStates(days: F.lastFiveDays, now: F.now)
        #expect(states["manual"] == [.ok, .ok, .ok, .ok, .ok])
        #expect(states["manual-stream"] == [.ok, .ok, .incident, .ok, .ok])
        #expect(try await store.closedIncidents(productSlug: "manual", limit: 10).isEmpty)
    }

    @Test("Moving an incident to other days clears the old days", arguments: StoreKind.allCases)
    func incidentMovedToOtherDays(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.manual])
        var incident = Incident(id: "INC1", title: "Outage", impact: .major, productSlugs: ["manual"],
                                startedAt: Paris.at(2026, 11, 17, 10), resolvedAt: Paris.at(2026, 11, 17, 11))
        try await store.save(incident)
        incident.startedAt = Paris.at(2026, 11, 19, 10)
        incident.resolvedAt = Paris.at(2026, 11, 19, 11)
        try await store.save(incident)
        #expect(try await store.dayStates(days: F.lastFiveDays, now: F.now)["manual"] == [.ok, .ok, .ok, .incident, .ok])
    }

    @Test("Closed incidents come latest first, with their timeline", arguments: StoreKind.allCases)
    func closedIncidentsLatestFirst(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.loop, F.stream])
        let older = Incident(id: "INC1", title: "Old outage", impact: .major, productSlugs: ["loop"],
                             startedAt: Paris.at(2026, 11, 10, 9), resolvedAt: Paris.at(2026, 11, 10, 10))
        let newer = Incident(
            id: "INC2", title: "New outage", impact: .minor, productSlugs: ["loop", "stream"],
            startedAt: Paris.at(2026, 11, 15, 9), resolvedAt: Paris.at(2026, 11, 15, 10),
            updates: [
                Incident.Update(status: .resolved, message: "Back to normal", at: Paris.at(2026, 11, 15, 10)),
                Incident.Update(status: .investigating, message: "Exports are slow", at: Paris.at(2026, 11, 15, 9, 5)),
                Incident.Update(status: .identified, message: "A full disk", at: Paris.at(2026, 11, 15, 9, 30)),
            ]
        )
        let ongoing = Incident(id: "INC3", title: "Still going", impact: .major, productSlugs: ["loop"], startedAt: Paris.at(2026, 11, 20, 9))
        let elsewhere = Incident(id: "INC4", title: "Other product", impact: .major, productSlugs: ["stream"],
                                 startedAt: Paris.at(2026, 11, 16, 9), resolvedAt: Paris.at(2026, 11, 16, 10))
        for incident in [older, newer, ongoing, elsewhere] { try await store.save(incident) }

        let closed = try await store.closedIncidents(productSlug: "loop", limit: 10)
        #expect(closed.map(\.id) == ["INC2", "INC1"])
        #expect(closed.first?.updates.map(\.status) == [.investigating, .identified, .resolved])
        #expect(closed.first?.productSlugs == ["loop", "stream"])
        #expect(try await store.closedIncidents(productSlug: "loop", limit: 1).map(\.id) == ["INC2"])
    }

    // MARK: Maintenance

    @Test("A probe failure inside a maintenance window shows as maintenance", arguments: StoreKind.allCases)
    func maintenanceMasksProbeEpisode(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.loop])
        try await store.record([F.result(.down, at: Paris.at(2026, 11, 18, 2, 30))])
        let window = Maintenance(id: "m1", title: "Database upgrade", productSlugs: ["loop"],
                                 start: Paris.at(2026, 11, 18, 2), end: Paris.at(2026, 11, 18, 4))
        try await store.save(window)
        try await store.openEpisode(episode(.outage, .probe, from: Paris.at(2026, 11, 18, 2, 30), to: nil))
        #expect(try await store.conditions(now: Paris.at(2026, 11, 18, 2, 45))["loop"] == .maintenance)
        try await store.closeEpisode(productSlug: "loop", cause: .probe, source: "loop/http", at: Paris.at(2026, 11, 18, 3))

        let history = try await store.history(productSlug: "loop", days: F.lastFiveDays, now: F.now)
        #expect(history.states[2] == .maintenance)
        #expect(try await store.maintenances(overlapping: Paris.interval(of: Paris.day(2026, 11, 18))) == [window])
        #expect(try await store.maintenances(overlapping: Paris.interval(of: Paris.day(2026, 11, 19))).isEmpty)
    }

    @Test("A probe failure saved before its maintenance window is masked too", arguments: StoreKind.allCases)
    func maintenanceSavedAfterTheEpisode(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.manual])
        try await store.openEpisode(episode(.outage, .probe, from: Paris.at(2026, 11, 18, 2, 30), to: Paris.at(2026, 11, 18, 3), product: "manual"))
        #expect(try await store.dayStates(days: F.lastFiveDays, now: F.now)["manual"]?[2] == .incident)
        try await store.save(Maintenance(id: "m1", title: "Upgrade", productSlugs: ["manual"],
                                         start: Paris.at(2026, 11, 18, 2), end: Paris.at(2026, 11, 18, 4)))
        #expect(try await store.dayStates(days: F.lastFiveDays, now: F.now)["manual"]?[2] == .maintenance)
    }

    // MARK: Version and pruning

    @Test("The state version moves on every change a page could show", arguments: StoreKind.allCases)
    func stateVersionMoves(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        let initial = try await store.stateVersion()
        try await store.syncProducts([F.loop])
        let afterSync = try await store.stateVersion()
        #expect(afterSync > initial)
        try await store.record([F.result(.up, at: Paris.at(2026, 11, 18, 10))])
        let afterRecord = try await store.stateVersion()
        #expect(afterRecord > afterSync)
        try await store.openEpisode(episode(.outage, .probe, from: Paris.at(2026, 11, 18, 11), to: nil))
        let afterOpen = try await store.stateVersion()
        #expect(afterOpen > afterRecord)
        try await store.closeEpisode(productSlug: "loop", cause: .probe, source: "loop/http", at: Paris.at(2026, 11, 18, 12))
        let afterClose = try await store.stateVersion()
        #expect(afterClose > afterOpen)
        try await store.save(Maintenance(id: "m1", title: "Upgrade", productSlugs: ["loop"], start: Paris.at(2026, 11, 19, 2), end: Paris.at(2026, 11, 19, 3)))
        #expect(try await store.stateVersion() > afterClose)
    }

    @Test("Pruning results deletes only the older ones", arguments: StoreKind.allCases)
    func pruneResults(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.loop])
        try await store.record([
            F.result(.up, at: Paris.at(2026, 11, 10, 10)),
            F.result(.up, at: Paris.at(2026, 11, 12, 10)),
            F.result(.up, at: Paris.at(2026, 11, 19, 10)),
        ])
        #expect(try await store.pruneResults(before: Paris.at(2026, 11, 13)) == 2)
        #expect(try await store.resultCount() == 1)
        #expect(try await store.results(checkID: "loop/http", since: .distantPast).map(\.time) == [Paris.at(2026, 11, 19, 10)])
        // The days those results marked observed keep their state.
        let states = try await store.dayStates(days: Paris.calendar.days(endingWith: F.today, count: 11), now: F.now)
        #expect(states["loop"]?.first == .ok)
    }

    @Test("Pruning history drops old day rollups and old closed episodes", arguments: StoreKind.allCases)
    func pruneHistory(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.loop])
        try await store.record([F.result(.up, at: Paris.at(2026, 11, 10, 10)), F.result(.up, at: Paris.at(2026, 11, 19, 10))])
        try await store.openEpisode(episode(.outage, .probe, from: Paris.at(2026, 11, 10, 11), to: Paris.at(2026, 11, 10, 12)))
        try await store.openEpisode(episode(.outage, .probe, from: Paris.at(2026, 11, 19, 11), to: Paris.at(2026, 11, 19, 12), source: "loop/api"))
        let oldDay = Paris.day(2026, 11, 10), recentDay = Paris.day(2026, 11, 19)
        #expect(try await store.dayStates(days: [oldDay, recentDay], now: F.now)["loop"] == [.incident, .incident])

        let removed = try await store.pruneHistory(before: Paris.day(2026, 11, 15))
        #expect(removed >= 2)
        #expect(try await store.dayStates(days: [oldDay, recentDay], now: F.now)["loop"] == [.noData, .incident])
        #expect(try await store.episodes(productSlug: "loop", overlapping: Paris.interval(of: oldDay)).isEmpty)
        #expect(try await store.episodes(productSlug: "loop", overlapping: Paris.interval(of: recentDay)).count == 1)
    }

    // MARK: History

    @Test("History gives the states oldest first and the uptime, maintenance left out", arguments: StoreKind.allCases)
    func historyAndUptime(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.manual])
        try await store.save(Maintenance(id: "m1", title: "Upgrade", productSlugs: ["manual"],
                                         start: Paris.at(2026, 11, 19, 0), end: Paris.at(2026, 11, 19, 1)))
        // 2 h 18 min = 8280 s of outage.
        try await store.save(Incident(id: "INC1", title: "Outage", impact: .major, productSlugs: ["manual"],
                                      startedAt: Paris.at(2026, 11, 19, 2), resolvedAt: Paris.at(2026, 11, 19, 4, 18)))
        try await store.save(Incident(id: "INC2", title: "Slow", impact: .minor, productSlugs: ["manual"],
                                      startedAt: Paris.at(2026, 11, 17, 2), resolvedAt: Paris.at(2026, 11, 17, 3)))

        let oneDay = try await store.history(productSlug: "manual", days: [Paris.day(2026, 11, 19)], now: F.now)
        #expect(oneDay.states == [.multiple])
        #expect(isClose(oneDay.uptime, to: 0.9))

        let history = try await store.history(productSlug: "manual", days: F.lastFiveDays, now: F.now)
        #expect(history.days.map(\.description) == ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"])
        #expect(history.states == [.ok, .degraded, .ok, .multiple, .ok])
        // Three whole days, the 19th less its hour of maintenance, and today up to noon.
        let observed = 3 * 86400.0 + 82800 + 43200
        #expect(isClose(history.uptime, to: 1 - 8280 / observed))
        #expect(history.condition == .operational)
    }

    @Test("Nothing observed in the window: no uptime", arguments: StoreKind.allCases)
    func noUptimeWithoutObservation(kind: StoreKind) async throws {
        let fixture = try kind.makeStore(), store = fixture.store
        try await store.syncProducts([F.loop])
        let history = try await store.history(productSlug: "loop", days: F.lastFiveDays, now: F.now)
        #expect(history.uptime == nil)
        #expect(history.states.allSatisfy { $0 == .noData })
    }
}

/// What only the SQLite file store promises.
@Suite("SQLite database")
struct SQLiteDatabaseTests {
    @Test("A database file runs in WAL mode, so probe workers and pages do not block each other")
    func fileDatabaseUsesWAL() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-wal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try SQLiteDatabase.open(path: directory.appendingPathComponent("nested/statusd.sqlite").path, migrations: [StatusModelMigrations()])
        #expect(try await database.journalMode() == "wal")
        #expect(try await database.integrityCheck() == "ok")
    }

    @Test("Reopening a migrated file keeps its data")
    func reopenKeepsData() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-reopen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("statusd.sqlite").path
        do {
            let store = SQLiteStatusStore(database: try SQLiteDatabase.open(path: path, migrations: [StatusModelMigrations()]), calendar: Paris.calendar)
            try await store.syncProducts([Fixture.loop])
        }
        let store = SQLiteStatusStore(database: try SQLiteDatabase.open(path: path, migrations: [StatusModelMigrations()]), calendar: Paris.calendar)
        #expect(try await store.products().map(\.slug) == ["loop"])
    }
}
