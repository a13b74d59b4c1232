import ArgumentParser
import Foundation
import Logging
import Portal
import StatusModel

/// `statusd import tickets FILE`: the old support portal's history.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import data from another portal.",
                                                    subcommands: [Tickets.self])

    /// Imports a CSV or JSON-lines file of tickets; a second run of the same file adds nothing.
    /// The exit status is non-zero only when the file (or the config, or the database) cannot
    /// be read at all: refused rows are reported on stderr, with their line, and the others imported.
    struct Tickets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tickets",
            abstract: "Import tickets of the old portal (CSV with a header row, or JSON lines); see docs/import-tickets.md.",
            discussion: "Prints \"N added, M already there, K rejected\"; each rejected row goes to stderr with its line and reason.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "The .csv, .jsonl or .ndjson file (attachment paths are relative to its folder).") var file: String
        @Option(help: "csv or jsonl (by default from the extension, else from the content).") var format: String?
        @Option(help: .hidden) var batchSize = 500

        func run() async throws {
            let logger = Logger(label: "statusd")
            let config = try ConfigLoading.loadOrRefuse(options, logger: logger)
            let chosenFormat: TicketFileReader.Format?
            switch format?.lowercased() {
            case nil: chosenFormat = nil
            case "csv": chosenFormat = .csv
            case "jsonl", "ndjson", "json": chosenFormat = .jsonLines
            case let other?: throw ValidationError("--format: expected csv or jsonl, got \"\(other)\"")
            }
            let database = try StatusdApp.openDatabase(config: config)
            let accounts = SQLiteAccountStore(database: database)
            let url = URL(fileURLWithPath: file)
            let rules = try await TicketImporter.rules(accounts: accounts, timeZone: config.timeZone)
            var reader: TicketFileReader
            do {
                reader = try TicketFileReader(url: url, rules: rules, format: chosenFormat)
            } catch let problem as TicketFileReader.FileProblem {
                Self.fail("\(file): \(problem)")
            }
            let importer = TicketImporter(store: SQLiteTicketStore(database: database), accounts: accounts,
                                          intake: try StatusdApp.attachmentIntake(config: config, logger: logger), batchSize: batchSize)
            let progress = ImportProgress(terminal: isatty(STDOUT_FILENO) == 1)
            let report: TicketImporter.Report
            do {
                report = try await importer.run(&reader, folder: url.deletingLastPathComponent(), progress: { progress.show($0) },
                                                rejected: { progress.reject($0) })
            } catch let problem as TicketFileReader.FileProblem {
                progress.finish()
                Self.fail("\(file): \(problem) (the tickets before it were imported; run again once it is readable)")
            }
            progress.finish()
            print(Self.summary(report))
        }

        static func summary(_ report: TicketImporter.Report) -> String {
            var line = "\(report.added) added, \(report.alreadyThere) already there, \(report.rejected) rejected."
            if report.contactsCreated > 0 {
                line += "\n\(report.contactsCreated) contacts had no account: each has a pending one now, a member of its customer account (no mail was sent)."
            }
            if report.attachments > 0 { line += "\n\(report.attachments) attachments taken." }
            return line
        }

        static func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("statusd: \(message)\n".utf8))
            Foundation.exit(1)
        }
    }
}

/// The progress of an import: a bar redrawn in place on a terminal, a plain line every few
/// seconds otherwise (a log file, a pipe); refused rows on stderr as they are found.
final class ImportProgress {
    private let terminal: Bool
    private let started = Date()
    private var lastLine = Date.distantPast
    private var drawn = false

    init(terminal: Bool) {
        self.terminal = terminal
    }

    func show(_ report: TicketImporter.Report) {
        let now = Date()
        let fraction = report.totalBytes.map { $0 > 0 ? min(1, Double(report.bytesRead) / Double($0)) : 1 }
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Int(Double(report.rows) / elapsed)
        let counts = "\(report.rows) rows, \(report.added) added, \(report.alreadyThere) already there, \(report.rejected) rejected, \(rate)/s"
        if terminal {
            guard now.timeIntervalSince(lastLine) >= 0.1 || fraction == 1 else { return }
            lastLine = now
            let width = 30
            let filled = Int((fraction ?? 0) * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let percent = fraction.map { " \(Int($0 * 100))%" } ?? ""
            FileHandle.standardOutput.write(Data("\r\u{1B}[K[\(bar)]\(percent) \(counts)".utf8))
            drawn = true
        } else {
            guard now.timeIntervalSince(lastLine) >= 5 else { return }
            lastLine = now
            let percent = fraction.map { " (\(Int($0 * 100))% of the file)" } ?? ""
            FileHandle.standardOutput.write(Data("import: \(counts)\(percent)\n".utf8))
        }
    }

    func reject(_ rejection: TicketImportRejection) {
        // Off the bar's line first, so the report reads cleanly on a terminal.
        if drawn {
            FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
            drawn = false
        }
        FileHandle.standardError.write(Data("rejected: \(rejection)\n".utf8))
    }

    func finish() {
        if drawn { FileHandle.standardOutput.write(Data("\n".utf8)) }
        drawn = false
    }
}
