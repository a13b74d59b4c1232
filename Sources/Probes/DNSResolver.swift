import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Resolves names with the system resolver (getaddrinfo), off the async threads: the call
/// blocks, so it runs on a Dispatch queue and the caller waits at most `timeout`.
enum DNSResolver {
    enum Answer: Sendable {
        case addresses([String])
        case failed
        case timedOut
    }

    private static let queue = DispatchQueue(label: "statusd.dns", attributes: .concurrent)

    static func resolve(_ name: String, timeout: Duration) async -> Answer {
        let box = AnswerBox()
        return await withCheckedContinuation { continuation in
            box.install(continuation)
            queue.async { box.deliver(lookup(name)) }
            queue.asyncAfter(deadline: .now() + .milliseconds(Int(timeout.seconds * 1000))) { box.deliver(.timedOut) }
        }
    }

    private static func lookup(_ name: String) -> Answer {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0, let first = list else { return .failed }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(text) { addresses.append(text) }
            }
            entry = current.pointee.ai_next
        }
        return addresses.isEmpty ? .failed : .addresses(addresses)
    }

    /// Resumes the continuation once, with whichever answer comes first.
    private final class AnswerBox: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Answer, Never>?
        private var early: Answer?

        func install(_ continuation: CheckedContinuation<Answer, Never>) {
            lock.lock()
            if let early {
                lock.unlock()
                continuation.resume(returning: early)
                return
            }
            self.continuation = continuation
            lock.unlock()
        }

        func deliver(_ answer: Answer) {
            lock.lock()
            guard let continuation else {
                if early == nil { early = answer }
                lock.unlock()
                return
            }
            self.continuation = nil
            early = answer
            lock.unlock()
            continuation.resume(returning: answer)
        }
    }
}
