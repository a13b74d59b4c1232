import Foundation

/// A real SMTP server on loopback (`smtp_server.py`, on aiosmtpd) for one test: it keeps every
/// message it accepts, refuses recipients on demand, and can be stopped and started again on
/// the same port to play a mail server that is down. It stops when this value is released.
///
/// Waiting for the script happens on a thread of its own: Swift concurrency has only as many
/// threads as cores (two here), and tests blocking them would stall every other test.
public final class SMTPServer: @unchecked Sendable {
    public let port: Int
    /// The CA that signed the STARTTLS certificate, when STARTTLS is offered.
    public let caFile: String?
    private let folder: URL
    private let process = Process()
    private let input = Pipe()
    private let replies: LineReader

    /// - Parameters:
    ///   - stopped: choose the port, but do not listen until `start()`.
    ///   - login: "user:password" the server requires.
    ///   - starttls: offer STARTTLS (certificate for 127.0.0.1, signed by `caFile`).
    public init(stopped: Bool = false, login: String? = nil, starttls: Bool = false) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtp_server.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        var arguments = [script, "--folder", folder.path]
        if stopped { arguments.append("--stopped") }
        if let login { arguments += ["--login", login] }
        if starttls { arguments.append("--starttls") }
        process.arguments = arguments
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        let log = folder.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let replies = LineReader(output.fileHandleForReading)
        struct Ready: Decodable { let port: Int; let ca_file: String? }
        let ready: Ready
        do {
            ready = try JSONDecoder().decode(Ready.self, from: try await offloaded { try replies.readLine() })
        } catch {
            throw SupportError("smtp_server.py did not start (needs python3-aiosmtpd): \(error)")
        }
        self.replies = replies
        port = ready.port
        caFile = ready.ca_file
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Where each received message is written as `msg-*.json` (read by the browser walks too).
    public var mailFolder: String { folder.path }

    /// `smtp://127.0.0.1:PORT`.
    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// Listens again on the same port.
    public func start() async throws { try await command(["do": "start"]) }

    /// Stops listening and drops every session: a mail server that is down.
    public func stop() async throws { try await command(["do": "stop"]) }

    /// Recipients matching `pattern` (a regular expression) get `code`: at RCPT TO, or after
    /// the message's data when `afterData`; `times` times, or always when nil.
    public func refuse(recipientsMatching pattern: String, code: Int, times: Int? = nil, afterData: Bool = false) async throws {
        var rule: [String: any Sendable] = ["do": "reject", "pattern": pattern, "code": code, "stage": afterData ? "data" : "rcpt"]
        if let times { rule["times"] = times }
        try await command(rule)
    }

    /// Forgets every refusal rule.
    public func clearRefusals() async throws { try await command(["do": "clear"]) }

    /// SMTP sessions opened so far (EHLO greetings; STARTTLS makes a session greet twice).
    public func sessions() async throws -> Int {
        struct Count: Decodable { let sessions: Int }
        return try JSONDecoder().decode(Count.self, from: try await command(["do": "count"])).sessions
    }

    /// Every message accepted so far, in the order they arrived.
    public func messages() throws -> [ReceivedMail] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("msg-") && $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            try JSONDecoder().decode(ReceivedMail.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
        }
    }

    @discardableResult
    private func command(_ object: [String: any Sendable]) async throws -> Data {
        let line = try JSONSerialization.data(withJSONObject: object) + [UInt8(ascii: "\n")]
        let (input, replies) = (input, replies)
        // The answer comes once the server did it: a stopped server no longer listens.
        return try await offloaded {
            try replies.withLock {
                try input.fileHandleForWriting.write(contentsOf: line)
                return try replies.readLine()
            }
        }
    }
}

/// Reads a pipe line by line, blocking: only ever called on a thread of its own. Shared by the
/// servers of this folder that take commands on standard input.
final class LineReader: @unchecked Sendable {
    private let handle: FileHandle
    private var buffer = Data()
    private let lock = NSLock()

    init(_ handle: FileHandle) {
        self.handle = handle
    }

    /// One command and its answer at a time.
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    func readLine() throws -> Data {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<end]
                buffer = Data(buffer[buffer.index(after: end)...])
                return Data(line)
            }
            let chunk = handle.availableData
            guard !chunk.isEmpty else { throw SupportError("smtp_server.py exited") }
            buffer.append(chunk)
        }
    }
}

/// One message as the SMTP server received it, with Python's own MIME reading of it.
public struct ReceivedMail: Decodable, Sendable {
    public let mailFrom: String
    public let recipients: [String]
    /// The raw message, as sent.
    public let data: String
    /// Whether the session was encrypted (STARTTLS) when the message came.
    public let tls: Bool
    /// The user that logged in, if any.
    public let login: String?
    /// Decoded by Python's email package: the subject, the text and HTML parts, the headers.
    public let subject: String?
    public let text: String?
    public let html: String?
    public let headers: [[String]]
    /// What Python's MIME parser found wrong with the message; empty for a well-formed one.
    public let defects: [String]

    enum CodingKeys: String, CodingKey {
        case mailFrom = "mail_from", recipients = "rcpt_tos", data, tls, login, subject, text, html, headers, defects
    }

    /// The decoded values of every header called `name` (any case).
    public func header(_ name: String) -> [String] {
        headers.filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.last }
    }
}
