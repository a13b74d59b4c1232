import Foundation
import StatusModel
import TestSupport
import Testing

/// The portal walked in headless Chromium, from the first administrator's activation to a reset password.
@Suite struct PortalBrowserTests {
    @Test func adminInvitesAUserWhoActivatesLogsInAndResetsThePassword() async throws {
        let smtp = try await SMTPServer()
        let workspace = try Workspace(config: "database: $DATABASE\nbase_url: http://127.0.0.1:1\n")
        let port = try await workspace.freePort()
        try """
            database: \(workspace.databasePath)
            listen: 127.0.0.1:\(port)
            base_url: http://127.0.0.1:\(port)
            smtp:
              url: \(smtp.url)
              from: portail@vendor.fr
            """.write(toFile: workspace.configPath, atomically: true, encoding: .utf8)

        let created = try await StatusdBinary.runAsync(["tenant", "create", "--config", workspace.configPath, "--code", "90266482",
                                             "--name", "Client Exemple", "--admin", "admin@client.fr"])
        #expect(created.status == 0, "\(created.stderr)")
        let adminLink = try #require(created.stdout.split(separator: "\n").last.map(String.init))
        #expect(adminLink.hasPrefix("http://127.0.0.1:\(port)/activate/"))

        let server = try await RunningServer.start(configPath: workspace.configPath, stderrPath: workspace.folder.appendingPathComponent("stderr.log").path,
                                       environment: ["STATUSD_LISTEN": "127.0.0.1:\(port)"])
        // The walk reads its mail where a person would: as the SMTP server on loopback received it.
        let mailbox = try workspace.mailbox(smtp)

        let walk = try await BrowserTests.runScript("Tests/Browser/portal_walk.py", [server.baseURL, mailbox, adminLink])
        #expect(walk.status == 0, "portal walk failed:\n\(walk.output)")
        #expect(walk.output.contains("3 passed, 0 failed"), "\(walk.output)")
        _ = try await server.stopped()
        // Exactly the expected mails, each once, from the configured sender, links on the base URL.
        let received = try smtp.messages()
        #expect(received.map { $0.recipients.joined() } == ["admin@client.fr", "claire@client.fr", "claire@client.fr"])
        #expect(received.allSatisfy { $0.mailFrom == "portail@vendor.fr" && $0.defects.isEmpty })
        #expect(received.allSatisfy { ($0.text ?? "").contains("http://127.0.0.1:\(port)/") })
        #expect(received.first?.subject == "Activez votre compte statusd")
    }
}
