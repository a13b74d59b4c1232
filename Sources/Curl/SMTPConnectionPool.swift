import CCurl
import Synchronization

/// Easy handles kept between sends, each with its connection to the mail server still open:
/// the next mail on it starts at MAIL FROM, without a new connection, EHLO, STARTTLS or login.
/// Only a handle whose send succeeded comes back; any failure closes its connection, so a
/// server that went down or reset a session is met with a fresh one.
final class SMTPConnectionPool: Sendable {
    /// Idle connections kept at most: about the sends a delivery runs at once.
    let capacity: Int
    private let idle: Mutex<[IdleHandle]>

    /// libcurl handles are used by one thread at a time: the pool hands each to one send.
    private struct IdleHandle: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    init(capacity: Int) {
        self.capacity = capacity
        self.idle = Mutex([])
    }

    deinit {
        // Closing sends QUIT: the server sees a clean end of each session.
        idle.withLock { handles in
            for handle in handles { curl_easy_cleanup(handle.pointer) }
            handles.removeAll()
        }
    }

    /// An idle handle (with its open connection), or a new one; nil when libcurl is out of memory.
    func take() -> UnsafeMutableRawPointer? {
        if let handle = idle.withLock({ $0.popLast() }) { return handle.pointer }
        CurlGlobal.initialise()
        return curl_easy_init()
    }

    /// Keeps `handle` for the next send when it is `reusable` and there is room; closes it otherwise.
    func giveBack(_ handle: UnsafeMutableRawPointer, reusable: Bool) {
        // Options (and pointers into the finished send) go; the connection stays.
        curl_easy_reset(handle)
        let kept = reusable && idle.withLock { handles in
            guard handles.count < capacity else { return false }
            handles.append(IdleHandle(pointer: handle))
            return true
        }
        if !kept { curl_easy_cleanup(handle) }
    }
}
