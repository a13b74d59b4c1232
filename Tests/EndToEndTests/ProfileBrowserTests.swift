import Foundation
import StatusModel
import TestSupport
import Testing

/// The profile's tabs and the bell's choices in headless Chromium, against `statusd serve`.
@Suite struct ProfileBrowserTests {
    @Test func aCustomerEditsTheirProfileReadsTheirTrailAndChoosesHowTheyHearOfThings() async throws {
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
            """.write(toFile: workspace.configPath, atomically: true, encoding: .utf8)
        let tenant = try await StatusdBinary.runAsync(["tenant", "create", "--config", workspace.configPath, "--code", "90266482",
                                                       "--name", "Client Exemple", "--admin", "admin@client.fr"])
        #expect(tenant.status == 0, "\(tenant.stderr)")
        let adminLink = try #require(tenant.stdout.split(separator: "\n").last.map(String.init))
        let server = try await RunningServer.start(configPath: workspace.configPath,
                                                   stderrPath: workspace.folder.appendingPathComponent("stderr.log").path,
                                                   environment: ["STATUSD_LISTEN": "127.0.0.1:\(port)"])
        let walk = try await BrowserTests.runScript("Tests/Browser/profile_walk.py", [server.baseURL, adminLink])
        #expect(walk.status == 0, "profile walk failed:\n\(walk.output)")
        #expect(walk.output.contains("5 passed, 0 failed"), "\(walk.output)")
        _ = try await server.stopped()
    }
}
