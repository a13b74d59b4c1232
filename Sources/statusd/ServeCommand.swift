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
    @OptionGroup var logging: LoggingOption

    func run() async throws {
        let logger = LogSetup.bootstrap(level: logging.logLevel)
        let config = try ConfigLoading.loadOrRefuse(options, logger: logger)
        let app = try await StatusdApp.build(config: config, logger: logger)
        try await app.runService()
        logger.notice("statusd stopped")
    }
}
