import ArgumentParser
import Logging

/// statusd: a status and uptime monitor with a customer portal.
@main
struct StatusdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statusd",
        abstract: "A self-hosted status and uptime monitor with a customer portal.",
        subcommands: [ServeCommand.self, ProbeCommand.self, CheckConfigCommand.self, OutboxCommand.self, UserCommand.self, TenantCommand.self,
                      DemoCommand.self, KnowledgeBaseCommand.self, ImportCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

/// The `--config` option shared by the commands that read the config.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The config file (default: $STATUSD_CONFIG, else config/statusd.yaml).")
    var config: String?
}

/// The `--log-level` option of the long-running commands.
struct LoggingOption: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
