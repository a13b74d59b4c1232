import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import StatusModel

/// `statusd probe --region NAME`: a worker that only probes, writing to the shared store.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Run a probe worker for one region, writing results to the shared database (no web server)."
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "The region this worker probes from; it runs the checks that list it.")
    var region: String

    @OptionGroup var logging: LoggingOption

    func run() async throws {
        let logger = LogSetup.bootstrap(level: logging.logLevel)
        let config = try ConfigLoading.loadOrRefuse(options, logger: logger)
        let store = try await StatusdApp.openStore(config: config, logger: logger)
        let worker = StatusdApp.probes(config: config, store: store, region: region, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Logging set-up shared by the commands.
enum LogSetup {
    /// Logs to stderr at `level`, once per process.
    static func bootstrap(level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "statusd")
    }
}
