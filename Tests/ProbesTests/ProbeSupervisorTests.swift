import Curl
import Foundation
import Logging
import Probes
import StatusModel
import TestSupport
import Testing

/// Checks made in the console start running without a restart of statusd, and stop when deleted.
@Suite(.serialized) struct ProbeSupervisorTests {
    @Test func aCheckAddedInTheConsoleIsProbedAndStopsWhenDeleted() async throws {
        let servers = try await FaultServers.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-supervisor-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("db.sqlite").path, migrations: [StatusModelMigrations()])
        let store = SQLiteStatusStore(database: database, calendar: DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!))
        try await store.saveConsoleProduct(Product(slug: "portal", name: "Portail", family: "Services", position: 1,
                                                   monitoredSince: Date().addingTimeInterval(-86_400), hasChecks: false, origin: .console))
        let supervisor = ProbeSupervisor(configChecks: [], store: store, region: "default", pollInterval: .milliseconds(100),
                                         logger: Logger(label: "test")) { checks, names in
            ProbeWorker(checks: checks, productNames: names, store: store, region: "default", curl: CurlMulti(),
                        spreadFirstRuns: false, logger: Logger(label: "test"))
        }
        let running = Task { try await supervisor.run() }
        defer { running.cancel() }

        let spec = CheckSpec.yaml([("name", "home"), ("kind", "http"), ("target", servers.url("http")), ("interval", "200ms"), ("timeout", "2s")])
        try await store.saveConsoleCheck(ConsoleCheck(productSlug: "portal", name: "home", spec: spec))
        #expect(try await eventually { try await store.results(checkID: "portal/home", since: .distantPast).count >= 2 })
        #expect(try await store.product(slug: "portal")?.hasChecks == true)

        #expect(try await store.deleteConsoleCheck(productSlug: "portal", name: "home"))
        // Once the worker has restarted without it, no more results come.
        #expect(try await eventually {
            let before = try await store.results(checkID: "portal/home", since: .distantPast).count
            try await Task.sleep(for: .milliseconds(600))
            return try await store.results(checkID: "portal/home", since: .distantPast).count == before
        })
    }

    @Test func theConsoleAcceptsExactlyWhatTheConfigFileAccepts() throws {
        let good = CheckSpec.yaml([("name", "home"), ("kind", "http"), ("target", "https://portal.example.com/health"), ("interval", "30s")])
        let check = try CheckSpec.check(yaml: good, productSlug: "portal")
        #expect(check.id == "portal/home" && check.interval == .seconds(30))
        #expect(throws: ConfigError.self) {
            try CheckSpec.check(yaml: CheckSpec.yaml([("name", "x"), ("kind", "http"), ("target", "file:///etc/passwd")]), productSlug: "portal")
        }
        #expect(throws: ConfigError.self) {
            try CheckSpec.check(yaml: CheckSpec.yaml([("name", "x"), ("kind", "tcp"), ("target", "db:5432"), ("interval", "soon")]), productSlug: "portal")
        }
        // A value cannot smuggle a key of its own.
        let smuggled = CheckSpec.yaml([("name", "x"), ("kind", "http"), ("target", "https://a.example\nca_file: /etc/shadow")])
        #expect(!smuggled.contains("\nca_file"))
        #expect(throws: ConfigError.self) { try CheckSpec.check(yaml: smuggled, productSlug: "portal") }
    }
}
