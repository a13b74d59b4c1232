import ArgumentParser
import Foundation
import Logging
import Portal
import StatusModel

/// `statusd kb import DIR`: loads a folder of Markdown articles into the knowledge base.
struct KnowledgeBaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kb", abstract: "Manage the knowledge base.", subcommands: [Import.self])

    /// Imports a folder; a second run of the same folder changes nothing.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a folder of Markdown articles with YAML front matter; prints the files refused and why.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "The folder of .md files (attachments beside them).") var directory: String

        func run() async throws {
            let logger = Logger(label: "statusd")
            let config = try ConfigLoading.loadOrRefuse(options, logger: logger)
            let database = try StatusdApp.openDatabase(config: config)
            let folder = URL(fileURLWithPath: directory, isDirectory: true)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("\(directory) is not a folder")
            }
            let terminal = isatty(STDOUT_FILENO) == 1
            let report = try await StatusdApp.articleImporter(config: config, database: database, logger: logger)
                .importFolder(folder, at: Date()) { done, total in
                    guard terminal, total > 0 else { return }
                    let width = 30, filled = done * width / total
                    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                    FileHandle.standardOutput.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
                    if done == total { FileHandle.standardOutput.write(Data("\n".utf8)) }
                }
            print(Self.summary(report))
            if !report.rejected.isEmpty { throw ExitCode(1) }
        }

        static func summary(_ report: ArticleImporter.Report) -> String {
            var lines = ["\(report.changed) articles imported or changed, \(report.unchanged) unchanged, \(report.rejected.count) files refused."]
            for rejection in report.rejected { lines.append("  \(rejection.file): \(rejection.reason)") }
            return lines.joined(separator: "\n")
        }
    }
}

