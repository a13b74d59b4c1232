import Foundation
import StatusModel
import TestSupport
import Testing

/// Every page of the site, public, portal, administration and console, in headless Chromium at
/// 390 and 1280 px: nothing scrolls sideways.
@Suite struct LayoutBrowserTests {
    @Test func noPageOfTheSiteScrollsSidewaysOnAPhone() async throws {
        let workspace = try Workspace(config: "database: $DATABASE\nbase_url: http://127.0.0.1:1\n")
        let port = try await workspace.freePort()
        try """
            database: \(workspace.databasePath)
            listen: 127.0.0.1:\(port)
            base_url: http://127.0.0.1:\(port)
            products:
              - slug: loop
                name: Cegid Loop
                family: Finance
                position: 1
              - slug: stream
                name: Cegid Stream Entreprise et Collaboration
                family: Finance
                position: 2
            """.write(toFile: workspace.configPath, atomically: true, encoding: .utf8)
        let tenant = try await StatusdBinary.runAsync(["tenant", "create", "--config", workspace.configPath, "--code", "90266482",
                                                       "--name", "Client Exemple", "--admin", "admin@client.fr"])
        #expect(tenant.status == 0, "\(tenant.stderr)")
        let staff = try await StatusdBinary.runAsync(["user", "create", "--config", workspace.configPath, "--email", "ops@vendor.fr",
                                                      "--role", "operator"])
        #expect(staff.status == 0, "\(staff.stderr)")
        let adminLink = try #require(tenant.stdout.split(separator: "\n").last.map(String.init))
        let operatorLink = try #require(staff.stdout.split(separator: "\n").last.map(String.init))
        let server = try await RunningServer.start(configPath: workspace.configPath,
                                                   stderrPath: workspace.folder.appendingPathComponent("stderr.log").path,
                                                   environment: ["STATUSD_LISTEN": "127.0.0.1:\(port)"])
        let shots = try BrowserTests.screenshotFolder(beside: workspace.folder)
        let walk = try await BrowserTests.runScript("Tests/Browser/layout_walk.py", [server.baseURL, adminLink, operatorLink, shots])
        #expect(walk.status == 0, "layout walk failed:\n\(walk.output)")
        #expect(walk.output.contains("5 passed, 0 failed"), "\(walk.output)")
        _ = try await server.stopped()
    }
}
