import Foundation
import Testing

/// "Mes services" in a real browser, on the demo: a member's accepted service covers a private
/// product; signed in, it comes first on the grid at 1280 and 390 px, nothing scrolls sideways,
/// and its page subscribes them in one click.
@Suite struct MyWeatherBrowserTests {
    @Test func aMembersOwnServicesComeFirstOnTheGridOnAScreenAndOnAPhone() async throws {
        let shipped = try DemoTests.shippedConfig()
        let withoutProducts = shipped.range(of: "\nproducts:").map { String(shipped[..<$0.lowerBound]) } ?? shipped
        let workspace = try Workspace(config: withoutProducts)
        let demo = try await StatusdBinary.runAsync(["demo", "--config", workspace.configPath])
        #expect(demo.status == 0, "stderr: \(demo.stderr)")
        // The operator's tie in the console, written straight into the demo's database: Camille's
        // accepted service ("Accès au portail") covers Cegid Flow, made private.
        let tie = try Self.sqlite(workspace.databasePath, """
            INSERT OR IGNORE INTO serviceProduct (serviceID, productSlug) SELECT id, 'cegid-flow' FROM service WHERE name = 'Accès au portail';
            UPDATE product SET visibility = 'private' WHERE slug = 'cegid-flow';
            """)
        #expect(tie.status == 0, "\(tie.stderr)")
        let server = try await RunningServer.start(configPath: workspace.configPath,
                                                   stderrPath: workspace.folder.appendingPathComponent("serve.log").path)
        let shots = try BrowserTests.screenshotFolder(beside: workspace.folder)
        let walk = try await BrowserTests.runScript("Tests/Browser/my_weather_walk.py",
                                                    [server.baseURL, "camille.martin@demo.example", "Demo-Membre-2026", "Cegid Flow", shots])
        #expect(walk.status == 0, "my weather walk failed:\n\(walk.output)")
        #expect(walk.output.contains("5 passed, 0 failed"), "\(walk.output)")
        _ = try await server.stopped()
    }

    /// Runs SQL on the demo's database with Debian's sqlite3, before the server opens it.
    static func sqlite(_ path: String, _ sql: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }
}
