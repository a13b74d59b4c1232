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
    private var cancelled: [Transfer] = []
    private var cancelAllRequested = false
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
        // The thread holds the loop only weakly between turns: once nobody else holds it, the
        // thread ends within a poll (1 s) and deinit frees everything.
        let thread = Thread { [weak self] in
            while let loop = self, loop.turn() {}
        }
        thread.name = "statusd-curl"
        self.thread = thread
        thread.start()
    }

    deinit {
        for (handle, transfer) in active {
            curl_multi_remove_handle(multi, handle)
            curl_easy_cleanup(handle)
            transfer.finish(with: .cancelled)
        }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        curl_multi_cleanup(multi)
    }

    /// Runs one transfer; never throws: a failure comes back as a response with its code.
    /// Cancelling the task stops the transfer at once (code `CurlCode.cancelled`).
    public func perform(_ request: CurlRequest) async -> CurlResponse {
        let slot = TransferSlot()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                slot.transfer = start(request) { continuation.resume(returning: $0) }
                if Task.isCancelled, let transfer = slot.transfer { cancel(transfer) }
            }
        } onCancel: {
            if let transfer = slot.transfer { cancel(transfer) }
        }
    }

    /// Starts a transfer without waiting: `completion` runs once, on the loop thread, when it
    /// ends. It must be quick and never block: every other transfer waits for it. This is the
    /// path for high volumes: no task and no thread hop per transfer.
    @discardableResult
    public func start(_ request: CurlRequest, completion: @escaping @Sendable (CurlResponse) -> Void) -> CurlTransfer {
        let transfer = Transfer(request: request, completion: completion)
        lock.lock()
        let refused = stopping
        if !refused { pending.append(transfer) }
        lock.unlock()
        if refused {
            transfer.finish(with: .cancelled)
        } else {
            curl_multi_wakeup(multi)
        }
        return CurlTransfer(transfer: transfer)
    }

    /// Stops a transfer at once; its completion gets `CurlCode.cancelled` (unless it already ended).
    public func cancel(_ handle: CurlTransfer) {
        lock.lock()
        cancelled.append(handle.transfer)
        lock.unlock()
        curl_multi_wakeup(multi)
    }

    /// Stops every transfer queued or running; each completion gets `CurlCode.cancelled`.
    public func cancelAll() {
        lock.lock()
        cancelAllRequested = true
        lock.unlock()
        curl_multi_wakeup(multi)
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

    /// One turn of the loop; false once shut down with nothing left in flight.
    private func turn() -> Bool {
        do {
            lock.lock()
            let arrivals = pending
            pending.removeAll(keepingCapacity: true)
            var withdrawn = cancelled
            cancelled.removeAll()
            let withdrawAll = cancelAllRequested
            cancelAllRequested = false
            let stop = stopping
            lock.unlock()
            for transfer in arrivals { start(transfer) }
            if withdrawAll { withdrawn = Array(active.values) }
            for transfer in withdrawn { withdraw(transfer) }
            if stop && active.isEmpty { return false }

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
        return true
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

    private func withdraw(_ transfer: Transfer) {
        guard let handle = active.first(where: { $0.value === transfer })?.key else { return }
        curl_multi_remove_handle(multi, handle)
        active[handle] = nil
        curl_easy_reset(handle)
        idleHandles.append(handle)
        transfer.finish(with: .cancelled)
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

/// A transfer in flight, to cancel it.
public struct CurlTransfer: @unchecked Sendable {
    let transfer: Transfer
}

/// Hands the transfer created inside the continuation to the cancellation handler.
private final class TransferSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: CurlTransfer?

    var transfer: CurlTransfer? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

extension CurlResponse {
    static let cancelled = CurlResponse(code: CurlCode.cancelled, errorMessage: "cancelled", status: 0, body: [], timings: CurlTimings())
}

/// `curl_global_init` once per process, before any handle.
enum CurlGlobal {
    private static let done: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        return true
    }()

    static func initialise() { _ = done }
}
