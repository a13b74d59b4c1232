import ArgumentParser
import Foundation
import Hummingbird
import Logging
import StatusModel

/// `statusd serve`: the web site and the background services, until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the status pages (and run the embedded probe worker) on the configured address."
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let logger = LogSetup.bootstrap(level: logLevel)
        let config: StatusConfig
        do {
            config = try ConfigLoading.load(options)
        } catch {
            logger.critical("invalid config, not starting: \(error)")
            throw ExitCode(1)
        }
        let app = try await StatusdApp.build(config: config, logger: logger)
        try await app.runService()
        logger.notice("statusd stopped")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
