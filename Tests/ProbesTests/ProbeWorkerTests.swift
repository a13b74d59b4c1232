import Curl
import Foundation
import Logging
import Probes
import StatusModel
import TestSupport
import Synchronization
import Testing

/// The worker against a real HTTP server whose answers the test switches, on a SQLite file.
@Suite(.serialized) struct ProbeWorkerTests {
    let calendar = DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!)

    func store() throws -> (SQLiteStatusStore, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-worker-\(UUID().uuidString)")
        let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("db.sqlite").path, migrations: [StatusModelMigrations()])
        return (SQLiteStatusStore(database: database, calendar: calendar), folder)
    }

    func check(_ target: String, regions: [String] = ["default"]) -> Check {
        var check = Check(productSlug: "loop", name: "home", kind: .http, target: target, interval: .milliseconds(200),
                          timeout: .seconds(2), failAfter: 3, recoverAfter: 2, regions: regions)
        check.retryInterval = .milliseconds(100)
        return check
    }

    func start(_ store: SQLiteStatusStore, _ checks: [Check], region: String = "default",
               observer: ProbeObserver = ProbeObserver()) async throws -> Task<Void, any Error> {
        try await store.syncProducts([Product(slug: "loop", name: "Cegid Loop", family: "", position: 1,
                                              monitoredSince: Date().addingTimeInterval(-86_400))])
        let worker = ProbeWorker(checks: checks, productNames: ["loop": "Cegid Loop"], store: store, region: region,
                                 curl: CurlMulti(), observer: observer, logger: Logger(label: "test"))
        return Task { try await worker.run() }
    }

    func condition(_ store: SQLiteStatusStore) async throws -> Condition {
        try await store.conditions(now: Date())["loop"] ?? .operational
    }

    @Test func targetThatStopsAnsweringTurnsToOutageAfterConfirmationAndBackAfterRecovery() async throws {
        let servers = try await FaultServers.start()
        let (store, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let worker = try await start(store, [check(servers.url("http"))])
        defer { worker.cancel() }

        #expect(try await eventually { try await store.resultCount() >= 3 })
        #expect(try await condition(store) == .operational)

        try await servers.switchTo("fail")
        #expect(try await eventually { try await condition(store) == .outage })
        let today = calendar.day(containing: Date())
        #expect(try await store.dayStates(days: [today], now: Date())["loop"] == [.incident])
        // Results arrive in batches, within a second.
        #expect(try await eventually { try await store.results(checkID: "loop/home", since: .distantPast).filter { $0.outcome == .down }.count >= 3 })
        let failures = try await store.results(checkID: "loop/home", since: .distantPast).filter { $0.outcome == .down }
        #expect(failures.first?.reason.map { ProbeFailure(code: $0).sentence("fr") } == "statut 503, attendu 200-299")

        try await servers.switchTo("ok")
        #expect(try await eventually { try await condition(store) == .operational })
        let episodes = try await store.episodes(productSlug: "loop", overlapping: DateInterval(start: .distantPast, end: .distantFuture))
            .filter { $0.cause == .probe }
        #expect(episodes.count == 1)
        #expect(episodes.first?.end != nil)
        // The episode starts at the first failure, not at its confirmation.
        #expect(episodes.first?.start == failures.first?.time)

        // The confirmed outage opened an incident titled with the reason, and the recovery resolved it.
        let incidents = try await store.recentIncidents(limit: 10)
        #expect(incidents.count == 1)
        let incident = try #require(incidents.first)
        #expect(incident.origin == .probes && incident.productSlugs == ["loop"])
        #expect(incident.title == "Cegid Loop : statut 503, attendu 200-299")
        #expect(incident.updates.map(\.status) == [.investigating, .resolved])
        #expect(incident.startedAt == failures.first?.time)
        let kinds = try await store.events(after: 0, limit: 10).map(\.kind)
        #expect(kinds == [.outageConfirmed, .recoveryConfirmed])
    }

    @Test func aSingleFailureOpensNoEpisode() async throws {
        let servers = try await FaultServers.start()
        let (store, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let worker = try await start(store, [check(servers.url("http"))])
        defer { worker.cancel() }
        #expect(try await eventually { try await store.resultCount() >= 2 })
        try await servers.switchTo("fail-once")
        #expect(try await eventually { try await store.results(checkID: "loop/home", since: .distantPast).contains { $0.outcome == .down } })
        let countAfterFailure = try await store.resultCount()
        #expect(try await eventually { try await store.resultCount() >= countAfterFailure + 5 })
        let episodes = try await store.episodes(productSlug: "loop", overlapping: DateInterval(start: .distantPast, end: .distantFuture))
        #expect(episodes.isEmpty)
        #expect(try await condition(store) == .operational)
    }

    @Test func downInFewerRegionsThanTheQuorumIsDegraded() async throws {
        let servers = try await FaultServers.start()
        let (store, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Region "a" probes a refused port, region "b" the healthy server: one region of two down.
        var inA = check("http://127.0.0.1:\(servers.port("refused"))/", regions: ["a", "b"])
        inA.quorum = 2
        var inB = inA
        inB.target = servers.url("http")
        let workerA = try await start(store, [inA], region: "a")
        let workerB = try await start(store, [inB], region: "b")
        defer { workerA.cancel(); workerB.cancel() }
        #expect(try await eventually { try await condition(store) == .degraded })
        #expect(try await store.regionStates(checkID: inA.id).map(\.region) == ["a"])
    }

    @Test func stoppingWritesEveryResult() async throws {
        let servers = try await FaultServers.start()
        let (store, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let checks = (0..<20).map { index -> Check in
            var check = check(servers.url("http"))
            check.name = "home\(index)"
            check.id = "loop/home\(index)"
            return check
        }
        let seen = Mutex(0)
        let worker = try await start(store, checks, observer: ProbeObserver(result: { _ in seen.withLock { $0 += 1 } }))
        #expect(try await eventually { seen.withLock { $0 } > 40 })
        worker.cancel()
        try await worker.value
        // Every result the worker took in is in the database when it returns.
        #expect(try await store.resultCount() == seen.withLock { $0 })
    }
}
