import Foundation
import StatusModel
import TestSupport
import Testing

/// The grid and a product page in headless Chromium (Debian's chromium and chromium-driver,
/// driven by Debian's python3-selenium), from a database the test fills through the store.
@Suite struct BrowserTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let config = """
        database: $DATABASE
        history_days: 25
        products:
          - slug: loop
            name: Cegid Loop
            family: Finance
            position: 1
            checks:
              # Nothing listens there: the server's probes fail, and on a slow machine they could
              # confirm an outage before the walk reads the page. An hour between attempts keeps
              # them to one failure, never confirmed, so the page shows the history the test wrote.
              - kind: http
                target: http://127.0.0.1:9/
                interval: 1h
                retry_interval: 1h
          - slug: stream
            name: Cegid Stream
            family: Finance
            position: 2
            checks:
              - kind: tcp
                target: 127.0.0.1:9
                interval: 1h
                retry_interval: 1h
          - slug: xrp
            name: XRP Flex
            family: Gestion
            position: 3
        """

    @Test func visitorReadsTheWeatherAndAProductPageInBothLanguages() async throws {
        let workspace = try Workspace(config: Self.config)
        let calendar = DayCalendar(timeZone: Self.paris)
        let today = calendar.day(containing: Date())
        let days = calendar.days(endingWith: today, count: 25)
        let chosenDay = calendar.adding(-3, to: today)
        func at(_ day: LocalDay, hour: Double) -> Date { calendar.interval(of: day).start.addingTimeInterval(hour * 3600) }

        // History written through the store before the server starts, as earlier runs would have left it.
        do {
            let database = try SQLiteDatabase.open(path: workspace.databasePath, migrations: [StatusModelMigrations()])
            let store = SQLiteStatusStore(database: database, calendar: calendar)
            let since = calendar.interval(of: calendar.adding(-40, to: today)).start
            try await store.syncProducts([
                Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: since),
                Product(slug: "stream", name: "Cegid Stream", family: "Finance", position: 2, monitoredSince: since),
                Product(slug: "xrp", name: "XRP Flex", family: "Gestion", position: 3, monitoredSince: since, hasChecks: false),
            ])
            // Every past day observed; today not yet, so the uptime does not depend on the hour.
            let results = days.dropLast().enumerated().flatMap { index, day in
                ["loop", "stream"].map { CheckResult(checkID: "\($0)/check", productSlug: $0, time: at(day, hour: 12), outcome: .up,
                                                     durationMilliseconds: Double(120 + (index * 37) % 90)) }
            }
            try await store.record(results)
            // One measurement in the last hour: the 24-hour chart draws it.
            try await store.record([CheckResult(checkID: "loop/check", productSlug: "loop", time: Date().addingTimeInterval(-600), outcome: .up,
                                                durationMilliseconds: 140)])
            try await store.save(Maintenance(id: "m1", title: "Mise à jour", productSlugs: ["loop"],
                                             start: at(chosenDay, hour: 2), end: at(chosenDay, hour: 4)))
            try await store.save(Incident(id: "i1", title: "Connexions refusées", impact: .major, productSlugs: ["loop"],
                                          startedAt: at(chosenDay, hour: 10), resolvedAt: at(chosenDay, hour: 11),
                                          updates: [.init(status: .resolved, message: "Rétabli.", at: at(chosenDay, hour: 11))]))
            // Open now, on Stream: above the grid, and on Stream's page with its whole timeline.
            let opened = Date().addingTimeInterval(-2 * 3600)
            try await store.save(Incident(id: "i2", title: "Lenteurs à la connexion", impact: .minor, productSlugs: ["stream"], startedAt: opened,
                                          updates: [.init(status: .investigating, message: "Nous analysons.", at: opened),
                                                    .init(status: .identified, message: "Un disque est saturé.", at: opened.addingTimeInterval(1800))]))
        }

        let observed = days.dropLast().reduce(0.0) { $0 + calendar.interval(of: $1).duration } - 2 * 3600
        // The server's own probes may observe today before the page is read (from midnight on):
        // either reading is right.
        let sinceMidnight = Date().timeIntervalSince(calendar.interval(of: today).start)
        let uptimeTexts = Set([0, sinceMidnight, sinceMidnight + 300].map { today in
            let uptime = (1 - 3600 / (observed + today)) * 100
            return String(format: "%.2f", (uptime * 100).rounded(.down) / 100).replacingOccurrences(of: ".", with: ",") + " %"
        }).sorted()

        let expectations: [String: Any] = [
            "days": days.map(\.description),
            "productNames": ["Cegid Loop", "Cegid Stream", "XRP Flex"],
            "families": ["Finance", "Gestion"],
            "legend_fr": ["Aucun problème", "Maintenance planifiée", "Dégradation du service", "Incident", "Plusieurs problèmes", "Pas de données"],
            "legend_en": ["No problem", "Scheduled maintenance", "Degraded service", "Incident", "Several problems", "No data"],
            "legendStates": DayState.allCases.map(\.rawValue),
            "screenshots": ProcessInfo.processInfo.environment["STATUSD_SCREENSHOTS"] ?? "",
            "openIncident": [
                "slug": "stream", "title": "Lenteurs à la connexion", "latest_fr": "Cause identifiée",
                "steps_fr": ["Cause identifiée", "Analyse en cours"],
            ] as [String: Any],
            "chosen": [
                "slug": "loop", "name": "Cegid Loop", "date": chosenDay.description, "state": "multiple",
                "label_fr": "\(Self.longDate(chosenDay, calendar, "fr_FR", "EEEE d MMMM yyyy")) : Plusieurs problèmes",
                "label_en": "\(Self.longDate(chosenDay, calendar, "en_GB", "EEEE, d MMMM yyyy")): Several problems",
                "events_fr": ["Maintenance : Mise à jour de 02:00 à 04:00", "Incident : Connexions refusées de 10:00 à 11:00"],
                "condition_fr": "Aucun système ne signale de problème",
                "condition_en": "No system reports a problem",
                "uptime_fr": uptimeTexts,
                "closedIncidents": ["Connexions refusées",
                                    "Maintenance planifiée - Cegid Loop (depuis : \(Self.longDate(chosenDay, calendar, "en_US_POSIX", "yyyy-MM-dd")) 02:00:00)"],
            ] as [String: Any],
        ]
        let expectationsPath = workspace.folder.appendingPathComponent("expectations.json")
        try JSONSerialization.data(withJSONObject: expectations).write(to: expectationsPath)

        let server = try await RunningServer.start(configPath: workspace.configPath, stderrPath: workspace.folder.appendingPathComponent("stderr.log").path)
        let browser = try await Self.runBrowserChecks(baseURL: server.baseURL, expectations: expectationsPath.path)
        #expect(browser.status == 0, "browser checks failed:\n\(browser.output)")
        #expect(browser.output.contains("12 passed, 0 failed"), "\(browser.output)")
        _ = try await server.stopped()
    }

    static func longDate(_ day: LocalDay, _ calendar: DayCalendar, _ locale: String, _ format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: locale)
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = format
        return formatter.string(from: calendar.interval(of: day).start.addingTimeInterval(12 * 3600))
    }

    static func runBrowserChecks(baseURL: String, expectations: String) async throws -> (status: Int32, output: String) {
        try await runScript("Tests/Browser/weather_pages.py", [baseURL, expectations])
    }

    /// Runs a browser script of Tests/Browser with Debian's python3 and selenium.
    /// Where a walk saves its screenshots: `STATUSD_SCREENSHOTS` when set (to look at them after
    /// the run), otherwise a folder of the test's workspace, removed with it.
    static func screenshotFolder(beside workspace: URL) throws -> String {
        let environment = ProcessInfo.processInfo.environment["STATUSD_SCREENSHOTS"] ?? ""
        let folder = environment.isEmpty ? workspace.appendingPathComponent("screenshots").path : environment
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    static func runScript(_ path: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await offloaded { try runScriptBlocking(path, arguments) }
    }

    private static func runScriptBlocking(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let script = StatusdBinary.repositoryRoot.appendingPathComponent(path).path
        for tool in ["/usr/bin/python3", "/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.fileExists(atPath: tool) {
            return (127, "\(tool) is missing: run scripts/test, which installs chromium, chromium-driver and python3-selenium")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
