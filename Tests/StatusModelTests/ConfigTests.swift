import Foundation
import StatusModel
import Testing

/// Reading `statusd.yaml`: defaults, and errors that name file, line and key.
@Suite("Config")
struct ConfigTests {
    static let good = """
        listen: 0.0.0.0:9090
        base_url: https://status.example.com/
        products:
          - slug: cegid-loop
            name: Cegid Loop
            family: Finance
            checks:
              - kind: http
                target: https://loop.example.com/health
                interval: 30s
                degraded_above: 800ms
              - name: api
                kind: tcp
                target: api.loop.example.com:443
                fail_after: 5
                regions: [paris, frankfurt]
          - slug: cegid-stream
            name: Cegid Stream
            visibility: hidden
        """

    private func parseError(_ yaml: String) -> ConfigError? {
        #expect(throws: ConfigError.self) { try StatusConfig.parse(yaml: yaml, file: "statusd.yaml") }
    }

    // MARK: A good file

    @Test("A good file gives its values, and the defaults for the rest")
    func goodConfig() throws {
        let config = try StatusConfig.parse(yaml: Self.good, file: "statusd.yaml")
        #expect(config.listen == StatusConfig.ListenAddress(host: "0.0.0.0", port: 9090))
        #expect(config.baseURL == "https://status.example.com")
        #expect(config.timeZone.identifier == "Europe/Paris")
        #expect(config.historyDays == 25)
        #expect(config.retention.resultDays == 7)
        #expect(config.retention.historyDays == 400)
        #expect(config.databasePath == "data/statusd.sqlite")
        #expect(config.products.map(\.slug) == ["cegid-loop", "cegid-stream"])
        #expect(config.products.map(\.position) == [0, 1])
        #expect(config.products[1].visibility == .hidden)
        #expect(config.checks.map(\.id) == ["cegid-loop/http", "cegid-loop/api"])
    }

    @Test("Checks get their settings, and sane defaults for the rest")
    func checkSettings() throws {
        let checks = try StatusConfig.parse(yaml: Self.good, file: "statusd.yaml").checks
        let http = checks[0], tcp = checks[1]
        #expect(http.kind == .http)
        #expect(http.interval == .seconds(30))
        #expect(http.degradedAbove == .milliseconds(800))
        #expect(http.timeout == .seconds(10))
        #expect(http.failAfter == 3)
        #expect(http.recoverAfter == 2)
        #expect(http.regions == ["default"])
        #expect(tcp.kind == .tcp)
        #expect(tcp.interval == .seconds(60))
        #expect(tcp.failAfter == 5)
        #expect(tcp.regions == ["paris", "frankfurt"])
    }

    @Test("A product without checks is reported by hand")
    func productWithoutChecks() throws {
        let config = try StatusConfig.parse(yaml: Self.good, file: "statusd.yaml")
        let now = Paris.at(2026, 11, 20, 12)
        #expect(config.products[0].product(now: now).hasChecks)
        #expect(!config.products[1].product(now: now).hasChecks)
        #expect(config.products[1].product(now: now).monitoredSince == now)
    }

    @Test("An empty file is all defaults")
    func emptyFile() throws {
        let config = try StatusConfig.parse(yaml: "", file: "statusd.yaml")
        #expect(config.products.isEmpty)
        #expect(config.listen.description == "127.0.0.1:8080")
        #expect(config.calendar.timeZone.identifier == "Europe/Paris")
    }

    @Test("Time zone, history and retention can be set")
    func explicitSettings() throws {
        let config = try StatusConfig.parse(yaml: """
            time_zone: America/Montreal
            history_days: 30
            database: /var/lib/statusd/statusd.sqlite
            retention:
              results_days: 14
              history_days: 90
            """, file: "statusd.yaml")
        #expect(config.timeZone.identifier == "America/Montreal")
        #expect(config.historyDays == 30)
        #expect(config.databasePath == "/var/lib/statusd/statusd.sqlite")
        #expect(config.retention.resultDays == 14)
        #expect(config.retention.historyDays == 90)
    }

    // MARK: Errors name file, line and key

    @Test("An unknown top-level key is refused, with its line")
    func unknownTopLevelKey() {
        let error = parseError("""
            listen: 127.0.0.1:8080
            listn: 127.0.0.1:9090
            """)
        #expect(error?.line == 2)
        #expect(error?.key == "listn")
        #expect(error?.description.hasPrefix("statusd.yaml:2: listn: unknown key") == true)
    }

    @Test("An unknown check kind names the key path and the known kinds")
    func unknownCheckKind() {
        let error = parseError("""
            products:
              - slug: loop
                name: Loop
                checks:
                  - kind: ftp
                    target: ftp://loop.example.com
            """)
        #expect(error?.file == "statusd.yaml")
        #expect(error?.line == 5)
        #expect(error?.key == "products[0].checks[0].kind")
        #expect(error?.description.hasPrefix("statusd.yaml:5: products[0].checks[0].kind: unknown check kind \"ftp\"") == true)
        #expect(error?.message.contains("http, tcp, tls, dns, push") == true)
    }

    @Test("A negative interval is refused")
    func negativeInterval() {
        let error = parseError("""
            products:
              - slug: loop
                name: Loop
                checks:
                  - kind: http
                    target: https://loop.example.com/health
                    interval: -5s
            """)
        #expect(error?.line == 7)
        #expect(error?.key == "products[0].checks[0].interval")
        #expect(error?.description == "statusd.yaml:7: products[0].checks[0].interval: must be positive, got \"-5s\"")
    }

    @Test("Durations that are not numbers, or absurdly large, are refused rather than crashing", arguments: [
        "soon", "0s", "inf", "nan", "1e30s", "-infs", "99999999999999999h",
    ])
    func unusableDuration(text: String) {
        let error = parseError("""
            products:
              - slug: loop
                name: Loop
                checks:
                  - kind: http
                    target: https://loop.example.com/health
                    timeout: \(text)
            """)
        #expect(error?.line == 7)
        #expect(error?.key == "products[0].checks[0].timeout")
    }

    @Test("An http check needs a URL with its scheme", arguments: [
        "loop.example.com/health", "ftp://loop.example.com", "https://",
    ])
    func httpTargetWithoutScheme(target: String) {
        let error = parseError("""
            products:
              - slug: loop
                name: Loop
                checks:
                  - kind: http
                    target: \(target)
            """)
        #expect(error?.line == 6)
        #expect(error?.key == "products[0].checks[0].target")
        #expect(error?.message.contains("http") == true)
    }

    @Test("Two products cannot share a slug")
    func duplicateSlug() {
        let error = parseError("""
            products:
              - slug: loop
                name: Loop
              - slug: loop
                name: Loop again
            """)
        #expect(error?.line == 4)
        #expect(error?.key == "products[1].slug")
        #expect(error?.description == "statusd.yaml:4: products[1].slug: \"loop\" is already used by another product")
    }

    @Test("A listen address must be host:port", arguments: [
        "localhost", "127.0.0.1:", ":8080", "127.0.0.1:70000", "127.0.0.1:http", "::1",
    ])
    func badListenAddress(text: String) {
        let error = parseError("""
            # statusd
            listen: "\(text)"
            """)
        #expect(error?.line == 2)
        #expect(error?.key == "listen")
        #expect(error?.message.contains("host:port") == true)
    }

    @Test("IPv6 listen addresses are written in brackets")
    func ipv6Listen() throws {
        let config = try StatusConfig.parse(yaml: "listen: \"[::1]:8080\"", file: "statusd.yaml")
        #expect(config.listen == StatusConfig.ListenAddress(host: "::1", port: 8080))
        #expect(config.listen.description == "[::1]:8080")
    }

    @Test("Text that is not YAML is refused with its line")
    func invalidYAML() {
        let error = parseError("""
            listen: 127.0.0.1:8080
            products:
              - slug: loop
                name: [Loop
            history_days: 25
            """)
        #expect(error?.file == "statusd.yaml")
        #expect(error?.line != nil)
        #expect((error?.line ?? 0) >= 4)
        #expect(error?.message.hasPrefix("not valid YAML") == true)
    }

    @Test("An unknown time zone is refused")
    func unknownTimeZone() {
        let error = parseError("time_zone: Europe/Pariss")
        #expect(error?.key == "time_zone")
        #expect(error?.line == 1)
    }

    @Test("History retention must cover the days shown")
    func retentionShorterThanGrid() {
        let error = parseError("""
            history_days: 30
            retention:
              history_days: 10
            """)
        #expect(error?.key == "retention.history_days")
    }

    // MARK: Environment overrides

    private func withConfigFile<T>(_ yaml: String, _ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("statusd.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try body(path)
    }

    @Test("The environment overrides listen, database and base URL")
    func environmentOverrides() throws {
        let config = try withConfigFile(Self.good) { path in
            try StatusConfig.load(file: path, environment: [
                "STATUSD_LISTEN": "127.0.0.1:7070",
                "STATUSD_DATABASE": "/srv/statusd/db.sqlite",
                "STATUSD_BASE_URL": "https://status.vendor.example/",
            ])
        }
        #expect(config.listen == StatusConfig.ListenAddress(host: "127.0.0.1", port: 7070))
        #expect(config.databasePath == "/srv/statusd/db.sqlite")
        #expect(config.baseURL == "https://status.vendor.example")
        #expect(config.products.count == 2)
    }

    @Test("Without overrides the file's values stay; empty variables are ignored")
    func noOverrides() throws {
        let config = try withConfigFile(Self.good) { path in
            try StatusConfig.load(file: path, environment: ["STATUSD_LISTEN": "", "HOME": "/root"])
        }
        #expect(config.listen.port == 9090)
        #expect(config.baseURL == "https://status.example.com")
    }

    @Test("A bad STATUSD_LISTEN names the variable")
    func badListenVariable() throws {
        let error = try withConfigFile(Self.good) { path in
            #expect(throws: ConfigError.self) {
                try StatusConfig.load(file: path, environment: ["STATUSD_LISTEN": "everywhere"])
            }
        }
        #expect(error?.key == "STATUSD_LISTEN")
        #expect(error?.line == nil)
        #expect(error?.description == "environment: STATUSD_LISTEN: expected host:port, got \"everywhere\"")
    }

    @Test("A bad STATUSD_BASE_URL names the variable")
    func badBaseURLVariable() throws {
        let error = try withConfigFile(Self.good) { path in
            #expect(throws: ConfigError.self) {
                try StatusConfig.load(file: path, environment: ["STATUSD_BASE_URL": "status.example.com"])
            }
        }
        #expect(error?.key == "STATUSD_BASE_URL")
    }

    @Test("A missing file is said plainly")
    func missingFile() {
        let error = #expect(throws: ConfigError.self) {
            try StatusConfig.load(file: "/nonexistent/statusd.yaml", environment: [:])
        }
        #expect(error?.file == "/nonexistent/statusd.yaml")
        #expect(error?.line == nil)
        #expect(error?.description.hasPrefix("/nonexistent/statusd.yaml: cannot read the file") == true)
    }

    @Test("Errors in a loaded file name that file")
    func loadedFileErrorsNameTheFile() throws {
        let (path, error) = try withConfigFile("listen: nowhere\n") { path in
            (path, #expect(throws: ConfigError.self) { try StatusConfig.load(file: path, environment: [:]) })
        }
        #expect(error?.description.hasPrefix("\(path):1: listen:") == true)
    }
}
