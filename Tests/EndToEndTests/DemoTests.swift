import Foundation
import Testing

/// `statusd demo` then `statusd serve`: the grid shows the demo's products and a day of each kind.
@Suite struct DemoTests {
    /// The shipped config, on a database of the workspace: the demo must hold with the default products.
    static func shippedConfig() throws -> String {
        let shipped = try String(contentsOf: StatusdBinary.repositoryRoot.appendingPathComponent("config/statusd.yaml"), encoding: .utf8)
        return shipped.replacingOccurrences(of: "database: data/statusd.sqlite", with: "database: $DATABASE")
    }

    @Test func demoThenServeShowsTheDemoGrid() async throws {
        let workspace = try Workspace(config: try Self.shippedConfig())
        let demo = try await StatusdBinary.runAsync(["demo", "--config", workspace.configPath])
        #expect(demo.status == 0, "stderr: \(demo.stderr)")
        for email in ["operateur@demo.example", "admin@demo.example", "camille.martin@demo.example", "lucas.bernard@demo.example"] {
            #expect(demo.stdout.contains(email), "the demo says how to sign in as \(email): \(demo.stdout)")
        }
        #expect(demo.stdout.contains("/login"))

        let again = try await StatusdBinary.runAsync(["demo", "--config", workspace.configPath])
        #expect(again.status != 0, "a second demo does not overwrite the database")
        #expect(again.stderr.contains("--force"), "stderr: \(again.stderr)")

        let server = try await RunningServer.start(configPath: workspace.configPath,
                                                   stderrPath: workspace.folder.appendingPathComponent("serve.log").path)
        let grid = try await httpGet(server.baseURL + "/")
        #expect(grid.status == 200)
        for name in ["Cegid Loop", "Cegid Stream", "XRP Flex", "Yourcegid Paie", "Cegid Quadra", "Paie et RH", "Portail statusd"] {
            #expect(grid.body.contains(name), "the grid shows \(name)")
        }
        for state in ["ok", "maintenance", "degraded", "incident", "multiple"] {
            #expect(grid.body.contains("data-state=\"\(state)\""), "the grid shows a day of kind \(state)")
        }
        let product = try await httpGet(server.baseURL + "/products/yourcegid-paie")
        #expect(product.status == 200)
        #expect(product.body.contains("Calcul des bulletins indisponible"), "the product page lists the demo incident")
        _ = try await server.stopped()

        let forced = try await StatusdBinary.runAsync(["demo", "--config", workspace.configPath, "--force",
                                                       "--database", workspace.databasePath])
        #expect(forced.status == 0, "--force replaces the database; stderr: \(forced.stderr)")
    }
}
