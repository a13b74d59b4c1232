import Curl
import Foundation
import Logging
import ServiceLifecycle
import StatusModel
import Synchronization

/// A probe worker for one region: runs the checks, writes results in batches, confirms state
/// changes, and opens or closes the products' probe episodes. A `Service`: stops on SIGTERM,
/// writing every result it has before it returns.
public final class ProbeWorker<Store: StatusStore>: Service, Sendable {
    private let checks: [Check]
    private let store: Store
    private let region: String
    private let maxInFlight: Int
    private let runner: CheckRunner
    private let writer: ResultWriter
    private let metrics: ProbeMetrics
    private let productNames: [String: String]
    private let logger: Logger
    private let observer: ProbeObserver
    private let spreadFirstRuns: Bool
    private let confirmations = Mutex<[String: StateConfirmation]>([:])
    /// The condition each check's open episode says, so only changes touch the store.
    private let episodeConditions = Mutex<[String: Condition]>([:])

    public init(checks: [Check], productNames: [String: String], store: Store, region: String, curl: CurlMulti,
                maxInFlight: Int = 64, metrics: ProbeMetrics = ProbeMetrics(), observer: ProbeObserver = ProbeObserver(),
                spreadFirstRuns: Bool = true, logger: Logger) {
        self.observer = observer
        self.spreadFirstRuns = spreadFirstRuns
        self.checks = checks.filter { $0.regions.contains(region) }
        self.productNames = productNames
        self.store = store
        self.region = region
        self.maxInFlight = maxInFlight
        self.runner = CheckRunner(curl: curl, heartbeats: store, region: region)
        self.writer = ResultWriter(store: store, logger: logger)
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        try await resumeConfirmedStates()
        logger.info("probe worker started", metadata: ["region": "\(region)", "checks": "\(checks.count)"])
        let scheduler = ProbeScheduler(
            jobs: checks.map { ($0, spreadFirstRuns ? $0.interval : .zero) }, maxInFlight: maxInFlight,
            onLag: { [metrics, observer] in
                metrics.recordLag($0)
                observer.lag?($0)
            },
            execute: { [self] check in await probe(check) }
        )
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.writer.run() }
                group.addTask { await scheduler.run() }
            }
        }
        await writer.flush()
        logger.info("probe worker stopped", metadata: ["region": "\(region)"])
    }

    /// After a restart, states confirmed before it stay confirmed: no episode is opened twice.
    private func resumeConfirmedStates() async throws {
        for check in checks {
            if let mine = try await store.regionStates(checkID: check.id).first(where: { $0.region == region }) {
                confirmations.withLock { $0[check.id] = StateConfirmation(confirmed: mine.outcome) }
            }
        }
        let open = try await store.openProbeEpisodes()
        episodeConditions.withLock { conditions in
            for episode in open { conditions[episode.source] = max(conditions[episode.source] ?? .operational, episode.condition) }
        }
    }

    /// One run of one check; returns the delay before the next.
    func probe(_ check: Check) async -> Duration {
        let result = await runner.run(check)
        // Cancelled by shutdown: what it saw is not the target's doing.
        guard !Task.isCancelled else { return check.interval }
        await writer.add(result)
        metrics.record(result)
        observer.result?(result)
        let (change, confirming) = confirmations.withLock { all -> ((CheckResult.Outcome, Date)?, Bool) in
            var confirmation = all[check.id] ?? StateConfirmation()
            let changed = confirmation.observe(result.outcome, at: result.time, failAfter: check.failAfter, recoverAfter: check.recoverAfter)
            let since = confirmation.streakStart ?? result.time
            if changed != nil { confirmation.settle() }
            all[check.id] = confirmation
            return (changed.map { ($0, since) }, confirmation.isConfirming)
        }
        if let (outcome, since) = change {
            await confirm(check, outcome: outcome, since: since, reason: result.reason)
        }
        return confirming ? check.effectiveRetryInterval : check.interval
    }

    private func confirm(_ check: Check, outcome: CheckResult.Outcome, since: Date, reason: String?) async {
        do {
            try await store.setRegionState(RegionState(checkID: check.id, region: region, outcome: outcome, reason: reason, since: since))
            let states = try await store.regionStates(checkID: check.id).filter { check.regions.contains($0.region) }.map(\.outcome)
            let condition = RegionQuorum.condition(of: states, quorum: check.effectiveQuorum)
            let previous = episodeConditions.withLock { $0[check.id] ?? .operational }
            guard condition != previous else { return }
            if previous != .operational {
                try await store.closeEpisode(productSlug: check.productSlug, cause: .probe, source: check.id, at: since)
            }
            if condition != .operational {
                try await store.openEpisode(Episode(productSlug: check.productSlug, condition: condition, cause: .probe,
                                                    source: check.id, start: since))
            }
            episodeConditions.withLock { $0[check.id] = condition }
            let product = productNames[check.productSlug] ?? check.productSlug
            let words = reason.map { ProbeFailure(code: $0).sentence("en") } ?? "answering"
            logger.notice("\(product): \(check.id) is now \(condition.rawValue) (\(condition == .operational ? "recovered" : words))",
                          metadata: ["region": "\(region)", "since": "\(since)"])
        } catch {
            logger.error("could not record a confirmed state change", metadata: ["check": "\(check.id)", "error": "\(error)"])
        }
    }
}

/// Hooks for measuring a worker from outside (the benchmark): each result and each dispatch lag.
public struct ProbeObserver: Sendable {
    public var result: (@Sendable (CheckResult) -> Void)?
    public var lag: (@Sendable (Duration) -> Void)?

    public init(result: (@Sendable (CheckResult) -> Void)? = nil, lag: (@Sendable (Duration) -> Void)? = nil) {
        self.result = result
        self.lag = lag
    }
}
