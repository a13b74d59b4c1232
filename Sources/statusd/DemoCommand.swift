import ArgumentParser
import Foundation
import Logging
import StatusModel

/// `statusd demo`: writes a demo database to look around in, then prints how to sign in.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write a demo database: a dozen products with 25 days of history, a customer account, its users and services.")

    @OptionGroup var options: ConfigOption
    @Option(help: "The database file to write (default: the config's database).") var database: String?
    @Flag(help: "Replace an existing database.") var force = false
    @Flag(help: "Leave an existing database as it is and succeed (scripts/start --demo).") var ifAbsent = false

    func run() async throws {
        let logger = Logger(label: "statusd")
        var config = try ConfigLoading.loadOrRefuse(options, logger: logger)
        let path = database ?? config.databasePath
        config.databasePath = path
        let files = FileManager.default
        if let size = ((try? files.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue, size > 0 {
            if ifAbsent && !force {
                print("\(path) already holds a database: kept as it is.")
                return
            }
            guard force else {
                FileHandle.standardError.write(Data("statusd: \(path) already holds a database; pass --force to replace it with the demo (its data is lost)\n".utf8))
                throw ExitCode(1)
            }
            for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: path + suffix) { try files.removeItem(atPath: path + suffix) }
        }
        let sqlite = try StatusdApp.openDatabase(config: config)
        let store = try await StatusdApp.openStore(config: config, database: sqlite, logger: logger)
        try await DemoData(store: store, database: sqlite, config: config, now: Date(), logger: logger).write()

        var lines = ["Demo database written to \(path): \(DemoData.products.count) products, \(config.historyDays) days of history.",
                     "Serve it with: " + (database == nil ? "" : "STATUSD_DATABASE=\(path) ") + "statusd serve"
                        + (options.config.map { " --config \($0)" } ?? ""),
                     "Then open \(config.baseURL)/ and sign in at \(config.baseURL)/login as:"]
        for login in DemoData.logins {
            lines.append("  \(login.role): \(login.email) / \(login.password)")
        }
        print(lines.joined(separator: "\n"))
    }
}
