import CoreMetrics
import Foundation
import Logging
import ServiceLifecycle

/// Delivers the outbox's webhooks: a loop of its own beside mail delivery (so a slow receiver
/// never holds up mail, and mail in bulk never holds up webhooks), with the same backoff rules:
/// network errors, timeouts, 408, 429 and 5xx are retried after `DeliveryPolicy`'s delays up
/// to `maxAttempts`; any other 4xx, or a target the checks refuse, is a dead letter at once.
/// A `Service`: SIGTERM stops it within a second, and webhooks it was sending stay queued.
public final class WebhookDeliveryService<Store: WebhookOutboxStore>: Service, Sendable {
    private let store: Store
    private let sender: WebhookSender
    private let policy: DeliveryPolicy
    private let now: @Sendable () -> Date
    private let random: @Sendable (ClosedRange<Double>) -> Double
    private let logger: Logger
    private let doorbell = Doorbell()

    /// - Parameters:
    ///   - now: the clock due times are read on; tests move it by hand.
    ///   - random: a number in the range it is given, for the jitter.
    public init(store: Store, sender: WebhookSender, policy: DeliveryPolicy = DeliveryPolicy(),
                now: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) },
                logger: Logger) {
        self.store = store
        self.sender = sender
        self.policy = policy
        self.now = now
        self.random = random
        self.logger = logger
    }

    public func run() async throws {
        logger.info("webhook delivery started", metadata: ["private_targets": "\(sender.policy.allowPrivateTargets)"])
        await cancelWhenGracefulShutdown { await self.loop() }
        logger.info("webhook delivery stopped")
    }

    private func loop() async {
        while !Task.isCancelled {
            let pass = await deliverDue()
            if pass.claimed < policy.concurrency { await doorbell.wait(upTo: policy.pollInterval) }
        }
    }

    /// Looks for due webhooks at once instead of at the next poll.
    public func wake() {
        doorbell.ring()
    }

    /// One pass: claims up to `concurrency` due webhooks, sends them together, and records what
    /// became of each.
    @discardableResult
    public func deliverDue() async -> DeliveryPass {
        guard !Task.isCancelled else { return DeliveryPass() }
        let started = now()
        let messages: [WebhookMessage]
        do {
            // The lease outlives an attempt (redirects included) by far: no second sender meanwhile.
            let lease = max(policy.lease.seconds, sender.timeout.seconds * 2)
            messages = try await store.claimDueWebhooks(now: started, limit: policy.concurrency, leaseUntil: started.addingTimeInterval(lease))
        } catch {
            if !Task.isCancelled { logger.error("could not read the outbox", metadata: ["error": "\(error)"]) }
            return DeliveryPass()
        }
        guard !messages.isEmpty else { return DeliveryPass() }
        let outcomes = await withTaskGroup(of: (WebhookMessage, WebhookOutcome).self) { group in
            for message in messages {
                group.addTask { (message, await self.sender.send(message)) }
            }
            var outcomes: [(WebhookMessage, WebhookOutcome)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        // Recorded even when a shutdown cancelled the sends: store writes refuse to run in a
        // cancelled task, and a delivered webhook must be marked sent.
        return await Task { await self.record(outcomes) }.value
    }

    private func record(_ outcomes: [(WebhookMessage, WebhookOutcome)]) async -> DeliveryPass {
        let date = now()
        var pass = DeliveryPass(claimed: outcomes.count)
        for (message, outcome) in outcomes {
            switch outcome {
            case .delivered:
                await write(message) { try await self.store.markSent(id: message.id, at: date) }
                pass.sent += 1
            case .refused(let reason):
                await giveUp(message, reason: "refused: \(reason)", at: date)
                pass.dead += 1
            case .cancelled:
                await write(message) { try await self.store.release(id: message.id, at: date, error: nil) }
                pass.released += 1
            case .retry(let reason) where message.attempts >= policy.maxAttempts:
                await giveUp(message, reason: "gave up after \(message.attempts) attempts: \(reason)", at: date)
                pass.dead += 1
            case .retry(let reason):
                let next = date.addingTimeInterval(policy.delay(afterAttempts: message.attempts, random: random).seconds)
                await write(message) { try await self.store.scheduleRetry(id: message.id, at: next, error: reason) }
                logger.info("webhook deferred", metadata: ["id": "\(message.id)", "attempt": "\(message.attempts)",
                                                           "next": "\(next)", "reason": "\(reason)"])
                Counter(label: "statusd_webhook_retries_total").increment()
                pass.retried += 1
            }
        }
        if pass.sent > 0 { Counter(label: "statusd_webhooks_sent_total").increment(by: pass.sent) }
        return pass
    }

    private func giveUp(_ message: WebhookMessage, reason: String, at date: Date) async {
        await write(message) { try await self.store.markDead(id: message.id, reason: reason, at: date) }
        logger.error("webhook given up (dead letter)", metadata: ["id": "\(message.id)", "event": "\(message.webhook.event)", "reason": "\(reason)"])
        Counter(label: "statusd_webhooks_dead_total").increment()
    }

    private func write(_ message: WebhookMessage, _ update: () async throws -> Void) async {
        do {
            try await update()
        } catch {
            // The lease runs out and the webhook is tried again: it may go twice, never zero times.
            logger.error("could not record a webhook delivery", metadata: ["id": "\(message.id)", "error": "\(error)"])
        }
    }
}
