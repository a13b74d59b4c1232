import Foundation
import Logging
import ServiceLifecycle
import StatusModel

/// Deletes raw results past their retention, and day history past its own, once an hour.
public struct RetentionService<Store: ResultStore & HistoryStore>: Service {
    let store: Store
    let calendar: DayCalendar
    let resultDays: Int
    let historyDays: Int
    let every: Duration
    let logger: Logger

    public init(store: Store, calendar: DayCalendar, resultDays: Int, historyDays: Int, every: Duration = .seconds(3600), logger: Logger) {
        self.store = store
        self.calendar = calendar
        self.resultDays = resultDays
        self.historyDays = historyDays
        self.every = every
        self.logger = logger
    }

    public func run() async throws {
        // Graceful shutdown cancels the loop, so SIGTERM never waits for the hour to pass.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await pruneOnce(now: Date())
                try await Task.sleep(for: every)
            }
        }
        // Each service says when it stopped: a slow SIGTERM shows which one held it.
        logger.info("retention stopped")
    }

    /// One pass: raw results older than `resultDays`, rollups and closed episodes older than `historyDays`.
    public func pruneOnce(now: Date) async {
        do {
            let results = try await store.pruneResults(before: now.addingTimeInterval(-Double(resultDays) * 86_400))
            let cutoff = calendar.adding(-historyDays, to: calendar.day(containing: now))
            let history = try await store.pruneHistory(before: cutoff)
            if results + history > 0 {
                logger.info("retention pruned old data", metadata: ["results": "\(results)", "history rows": "\(history)"])
            }
        } catch {
            logger.error("retention could not prune", metadata: ["error": "\(error)"])
        }
    }
}
