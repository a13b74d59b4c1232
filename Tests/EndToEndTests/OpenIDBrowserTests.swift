import Foundation
import StatusModel
import TestSupport
import Testing

/// "Continuer avec …" walked in headless Chromium against a real OpenID provider on loopback
/// (oidc-provider-mock): activation with the provider, a sign-in, and an unknown email refused.
@Suite struct OpenIDBrowserTests {
    @Test func anInvitedUserActivatesWithTheProviderSignsInAgainAndAStrangerIsRefused() async throws {
        let provider = try await OpenIDProviderMock()
        let workspace = try Workspace(config: "database: $DATABASE\nbase_url: http://127.0.0.1:1\n")
        let port = try await workspace.freePort()
        try """
            database: \(workspace.databasePath)
            listen: 127.0.0.1:\(port)
            base_url: http://127.0.0.1:\(port)
            sign_in_providers:
              - id: mock
                name: Mock ID
                issuer: \(provider.issuer)
                client_id: statusd-e2e
                client_secret: e2e-secret
            """.write(toFile: workspace.configPath, atomically: true, encoding: .utf8)
        let created = try await StatusdBinary.runAsync(["tenant", "create", "--config", workspace.configPath, "--code", "90266482",
                                                        "--name", "Client Exemple", "--admin", "admin@client.fr"])
        #expect(created.status == 0, "\(created.stderr)")
        let activation = try #require(created.stdout.split(separator: "\n").last.map(String.init))
        let server = try await RunningServer.start(configPath: workspace.configPath,
                                                   stderrPath: workspace.folder.appendingPathComponent("stderr.log").path,
                                                   environment: ["STATUSD_LISTEN": "127.0.0.1:\(port)"])
        let shots = try BrowserTests.screenshotFolder(beside: workspace.folder)
        let walk = try await BrowserTests.runScript("Tests/Browser/oidc_walk.py", [server.baseURL, provider.issuer, activation, shots])
        #expect(walk.status == 0, "OpenID walk failed:\n\(walk.output)\nprovider:\n\(provider.log.suffix(1500))")
        #expect(walk.output.contains("3 passed, 0 failed"), "\(walk.output)")
        _ = try await server.stopped()
    }
}
