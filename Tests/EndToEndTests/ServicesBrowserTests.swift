import Foundation
import StatusModel
import TestSupport
import Testing

/// Services opening products in headless Chromium: the operator's ties, the catalog dialog,
/// "Vous vous êtes abonné(e) à 2 services", the filters and giving a service up (see
/// Tests/Browser/services_catalog_walk.py).
@Suite struct ServicesBrowserTests {
    @Test func aUserAddsServicesFromTheDialogAndGivesOneUp() async throws {
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
              - slug: paie
                name: Yourcegid Paie (privé)
                family: Paie et RH
                visibility: private
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
        let walk = try await BrowserTests.runScript("Tests/Browser/services_catalog_walk.py", [server.baseURL, adminLink, operatorLink, shots])
        #expect(walk.status == 0, "services walk failed:\n\(walk.output)")
        #expect(walk.output.contains("4 passed, 0 failed"), "\(walk.output)")
        _ = try await server.stopped()
    }
}
