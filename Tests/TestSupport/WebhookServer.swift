import Foundation

/// A real HTTP server on loopback (`webhook_server.py`) that receives webhooks for one test: it
/// keeps every request and answers each path as the test says. It stops when released.
public final class WebhookServer: @unchecked Sendable {
    public let port: Int
    private let process = Process()
    private let input = Pipe()
    private let replies: LineReader

    public init() async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("webhook_server.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let replies = LineReader(output.fileHandleForReading)
        struct Ready: Decodable { let port: Int }
        do {
            port = try JSONDecoder().decode(Ready.self, from: try await offloaded { try replies.readLine() }).port
        } catch {
            throw SupportError("webhook_server.py did not start: \(error)")
        }
        self.replies = replies
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
    }

    /// `http://127.0.0.1:PORT` and `path`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// `path` answers these codes in turn; the last one repeats.
    public func answer(_ path: String, with statuses: [Int]) async throws {
        _ = try await command(["do": "answer", "path": path, "statuses": statuses])
    }

    /// `path` answers `status` with a Location header.
    public func redirect(_ path: String, to location: String, status: Int = 302) async throws {
        _ = try await command(["do": "redirect", "path": path, "status": status, "location": location])
    }

    /// Every request received so far, in order.
    public func requests() async throws -> [ReceivedRequest] {
        struct Reply: Decodable { let requests: [ReceivedRequest] }
        return try JSONDecoder().decode(Reply.self, from: try await command(["do": "requests"])).requests
    }

    private func command(_ object: [String: any Sendable]) async throws -> Data {
        let line = try JSONSerialization.data(withJSONObject: object) + [UInt8(ascii: "\n")]
        let (input, replies) = (input, replies)
        return try await offloaded {
            try replies.withLock {
                try input.fileHandleForWriting.write(contentsOf: line)
                return try replies.readLine()
            }
        }
    }
}

/// One HTTP request as the server received it.
public struct ReceivedRequest: Decodable, Sendable {
    public let method: String
    public let path: String
    /// Lower-case names.
    public let headers: [String: String]
    public let body: String
}
