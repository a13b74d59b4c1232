import Foundation
import Logging
import StatusModel
import Synchronization

/// Gathers results and writes them in batches: one transaction per batch instead of one per
/// result. `flush()` writes what is waiting; the worker calls it on shutdown.
public final class ResultWriter: Sendable {
    private let store: any ResultStore
    private let batchSize: Int
    private let waiting = Mutex<[CheckResult]>([])
    private let logger: Logger

    public init(store: any ResultStore, batchSize: Int = 500, logger: Logger) {
        self.store = store
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Queues a result without waiting; `run` writes it within its period, sooner when a batch is full.
    public func add(_ result: CheckResult) {
        waiting.withLock { $0.append(result) }
    }

    /// Writes everything waiting. On a failed write the batch is put back for the next try.
    public func flush() async {
        let batch = waiting.withLock { batch -> [CheckResult] in
            defer { batch.removeAll(keepingCapacity: true) }
            return batch
        }
        guard !batch.isEmpty else { return }
        do {
            try await store.record(batch)
        } catch {
            logger.error("could not write check results, will retry", metadata: ["count": "\(batch.count)", "error": "\(error)"])
            waiting.withLock { $0.insert(contentsOf: batch, at: 0) }
        }
    }

    /// Writes at least every `period`, and as soon as a batch is full, until cancelled; then once more.
    public func run(every period: Duration = .seconds(1)) async {
        let clock = ContinuousClock()
        var lastFlush = clock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
            let full = waiting.withLock { $0.count >= batchSize }
            if full || clock.now - lastFlush >= period {
                await flush()
                lastFlush = clock.now
            }
        }
        await flushIgnoringCancellation()
    }

    /// The last write, on shutdown: a cancelled task would have the database refuse it.
    public func flushIgnoringCancellation() async {
        await Task { await self.flush() }.value
    }
}
