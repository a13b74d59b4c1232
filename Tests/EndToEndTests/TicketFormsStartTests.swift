import Foundation
import Testing

/// The ticket forms are read at start like the main config: `check-config` and `serve` refuse a
/// wrong file with its line and key, refuse a named file that is missing, and start without
/// ticket pages when the default file beside the config is absent.
@Suite struct TicketFormsStartTests {
    @Test func aWrongFormsFileRefusesCheckConfigAndServeWithItsLineAndKey() async throws {
        let workspace = try Workspace(config: "database: $DATABASE\ntickets_forms: forms.yaml\n")
        let forms = workspace.folder.appendingPathComponent("forms.yaml").path
        try "types:\n  - key: incident\n    label: {fr: Pour un incident}\n".write(toFile: forms, atomically: true, encoding: .utf8)
        for command in ["check-config", "serve"] {
            let run = try await StatusdBinary.runAsync([command, "--config", workspace.configPath], environment: ["STATUSD_LISTEN": "127.0.0.1:0"])
            #expect(run.status != 0, "\(command)")
            #expect(run.stderr.contains("\(forms):3: types[0].label.en:"), "\(command) stderr: \(run.stderr)")
        }
    }

    @Test func aNamedFormsFileThatIsMissingRefusesToStart() async throws {
        let workspace = try Workspace(config: "database: $DATABASE\ntickets_forms: nowhere.yaml\n")
        let run = try await StatusdBinary.runAsync(["check-config", "--config", workspace.configPath])
        #expect(run.status != 0)
        #expect(run.stderr.contains("nowhere.yaml"), "stderr: \(run.stderr)")
    }

    @Test func theShippedFormsBesideTheShippedConfigAreRead() async throws {
        let workspace = try Workspace(config: "database: $DATABASE\n")
        try FileManager.default.copyItem(at: StatusdBinary.repositoryRoot.appendingPathComponent("config/ticket-forms.yaml"),
                                         to: workspace.folder.appendingPathComponent("ticket-forms.yaml"))
        let run = try await StatusdBinary.runAsync(["check-config", "--config", workspace.configPath])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        try "types: [".write(to: workspace.folder.appendingPathComponent("ticket-forms.yaml"), atomically: true, encoding: .utf8)
        let broken = try await StatusdBinary.runAsync(["check-config", "--config", workspace.configPath])
        #expect(broken.status != 0, "the default file, once there, is checked too")
    }
}
