import Foundation
import Hummingbird
import Logging
import NIOCore
import Probes
import StatusModel
import StatusWeb

/// The composition root: opens the database, syncs the configured products and wires the
/// web site with the background services.
enum StatusdApp {
    static func build(config: StatusConfig, logger: Logger) async throws -> some ApplicationProtocol {
        let database = try SQLiteDatabase.open(path: config.databasePath, migrations: [StatusModelMigrations()])
        let store = SQLiteStatusStore(database: database, calendar: config.calendar)
        let now = Date()
        try await store.syncProducts(config.products.map { $0.product(now: now) })
        logger.info("database ready", metadata: ["path": "\(config.databasePath)", "products": "\(config.products.count)"])

        let site = try await StatusSite(store: store, calendar: config.calendar, historyDays: config.historyDays,
                                        baseURL: config.baseURL, logger: logger)
        let retention = RetentionService(store: store, calendar: config.calendar, resultDays: config.retention.resultDays,
                                         historyDays: config.retention.historyDays, logger: logger)
        return Application(
            router: buildRouter(site: site),
            configuration: .init(address: .hostname(config.listen.host, port: config.listen.port), serverName: "statusd"),
            services: [retention],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.listen.port
                let host = config.listen.host.contains(":") ? "[\(config.listen.host)]" : config.listen.host
                let line = "statusd listening on http://\(host):\(port)"
                logger.notice("\(line)")
                // Also on stdout, flushed: scripts and tests read the address from there.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            },
            logger: logger
        )
    }
}
