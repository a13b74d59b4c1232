import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The misbehaving servers of `fault_servers.py`, running on loopback for one test.
/// They stop when this value is released (their standard input closes).
public final class FaultServers: @unchecked Sendable {
    public let ports: [String: Int]
    /// The test CA that signed the "soon" and "valid" TLS servers.
    public let caFile: String
    private let process = Process()
    private let input = Pipe()

    public init() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fault_servers.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line says where everything listens; reading it waits until they all do.
        var line = Data()
        let handle = output.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { throw SupportError("fault_servers.py exited before it was ready (needs python3-cryptography)") }
            line.append(chunk)
        }
        struct Ready: Decodable { let ports: [String: Int]; let ca_file: String }
        let ready = try JSONDecoder().decode(Ready.self, from: line.prefix { $0 != UInt8(ascii: "\n") })
        ports = ready.ports
        caFile = ready.ca_file
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
    }

    public func port(_ name: String) -> Int { ports[name] ?? 0 }
    public func url(_ name: String, _ path: String = "/", scheme: String = "http") -> String { "\(scheme)://127.0.0.1:\(port(name))\(path)" }

    /// Switches what "/" on the http server answers: "ok", "fail" (503) or "fail-once".
    public func setMode(_ mode: String) throws {
        let url = URL(string: self.url("http", "/mode/\(mode)"))!
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        URLSession.shared.dataTask(with: request) { _, _, error in
            failure = error
            done.signal()
        }.resume()
        done.wait()
        if let failure { throw failure }
    }
}

/// A test set-up failure, in words.
public struct SupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, checking often, for at most `limit`: tests wait for what
/// they expect, never for a fixed time.
public func eventually(within limit: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while clock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// Runs blocking work (reading a child's pipe, waiting for a process) on a thread of its own:
/// blocking the few threads of Swift's cooperative pool would stall every other test.
public func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

extension FaultServers {
    /// Starts the servers without blocking the caller's thread.
    public static func start() async throws -> FaultServers {
        try await offloaded { try FaultServers() }
    }

    /// `setMode` without blocking the caller's thread.
    public func switchTo(_ mode: String) async throws {
        try await offloaded { try self.setMode(mode) }
    }
}

extension FaultServers {
    /// One set of servers for a whole suite that only reads from them.
    public static func shared() async throws -> FaultServers {
        try await SharedServers.instance.get()
    }
}

private actor SharedServers {
    static let instance = SharedServers()
    private var servers: FaultServers?

    func get() async throws -> FaultServers {
        if let servers { return servers }
        let started = try await FaultServers.start()
        servers = started
        return started
    }
}
