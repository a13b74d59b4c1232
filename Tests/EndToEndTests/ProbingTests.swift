import Foundation
import StatusModel
import TestSupport
import Testing

/// The server probing real targets on loopback: pages follow confirmed outages, and a crash
/// loses no result that was written.
@Suite struct ProbingTests {
    static func config(target: String, checks: Int = 1, interval: String = "300ms") -> String {
        let list = (0..<checks).map { index in
            """
                  - name: home\(index)
                    kind: http
                    target: \(target)
                    interval: \(interval)
                    timeout: 2s
                    retry_interval: 100ms
                    fail_after: 3
                    recover_after: 2
            """
        }.joined(separator: "\n")
        return """
            database: $DATABASE
            products:
              - slug: loop
                name: Cegid Loop
                family: Finance
                checks:
            \(list)
            """
    }

    @Test func targetThatStopsAnsweringShowsAsOutageOnThePagesAndComesBack() async throws {
        let servers = try await FaultServers.start()
        let workspace = try Workspace(config: Self.config(target: servers.url("http")))
        let server = try await RunningServer.start(configPath: workspace.configPath, stderrPath: workspace.folder.appendingPathComponent("stderr.log").path)
        let today = DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!).day(containing: Date()).description
        func page(_ path: String) async throws -> String { try await httpGet(server.baseURL + path + "?lang=fr").body }

        #expect(try await eventually { try await page("/").contains("data-state=\"ok\" data-date=\"\(today)\"") })
        #expect(try await page("/products/loop").contains("Aucun système ne signale de problème"))

        try await servers.switchTo("fail")
        #expect(try await eventually { try await page("/products/loop").contains("data-condition=\"outage\"") })
        #expect(try await page("/products/loop").contains("Incident en cours"))
        #expect(try await page("/products/loop").contains("Cause constatée : statut 503, attendu 200-299"))
        #expect(try await page("/").contains("data-state=\"incident\" data-date=\"\(today)\""))

        try await servers.switchTo("ok")
        #expect(try await eventually { try await page("/products/loop").contains("data-condition=\"operational\"") })
        // Today keeps the trace of the outage.
        #expect(try await page("/").contains("data-state=\"incident\" data-date=\"\(today)\""))
        _ = try await server.stopped()
    }

    @Test func killMinus9WhileProbingLosesNoWrittenResult() async throws {
        let servers = try await FaultServers.start()
        let workspace = try Workspace(config: Self.config(target: servers.url("http"), checks: 30, interval: "100ms"))
        let stderr = workspace.folder.appendingPathComponent("stderr.log").path
        let server = try await RunningServer.start(configPath: workspace.configPath, stderrPath: stderr)
        let calendar = DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!)
        let reader = SQLiteStatusStore(database: try SQLiteDatabase.open(path: workspace.databasePath, migrations: [StatusModelMigrations()]),
                                       calendar: calendar)
        #expect(try await eventually { try await reader.resultCount() >= 300 })
        let writtenBeforeKill = try await reader.resultCount()
        _ = try await server.stopped(signal: SIGKILL)

        let restarted = try await RunningServer.start(configPath: workspace.configPath, stderrPath: stderr)
        #expect(try await httpGet(restarted.baseURL + "/healthz").status == 200)
        _ = try await restarted.stopped()
        let reopened = try SQLiteDatabase.open(path: workspace.databasePath, migrations: [StatusModelMigrations()])
        #expect(try await reopened.integrityCheck() == "ok")
        let store = SQLiteStatusStore(database: reopened, calendar: calendar)
        #expect(try await store.resultCount() >= writtenBeforeKill)
    }

    @Test func heartbeatKeepsAPushCheckUpAndAnUnknownTokenIs404() async throws {
        let workspace = try Workspace(config: """
            database: $DATABASE
            products:
              - slug: batch
                name: Batch nocturne
                checks:
                  - kind: push
                    token: abcdefghijklmnop1234
                    interval: 1s
                    grace: 1s
                    fail_after: 1
            """)
        let server = try await RunningServer.start(configPath: workspace.configPath, stderrPath: workspace.folder.appendingPathComponent("stderr.log").path)
        #expect(try await httpPost(server.baseURL + "/api/v1/push/abcdefghijklmnop1234").status == 200)
        let unknown = try await httpPost(server.baseURL + "/api/v1/push/nope")
        #expect(unknown.status == 404)
        #expect(unknown.body.contains("\"error\""))
        // Silence past interval + grace: the product goes down.
        #expect(try await eventually { try await httpGet(server.baseURL + "/products/batch").body.contains("data-condition=\"outage\"") })
        _ = try await server.stopped()
    }

    @Test func metricsAreExposedForPrometheus() async throws {
        let servers = try await FaultServers.start()
        let workspace = try Workspace(config: Self.config(target: servers.url("http")))
        let server = try await RunningServer.start(configPath: workspace.configPath, stderrPath: workspace.folder.appendingPathComponent("stderr.log").path)
        #expect(try await eventually { try await httpGet(server.baseURL + "/metrics").body.contains("statusd_checks_total{product=\"loop\",outcome=\"up\"}") })
        let text = try await httpGet(server.baseURL + "/metrics").body
        #expect(text.contains("statusd_check_duration_seconds_bucket"))
        #expect(text.contains("statusd_scheduler_lag_seconds"))
        #expect(text.contains("statusd_product_condition{product=\"loop\"} 0"))
        _ = try await server.stopped()
    }
}

/// Workers of other regions, each its own `statusd probe` process, sharing the server's database.
@Suite struct RegionWorkerTests {
    @Test func twoRegionWorkersAgreeOnAnOutage() async throws {
        let servers = try await FaultServers.start()
        let workspace = try Workspace(config: """
            database: $DATABASE
            products:
              - slug: loop
                name: Cegid Loop
                checks:
                  - kind: tcp
                    target: 127.0.0.1:\(servers.port("refused"))
                    interval: 200ms
                    fail_after: 2
                    regions: [eu, us]
                    quorum: 2
            """)
        let server = try await RunningServer.start(configPath: workspace.configPath, stderrPath: workspace.folder.appendingPathComponent("stderr.log").path)
        let eu = try StatusdBinary.launch(["probe", "--region", "eu", "--config", workspace.configPath])
        defer { eu.terminate() }
        // One region of two sees it down: below the quorum, degraded.
        #expect(try await eventually { try await httpGet(server.baseURL + "/products/loop").body.contains("data-condition=\"degraded\"") })
        let us = try StatusdBinary.launch(["probe", "--region", "us", "--config", workspace.configPath])
        defer { us.terminate() }
        #expect(try await eventually { try await httpGet(server.baseURL + "/products/loop").body.contains("data-condition=\"outage\"") })
        for worker in [eu, us] {
            kill(worker.processIdentifier, SIGTERM)
            try await offloaded { worker.waitUntilExit() }
            #expect(worker.terminationStatus == 0)
        }
        _ = try await server.stopped()
    }
}
