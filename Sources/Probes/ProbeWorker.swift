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
    /// Set on shutdown: results of runs cut short by it are not the targets' doing.
    private let stopping = Mutex(false)
    /// The last store update started for each check's confirmed changes.
    private let pendingChanges = Mutex<[String: Task<Void, Never>]>([:])
    private let curl: CurlMulti
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
        self.curl = curl
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
            start: { [self] check, done in probe(check, done: done) }
        )
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.writer.run() }
                group.addTask { await scheduler.run() }
            }
        }
        stopping.withLock { $0 = true }
        curl.cancelAll()
        for change in pendingChanges.withLock({ Array($0.values) }) { await change.value }
        await writer.flushIgnoringCancellation()
        logger.info("probe worker stopped", metadata: ["region": "\(region)"])
    }

    /// After a restart, states confirmed before it stay confirmed: no episode is opened twice.
    private func resumeConfirmedStates() async throws {
        let mine = try await store.regionStates(region: region)
        confirmations.withLock { confirmations in
            for state in mine { confirmations[state.checkID] = StateConfirmation(confirmed: state.outcome) }
        }
        let open = try await store.openProbeEpisodes()
        episodeConditions.withLock { conditions in
            for episode in open { conditions[episode.source] = max(conditions[episode.source] ?? .operational, episode.condition) }
        }
    }

    /// Starts one run of one check; `done` gets the delay before the next.
    func probe(_ check: Check, done: @escaping @Sendable (Duration) -> Void) {
        guard !stopping.withLock({ $0 }) else { return done(check.interval) }
        _ = runner.start(check) { [self] result in done(record(result, of: check)) }
    }

    /// Takes one result in: queued for the store, counted, and confirmed. Runs on the curl loop
    /// thread, so it only takes locks briefly; store updates of a confirmed change go to a task.
    private func record(_ result: CheckResult, of check: Check) -> Duration {
        guard !stopping.withLock({ $0 }) else { return check.interval }
        writer.add(result)
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
            // Changes of one check are applied in order: each waits for the one before.
            let previous = pendingChanges.withLock { $0[check.id] }
            let task = Task { [self] in
                await previous?.value
                await confirm(check, outcome: outcome, since: since, reason: result.reason)
            }
            pendingChanges.withLock { $0[check.id] = task }
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
            try await announce(check, product: product, condition: condition, reason: reason, since: since)
            logger.notice("\(product): \(check.id) is now \(condition.rawValue) (\(condition == .operational ? "recovered" : words))",
                          metadata: ["region": "\(region)", "since": "\(since)"])
        } catch {
            logger.error("could not record a confirmed state change", metadata: ["check": "\(check.id)", "error": "\(error)"])
        }
    }
}

extension ProbeWorker {
    /// A confirmed outage opens an incident subscribers hear about, titled with the check's
    /// reason; when no check of the product is down any more, the probes resolve it. Titles
    /// are in French, the portal's language: operators may edit them.
    func announce(_ check: Check, product: String, condition: Condition, reason: String?, since: Date) async throws {
        if condition == .outage {
            let words = reason.map { ProbeFailure(code: $0).sentence("fr") } ?? "indisponible"
            try await store.openProbeIncident(productSlug: check.productSlug, title: "\(product) : \(words)",
                                              message: "Les sondes confirment une panne de \(product) (\(words)). Nos équipes analysent.",
                                              reason: reason, at: since)
        } else {
            let stillDown = try await store.openProbeEpisodes().contains { $0.productSlug == check.productSlug && $0.condition == .outage }
            guard !stillDown else { return }
            try await store.resolveProbeIncident(productSlug: check.productSlug,
                                                 message: "Les sondes confirment le retour à la normale de \(product).", at: since)
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
