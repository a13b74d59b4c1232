import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StatusModel
import TestSupport
import Testing

/// The `statusd` binary built next to the tests, run as a child process.
struct StatusdBinary {
    static var url: URL {
        // The test bundle and the executable are built in the same products folder.
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("statusd")
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `run` on a thread of its own, so the test's thread is not blocked while statusd works.
    static func runAsync(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await offloaded { try run(arguments, environment: environment) }
    }

    /// Starts statusd in the background, its output discarded.
    static func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs statusd to completion and returns its exit status and both outputs.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}

/// A scratch folder with a config file and a database path, removed at the end.
struct Workspace: ~Copyable {
    let folder: URL
    var configPath: String { folder.appendingPathComponent("statusd.yaml").path }
    var databasePath: String { folder.appendingPathComponent("data/statusd.sqlite").path }

    init(config: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try config.replacingOccurrences(of: "$DATABASE", with: databasePath)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}

/// A running `statusd serve`, on a port the system picked.
final class RunningServer: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private(set) var baseURL = ""
    private(set) var stderrPath: String

    init(configPath: String, stderrPath: String, environment: [String: String] = ["STATUSD_LISTEN": "127.0.0.1:0"]) throws {
        self.stderrPath = stderrPath
        process.executableURL = StatusdBinary.url
        process.arguments = ["serve", "--config", configPath]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
        baseURL = try waitForAddress()
    }

    /// Reads stdout until the server says where it listens (at most 60 s, as the first start may be slow).
    private func waitForAddress() throws -> String {
        let deadline = Date().addingTimeInterval(60)
        var seen = ""
        let handle = output.fileHandleForReading
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty {
                guard process.isRunning else { break }
                continue
            }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: "listening on ") {
                let rest = seen[range.upperBound...]
                if let end = rest.firstIndex(of: "\n") { return String(rest[..<end]) }
            }
        }
        let log = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        throw ServerError(message: "statusd did not say where it listens; stdout: \(seen) stderr: \(log)")
    }

    /// Sends a signal and waits for the process to end, at most `limit`; returns how long it took.
    func stop(signal: Int32 = SIGTERM, limit: TimeInterval = 10) throws -> TimeInterval {
        let start = Date()
        kill(process.processIdentifier, signal)
        while process.isRunning {
            guard Date().timeIntervalSince(start) < limit else {
                // What the server logged last says which service had not stopped yet.
                let log = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
                let tail = log.split(separator: "\n").suffix(15).joined(separator: "\n")
                kill(process.processIdentifier, SIGKILL)
                throw ServerError(message: "statusd still running \(limit) s after signal \(signal); its last log lines:\n\(tail)")
            }
            usleep(20_000)
        }
        return Date().timeIntervalSince(start)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Starts statusd serve and waits, on a thread of its own, until it says where it listens.
    static func start(configPath: String, stderrPath: String, environment: [String: String] = ["STATUSD_LISTEN": "127.0.0.1:0"]) async throws -> RunningServer {
        try await offloaded { try RunningServer(configPath: configPath, stderrPath: stderrPath, environment: environment) }
    }

    /// `stop` without blocking the caller's thread.
    /// Stops the server at the end of a test. ShutdownTests holds it to 10 s, which is what a
    /// user gets; other tests only clean up, so they allow 30 s (a stop took over 10 s three times
    /// this session while the machine was busy, and that is ShutdownTests' finding to make).
    func stopped(signal: Int32 = SIGTERM, limit: TimeInterval = 30) async throws -> TimeInterval {
        try await offloaded { try self.stop(signal: signal, limit: limit) }
    }

    struct ServerError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// Fetches a URL with a plain GET; returns the status and body.
func httpGet(_ url: String) async throws -> (status: Int, body: String) {
    let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: url)))
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

/// Sends an empty POST; returns the status and body.
func httpPost(_ url: String) async throws -> (status: Int, body: String) {
    var request = URLRequest(url: try #require(URL(string: url)))
    request.httpMethod = "POST"
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

extension Workspace {
    /// A port that was free a moment ago, learnt by serving once on port 0: links in mails are
    /// built on `base_url`, which must name the server's port before it starts.
    func freePort() async throws -> String {
        let probe = try await RunningServer.start(configPath: configPath, stderrPath: folder.appendingPathComponent("probe.log").path)
        _ = try await probe.stopped()
        guard let port = probe.baseURL.split(separator: ":").last else { throw CocoaError(.featureUnsupported) }
        return String(port)
    }

    /// A command that prints the last mail an address received on `smtp` (waiting for at least
    /// N of them): the browser walks read their mail where a person would.
    func mailbox(_ smtp: SMTPServer) throws -> String {
        let mailbox = folder.appendingPathComponent("mailbox.sh").path
        let reader = StatusdBinary.repositoryRoot.appendingPathComponent("Tests/Browser/smtp_mail.py").path
        try "#!/bin/sh\nexec /usr/bin/python3 \(reader) \(smtp.mailFolder) \"$1\" \"$2\"\n".write(toFile: mailbox, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: mailbox)
        return mailbox
    }
}
