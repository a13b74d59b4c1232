import Foundation
import Testing

@Suite struct CommandLineTests {
    @Test func checkConfigAcceptsTheShippedConfig() async throws {
        let config = StatusdBinary.repositoryRoot.appendingPathComponent("config/statusd.yaml").path
        let run = try await StatusdBinary.runAsync(["check-config", "--config", config])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("ok"))
    }

    @Test(arguments: [
        ("products:\n  - slug: loop\n    name: Loop\n    checks:\n      - kind: http\n        target: http://x\n        interval: -5s\n", 7, "products[0].checks[0].interval"),
        ("listen: 127.0.0.1:8080\ncolour: blue\n", 2, "colour"),
        ("products:\n  - slug: loop\n    name: Loop\n    checks:\n      - kind: carrier-pigeon\n        target: x\n", 5, "products[0].checks[0].kind"),
        ("products:\n  - slug: loop\n    name: Loop\n    checks:\n      - kind: http\n        target: example.com/health\n", 6, "products[0].checks[0].target"),
    ])
    func checkConfigOnABrokenFileNamesFileLineAndKeyAndFails(yaml: String, line: Int, key: String) async throws {
        let workspace = try Workspace(config: yaml)
        let run = try await StatusdBinary.runAsync(["check-config", "--config", workspace.configPath])
        #expect(run.status != 0)
        #expect(run.stderr.contains("\(workspace.configPath):\(line): \(key):"), "stderr: \(run.stderr)")
    }

    @Test func serveRefusesToStartOnABrokenFile() async throws {
        let workspace = try Workspace(config: "history_days: many\n")
        let run = try await StatusdBinary.runAsync(["serve", "--config", workspace.configPath])
        #expect(run.status != 0)
        #expect(run.stderr.contains("\(workspace.configPath):1: history_days:"), "stderr: \(run.stderr)")
    }

    @Test func environmentNamesTheConfigFile() async throws {
        let run = try await StatusdBinary.runAsync(["check-config"], environment: ["STATUSD_CONFIG": "/nonexistent/statusd.yaml"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("/nonexistent/statusd.yaml"))
    }
}
