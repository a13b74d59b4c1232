import Foundation
import StatusModel
import TestSupport
import Testing

/// The knowledge base in headless Chromium against the built binary: an agent writes and
/// publishes articles with an attachment, a customer searches (a word, then a number), filters,
/// sorts, opens an article, downloads its attachment and rates it; the agent edits it, and the
/// old version stays readable by agents only (Tests/Browser/kb_walk.py).
@Suite struct KnowledgeBaseBrowserTests {
    @Test func searchReadRateAndEditInABrowser() async throws {
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
        let agent = try await StatusdBinary.runAsync(["user", "create", "--config", workspace.configPath, "--email", "agent@vendor.fr",
                                                      "--role", "agent"])
        #expect(agent.status == 0, "\(agent.stderr)")
        let adminLink = try #require(tenant.stdout.split(separator: "\n").last.map(String.init))
        let agentLink = try #require(agent.stdout.split(separator: "\n").last.map(String.init))
        let attachment = workspace.folder.appendingPathComponent("guide-relance.txt")
        try "Guide de relance : ouvrir la facture, cliquer sur Relancer.".write(to: attachment, atomically: true, encoding: .utf8)
        let server = try await RunningServer.start(configPath: workspace.configPath,
                                                   stderrPath: workspace.folder.appendingPathComponent("stderr.log").path,
                                                   environment: ["STATUSD_LISTEN": "127.0.0.1:\(port)"])
        let shots = try BrowserTests.screenshotFolder(beside: workspace.folder)
        let walk = try await BrowserTests.runScript("Tests/Browser/kb_walk.py", [server.baseURL, agentLink, adminLink, attachment.path, shots])
        #expect(walk.status == 0, "knowledge-base walk failed:\n\(walk.output)")
        #expect(walk.output.contains("5 passed, 0 failed"), "\(walk.output)")
        _ = try await server.stopped()
    }
}
