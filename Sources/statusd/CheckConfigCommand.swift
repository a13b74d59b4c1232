import ArgumentParser
import Foundation
import Logging
import StatusModel

/// `statusd check-config`: validates the config without starting anything.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the config file and exit: non-zero, with file, line and key, when it is wrong."
    )

    @OptionGroup var options: ConfigOption

    func run() throws {
        do {
            let config = try ConfigLoading.load(options)
            print("\(config.file): ok (\(config.products.count) products, \(config.checks.count) checks)")
        } catch {
            FileHandle.standardError.write(Data("statusd: invalid config: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// Finds and reads the config the way every command does.
enum ConfigLoading {
    static let defaultFile = "config/statusd.yaml"

    static func load(_ options: ConfigOption, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> StatusConfig {
        let file = options.config ?? environment[StatusConfig.Environment.config].flatMap { $0.isEmpty ? nil : $0 } ?? defaultFile
        let config = try StatusConfig.load(file: file, environment: environment)
        // The ticket forms are part of the config: a wrong file refuses every command, with its line and key.
        _ = try StatusdApp.ticketForms(config: config)
        return config
    }

    /// For the long-running commands: a bad config is logged with file, line and key, and the
    /// process exits 1 without starting anything.
    static func loadOrRefuse(_ options: ConfigOption, logger: Logger) throws -> StatusConfig {
        do {
            return try load(options)
        } catch {
            logger.critical("invalid config, not starting: \(error)")
            throw ExitCode(1)
        }
    }
}
