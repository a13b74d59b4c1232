import Foundation
import StatusModel
import Testing

@Suite struct ShutdownTests {
    static let config = """
        database: $DATABASE
        products:
          - slug: loop
            name: Cegid Loop
            checks:
              - kind: http
                target: http://127.0.0.1:9/
        """

    @Test func sigtermStopsTheServerQuicklyAndLosesNoResult() async throws {
        let workspace = try Workspace(config: Self.config)
        let server = try await RunningServer.start(configPath: workspace.configPath, stderrPath: workspace.folder.appendingPathComponent("stderr.log").path)
        #expect(try await httpGet(server.baseURL + "/").status == 200)

        // Another writer of the same file, as a probe worker in its own process would be.
        let database = try SQLiteDatabase.open(path: workspace.databasePath, migrations: [StatusModelMigrations()])
        let store = SQLiteStatusStore(database: database, calendar: DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!))
        let now = Date()
        let results = (0..<500).map {
            CheckResult(checkID: "loop/written-by-test", productSlug: "loop", time: now.addingTimeInterval(Double(-$0)), outcome: .up, durationMilliseconds: 3)
        }
        try await store.record(results)
        #expect(try await httpGet(server.baseURL + "/products/loop").status == 200)

        let took = try await server.stopped(signal: SIGTERM, limit: 10)
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0)
        #expect(took < 10)

        let reopened = try SQLiteDatabase.open(path: workspace.databasePath, migrations: [StatusModelMigrations()])
        #expect(try await reopened.integrityCheck() == "ok")
        #expect(try await reopened.journalMode() == "wal")
        let reread = SQLiteStatusStore(database: reopened, calendar: DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!))
        // The embedded worker may have added its own results: count the test's.
        #expect(try await reread.results(checkID: "loop/written-by-test", since: .distantPast).count == 500)
    }

    @Test func sigintStopsTheServerToo() async throws {
        let workspace = try Workspace(config: Self.config)
        let server = try await RunningServer.start(configPath: workspace.configPath, stderrPath: workspace.folder.appendingPathComponent("stderr.log").path)
        _ = try await server.stopped(signal: SIGINT, limit: 10)
        #expect(server.process.terminationStatus == 0)
    }
}
