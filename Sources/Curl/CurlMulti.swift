import CCurl
import Foundation

/// One libcurl multi loop on its own thread, running many transfers at once behind an async API.
///
/// Every easy handle is touched by the loop thread only; callers hand requests over through a
/// locked queue and `curl_multi_wakeup`. Easy handles are reset and reused between transfers.
public final class CurlMulti: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var pending: [Transfer] = []
    private var stopping = false
    private var thread: Thread?
    // Loop-thread state.
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    /// - Parameter maxHostConnections: 0 for no limit.
    public init(maxHostConnections: Int = 0) {
        CurlGlobal.initialise()
        guard let multi = curl_multi_init() else { preconditionFailure("curl_multi_init failed: out of memory") }
        self.multi = multi
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxHostConnections)
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "statusd-curl"
        self.thread = thread
        thread.start()
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Runs one transfer; never throws: a failure comes back as a response with its code.
    public func perform(_ request: CurlRequest) async -> CurlResponse {
        await withCheckedContinuation { continuation in
            let transfer = Transfer(request: request, continuation: continuation)
            lock.lock()
            let refused = stopping
            if !refused { pending.append(transfer) }
            lock.unlock()
            if refused {
                transfer.finish(with: CurlResponse(code: -1, errorMessage: "shutting down", status: 0, body: [], timings: CurlTimings()))
            } else {
                curl_multi_wakeup(multi)
            }
        }
    }

    /// Lets transfers in flight finish (each within its own timeout), then stops the loop.
    public func shutdown() {
        lock.lock()
        stopping = true
        lock.unlock()
        curl_multi_wakeup(multi)
    }

    /// How many transfers are queued or running.
    public var inFlight: Int {
        lock.lock()
        defer { lock.unlock() }
        return pending.count + activeCount
    }

    private var activeCount = 0

    // MARK: The loop thread

    private func loop() {
        while true {
            lock.lock()
            let arrivals = pending
            pending.removeAll(keepingCapacity: true)
            let stop = stopping
            lock.unlock()
            for transfer in arrivals { start(transfer) }
            if stop && active.isEmpty { break }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
                complete(handle: handle, code: ccurl_message_result(message))
            }
            lock.lock()
            activeCount = active.count
            lock.unlock()
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles.removeAll()
    }

    private func start(_ transfer: Transfer) {
        let handle: UnsafeMutableRawPointer
        if let reused = idleHandles.popLast() {
            handle = reused
        } else if let fresh = curl_easy_init() {
            handle = fresh
        } else {
            transfer.finish(with: CurlResponse(code: -1, errorMessage: "curl_easy_init failed", status: 0, body: [], timings: CurlTimings()))
            return
        }
        transfer.configure(handle)
        active[handle] = transfer
        curl_multi_add_handle(multi, handle)
    }

    private func complete(handle: UnsafeMutableRawPointer, code: CURLcode) {
        curl_multi_remove_handle(multi, handle)
        guard let transfer = active.removeValue(forKey: handle) else { return }
        let response = transfer.response(handle: handle, code: code)
        curl_easy_reset(handle)
        idleHandles.append(handle)
        transfer.finish(with: response)
    }
}

/// `curl_global_init` once per process, before any handle.
enum CurlGlobal {
    private static let done: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        return true
    }()

    static func initialise() { _ = done }
}
