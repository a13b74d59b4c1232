import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The text of a PDF, for the search index, through poppler's `pdftotext` (Debian's
/// poppler-utils). A PDF comes from whoever uploads it, so the program runs in a process of its
/// own, on a thread of its own (never one of Swift concurrency's few), killed past `timeout`
/// or once it has written `maxOutputBytes`: a hostile file costs a few seconds, never a hang.
public struct PDFTextExtractor: Sendable {
    /// How an extraction ended.
    public enum Outcome: Sendable, Hashable {
        case complete
        /// The text reached `maxOutputBytes`: what came before is kept.
        case truncated
        /// Killed after `timeout`: what it wrote before is kept.
        case timedOut
        /// pdftotext could not read the file (a broken PDF), or could not be started.
        case failed
    }

    public let executable: URL
    public var timeout: Duration
    public var maxOutputBytes: Int

    public init(executable: URL, timeout: Duration = .seconds(15), maxOutputBytes: Int = 1 << 20) {
        self.executable = executable
        self.timeout = timeout
        self.maxOutputBytes = maxOutputBytes
    }

    /// pdftotext from the PATH (or /usr/bin), or nil when it is not installed.
    public static func installed(timeout: Duration = .seconds(15), maxOutputBytes: Int = 1 << 20,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) -> PDFTextExtractor? {
        let folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent("pdftotext")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return PDFTextExtractor(executable: candidate, timeout: timeout, maxOutputBytes: maxOutputBytes)
            }
        }
        return nil
    }

    /// The text pdftotext found (possibly partial) and how it ended; never throws, since a PDF
    /// without readable text is still a PDF worth keeping.
    public func text(of file: URL) async -> (text: String, outcome: Outcome) {
        await withCheckedContinuation { continuation in
            let run = self.run
            let thread = Thread { continuation.resume(returning: run(file)) }
            thread.name = "pdftotext"
            thread.start()
        }
    }

    /// Blocking: runs on its own thread.
    private func run(_ file: URL) -> (text: String, outcome: Outcome) {
        let process = Process()
        process.executableURL = executable
        // "-" writes to stdout; -q keeps warnings about damaged files out of our log.
        process.arguments = ["-q", "-enc", "UTF-8", "-nopgbrk", file.path, "-"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return ("", .failed)
        }
        let watchdog = Watchdog(pid: process.processIdentifier)
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { watchdog.expire() }

        var bytes = Data()
        var truncated = false
        let reader = output.fileHandleForReading
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            bytes.append(chunk.prefix(maxOutputBytes - bytes.count))
            if bytes.count >= maxOutputBytes {
                truncated = true
                watchdog.stop()
                break
            }
        }
        try? reader.close()
        process.waitUntilExit()
        let timedOut = watchdog.finish()
        let text = Self.decode(bytes)
        if timedOut { return (text, .timedOut) }
        if truncated { return (text, .truncated) }
        return process.terminationStatus == 0 ? (text, .complete) : (text, .failed)
    }

    /// UTF-8, the last character dropped when the cap cut it in half.
    static func decode(_ bytes: Data) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        while text.last == "\u{FFFD}" { text.removeLast() }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Kills the child once, either when the deadline passes or when the reader has read enough,
/// and never after the child was waited for (its pid could then belong to another process).
private final class Watchdog: Sendable {
    private struct State {
        var exited = false
        var killed = false
        var timedOut = false
    }

    private let pid: Int32
    private let state = Mutex(State())

    init(pid: Int32) { self.pid = pid }

    func expire() {
        state.withLock { state in
            guard !state.exited, !state.killed else { return }
            state.killed = true
            state.timedOut = true
            kill(pid, SIGKILL)
        }
    }

    func stop() {
        state.withLock { state in
            guard !state.exited, !state.killed else { return }
            state.killed = true
            kill(pid, SIGKILL)
        }
    }

    /// Called after the child was waited for; true when the deadline killed it.
    func finish() -> Bool {
        state.withLock { state in
            state.exited = true
            return state.timedOut
        }
    }
}
