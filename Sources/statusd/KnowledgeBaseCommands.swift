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
            let config = try ConfigLoading.loadOrRefuse(options, logger: Logger(label: "statusd"))
            let database = try StatusdApp.openDatabase(config: config)
            let folder = URL(fileURLWithPath: directory, isDirectory: true)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("\(directory) is not a folder")
            }
            let terminal = isatty(STDOUT_FILENO) == 1
            let report = try await StatusdApp.articleImporter(config: config, database: database)
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

/// Takes attachments of imported articles until the blob store's intake is wired here: keeps
/// their SHA-256, size and text (pdftotext for PDF, the bytes for text and Markdown); the bytes
/// themselves are not stored yet.
struct InterimAttachmentIntake: AttachmentIntake {
    func take(file: URL, fileName: String) async throws -> TakenAttachment {
        let data = try Data(contentsOf: file)
        guard !data.isEmpty else { throw AttachmentRefusal.empty }
        let isPDF = data.starts(with: Data("%PDF-".utf8))
        let lower = fileName.lowercased()
        guard isPDF || lower.hasSuffix(".txt") || lower.hasSuffix(".md") else { throw AttachmentRefusal.typeNotAllowed(found: "application/octet-stream") }
        let text = isPDF ? Self.pdfText(file) : String(decoding: data, as: UTF8.self)
        return TakenAttachment(fileName: fileName, blob: BlobReference(sha256: Self.sha256(data), size: Int64(data.count),
                                                                       contentType: isPDF ? "application/pdf" : "text/plain"), text: text)
    }

    static func sha256(_ data: Data) -> String {
        StatusdApp.sha256Hex(data)
    }

    /// pdftotext's reading of the file (Debian's poppler-utils); empty when it is missing or fails.
    static func pdfText(_ file: URL) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-q", "-enc", "UTF-8", file.path, "-"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : ""
    }
}
