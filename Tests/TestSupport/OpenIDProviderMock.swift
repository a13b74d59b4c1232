import Foundation

/// A real OpenID Connect provider on loopback for one test (`oidc_provider.py`, running
/// oidc-provider-mock from the venv that `scripts/install-deps test` makes in .build/pyvenv).
/// Any client id and secret are accepted; nonces are required. It stops when released.
public final class OpenIDProviderMock: @unchecked Sendable {
    public let port: Int
    private let process = Process()
    private let input = Pipe()
    private let folder: URL

    /// The venv's interpreter: STATUSD_OIDC_PYTHON, or .build/pyvenv/bin/python3 of this package.
    public static var python: String {
        if let python = ProcessInfo.processInfo.environment["STATUSD_OIDC_PYTHON"], !python.isEmpty { return python }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../.build/pyvenv/bin/python3").standardized.path
    }

    public init() async throws {
        let python = Self.python
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw SupportError("no Python venv at \(python): run scripts/install-deps test (it installs oidc-provider-mock)")
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-oidc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("oidc_provider.py").path
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        let log = folder.appendingPathComponent("provider.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let replies = LineReader(output.fileHandleForReading)
        struct Ready: Decodable { let port: Int }
        do {
            // The script answers once its own discovery document answers: ready, without a sleep.
            port = try JSONDecoder().decode(Ready.self, from: try await offloaded { try replies.readLine() }).port
        } catch {
            let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw SupportError("oidc_provider.py did not start (is oidc-provider-mock in \(python)'s venv?): \(error)\n\(said.suffix(2000))")
        }
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
        try? FileManager.default.removeItem(at: folder)
    }

    /// `http://127.0.0.1:PORT`: the issuer its discovery document and ID tokens name.
    public var issuer: String { "http://127.0.0.1:\(port)" }

    /// `PUT /users/{sub}`: what the ID tokens say about `sub` from now on.
    public func userURL(subject: String) -> String {
        "\(issuer)/users/\(subject.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? subject)"
    }

    /// What the provider logged so far (for a failing test's message).
    public var log: String {
        (try? String(contentsOf: folder.appendingPathComponent("provider.log"), encoding: .utf8)) ?? ""
    }
}
