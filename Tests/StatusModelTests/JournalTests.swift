import Foundation
import StatusModel
import Testing

/// What subscribers hear about: the journal a store writes with each incident and window.
@Suite struct JournalTests {
    let now = Fixture.now

    func incident(_ updates: [Incident.Status], origin: Incident.Origin = .operator) -> Incident {
        var incident = Incident(id: "i1", title: "Lenteurs", impact: .major, productSlugs: ["loop"], startedAt: now, origin: origin)
        for (index, status) in updates.enumerated() {
            incident.post(.init(status: status, message: "étape \(index)", at: now.addingTimeInterval(Double(index) * 60)))
        }
        return incident
    }

    @Test func aNewIncidentIsAnnouncedOnceThenEachStepAdded() {
        #expect(IncidentJournal.events(from: nil, to: incident([.investigating])).map(\.kind) == [.incidentCreated])
        let later = IncidentJournal.events(from: incident([.investigating]), to: incident([.investigating, .identified, .resolved]))
        #expect(later.map(\.kind) == [.incidentUpdated, .incidentResolved])
        #expect(later.map(\.message) == ["étape 1", "étape 2"])
    }

    @Test func anEditThatAddsNoStepAnnouncesNothing() {
        var renamed = incident([.investigating])
        renamed.title = "Lenteurs sur Loop"
        #expect(IncidentJournal.events(from: incident([.investigating]), to: renamed).isEmpty)
    }

    @Test func probesAnnounceOutageAndRecovery() {
        let kinds = IncidentJournal.events(from: nil, to: incident([.investigating], origin: .probes)).map(\.kind)
            + IncidentJournal.events(from: incident([.investigating], origin: .probes), to: incident([.investigating, .resolved], origin: .probes)).map(\.kind)
        #expect(kinds == [.outageConfirmed, .recoveryConfirmed])
    }

    @Test func postingResolvesAndReopens() {
        var value = incident([.investigating, .resolved])
        #expect(value.isResolved && value.status == .resolved)
        value.post(.init(status: .monitoring, message: "ça recommence", at: now.addingTimeInterval(600)))
        #expect(!value.isResolved)
    }

    @Test(arguments: StoreKind.allCases)
    func theStoreJournalsEachStepInOrder(kind: StoreKind) async throws {
        let test = try kind.makeStore()
        let store = test.store
        try await store.syncProducts([Fixture.loop, Fixture.stream])
        var value = incident([.investigating])
        try await store.save(value)
        value.post(.init(status: .resolved, message: "fini", at: now.addingTimeInterval(300)))
        try await store.save(value)
        try await store.save(value)
        let events = try await store.events(after: 0, limit: 10)
        #expect(events.map(\.kind) == [.incidentCreated, .incidentResolved])
        #expect(events.map(\.productSlugs) == [["loop"], ["loop"]])
        #expect(try await store.events(after: events[0].id, limit: 10).map(\.kind) == [.incidentResolved])
        #expect(try await store.lastEventID() == events[1].id)
    }

    @Test(arguments: StoreKind.allCases)
    func windowsAreAnnouncedScheduledStartedAndCompletedOnce(kind: StoreKind) async throws {
        let test = try kind.makeStore()
        let store = test.store
        try await store.syncProducts([Fixture.loop])
        // Whole seconds: the store keeps times as seconds since 1970.
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 3600).rounded())
        try await store.save(Maintenance(id: "m1", title: "Migration", productSlugs: ["loop"], start: start, end: start.addingTimeInterval(3600)))
        #expect(try await store.recordMaintenanceTransitions(now: start.addingTimeInterval(-1)) == 0)
        #expect(try await store.recordMaintenanceTransitions(now: start.addingTimeInterval(10)) == 1)
        #expect(try await store.recordMaintenanceTransitions(now: start.addingTimeInterval(20)) == 0, "once, whoever looks")
        #expect(try await store.recordMaintenanceTransitions(now: start.addingTimeInterval(3700)) == 1)
        let events = try await store.events(after: 0, limit: 10)
        #expect(events.map(\.kind) == [.maintenanceScheduled, .maintenanceStarted, .maintenanceCompleted])
        #expect(events[1].windowStart == start)
    }

    @Test(arguments: StoreKind.allCases)
    func aWeeklyWindowSchedulesTheNextOneAtTheSameLocalTime(kind: StoreKind) async throws {
        let test = try kind.makeStore()
        let store = test.store
        try await store.syncProducts([Fixture.loop])
        // Saturday 24 October 2026, 22:00 in Paris; the clocks go back that night.
        let start = Paris.at(2026, 10, 24, 22)
        try await store.save(Maintenance(id: "w1", title: "Sauvegardes", productSlugs: ["loop"], start: start,
                                         end: start.addingTimeInterval(3600), repeatsWeekly: true))
        try await store.recordMaintenanceTransitions(now: start.addingTimeInterval(3601))
        try await store.recordMaintenanceTransitions(now: start.addingTimeInterval(3700))
        let windows = try await store.maintenances(overlapping: DateInterval(start: start, end: start.addingTimeInterval(30 * 86_400)))
        #expect(windows.count == 2, "one next window, however often the store is asked")
        let next = try #require(windows.first { $0.id != "w1" })
        #expect(next.start == Paris.at(2026, 10, 31, 22))
        #expect(next.repeatsWeekly)
        #expect(windows.first { $0.id == "w1" }?.repeatsWeekly == false)
    }

    @Test(arguments: StoreKind.allCases)
    func probesOpenOneIncidentPerOutageAndResolveIt(kind: StoreKind) async throws {
        let test = try kind.makeStore()
        let store = test.store
        try await store.syncProducts([Fixture.loop])
        // Two regions confirm the same outage: one incident.
        try await store.openProbeIncident(productSlug: "loop", title: "Cegid Loop : connexion refusée", message: "panne", reason: "refused", at: now)
        try await store.openProbeIncident(productSlug: "loop", title: "Cegid Loop : connexion refusée", message: "panne", reason: "refused", at: now.addingTimeInterval(5))
        #expect(try await store.unresolvedIncidents().count == 1)
        #expect(try await store.conditions(now: now.addingTimeInterval(10))["loop"] == .outage)
        try await store.resolveProbeIncident(productSlug: "loop", message: "rétabli", at: now.addingTimeInterval(600))
        #expect(try await store.unresolvedIncidents().isEmpty)
        let closed = try await store.closedIncidents(productSlug: "loop", limit: 5)
        #expect(closed.first?.updates.map(\.message) == ["panne", "rétabli"])
    }

    @Test(arguments: StoreKind.allCases)
    func consoleProductsAreKeptBySyncAndConfigProductsAreNotEditable(kind: StoreKind) async throws {
        let test = try kind.makeStore()
        let store = test.store
        try await store.syncProducts([Fixture.loop])
        try await store.saveConsoleProduct(Product(slug: "portal", name: "Portail", family: "Services", position: 5, monitoredSince: now,
                                                   hasChecks: false, origin: .console))
        await #expect(throws: StoreError.notEditable) {
            try await store.saveConsoleProduct(Product(slug: "loop", name: "X", family: "", position: 0, monitoredSince: now, origin: .console))
        }
        try await store.syncProducts([Fixture.loop, Fixture.stream])
        let portal = try await store.product(slug: "portal")
        #expect(portal?.visibility == .public && portal?.origin == .console, "a restart with the config keeps console products")
        #expect(try await store.product(slug: "loop")?.name == "Cegid Loop")
    }
}

extension JournalTests {
    @Test(arguments: StoreKind.allCases)
    func aWeeklySeriesSkipsTheWeeksAServerDownMissed(kind: StoreKind) async throws {
        let test = try kind.makeStore()
        let store = test.store
        try await store.syncProducts([Fixture.loop])
        let start = Paris.at(2026, 11, 7, 22)
        try await store.save(Maintenance(id: "w1", title: "Sauvegardes", productSlugs: ["loop"], start: start,
                                         end: start.addingTimeInterval(3600), repeatsWeekly: true))
        // Down for ten days: the next window is the first one still to come, not one in the past.
        try await store.recordMaintenanceTransitions(now: Paris.at(2026, 11, 18, 12))
        let windows = try await store.maintenances(overlapping: DateInterval(start: start, end: start.addingTimeInterval(60 * 86_400)))
        #expect(windows.map(\.start) == [start, Paris.at(2026, 11, 21, 22)])
        #expect(windows.filter(\.repeatsWeekly).count == 1)
    }
}
