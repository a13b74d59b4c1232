import CoreMetrics
import Curl
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Sends the outbox's email: polls for due messages (every second, and at once when woken),
/// sends a few at a time, retries 4xx answers with exponential backoff and jitter, gives up on
/// 5xx answers or after `maxAttempts`, and pauses while the mail server cannot be reached,
/// without counting that against any message. A `Service`: SIGTERM stops it within a second,
/// and messages it was sending stay queued.
public final class DeliveryService<Store: OutboxStore, Transport: MailTransport>: Service, Sendable {
    private let store: Store
    private let transport: Transport
    private let composer: MailComposer
    private let policy: DeliveryPolicy
    private let now: @Sendable () -> Date
    private let random: @Sendable (ClosedRange<Double>) -> Double
    private let logger: Logger
    private let doorbell = Doorbell()
    /// Passes in a row in which the server could not be reached: how long the next pause is.
    private let unreachableStreak = Mutex(0)

    /// - Parameters:
    ///   - now: the clock due times are read on; tests move it by hand.
    ///   - random: a number in the range it is given, for the jitter.
    public init(store: Store, transport: Transport, composer: MailComposer, policy: DeliveryPolicy = DeliveryPolicy(),
                now: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) },
                logger: Logger) {
        self.store = store
        self.transport = transport
        self.composer = composer
        self.policy = policy
        self.now = now
        self.random = random
        self.logger = logger
    }

    public func run() async throws {
        logger.info("mail delivery started", metadata: ["from": "\(composer.from.address)"])
        // Graceful shutdown cancels the loop and the sends in flight; what they were sending is
        // released for the next start, so SIGTERM never waits on a slow mail server.
        await cancelWhenGracefulShutdown { await self.loop() }
        logger.info("mail delivery stopped")
    }

    private func loop() async {
        let clock = ContinuousClock()
        var lastHousekeeping: ContinuousClock.Instant?
        while !Task.isCancelled {
            if lastHousekeeping.map({ clock.now - $0 >= .seconds(15) }) ?? true {
                await housekeeping()
                lastHousekeeping = clock.now
            }
            let pass = await deliverDue()
            if let pause = pass.pause {
                try? await Task.sleep(for: pause)
            } else if pass.claimed < policy.concurrency {
                await doorbell.wait(upTo: policy.pollInterval)
            }
            // A full batch: more may be due, go on at once.
        }
    }

    /// Looks for due mail at once instead of at the next poll (after a mail was queued).
    public func wake() {
        doorbell.ring()
    }

    /// One pass: claims up to `concurrency` due messages, sends them together and records what
    /// became of each.
    @discardableResult
    public func deliverDue() async -> DeliveryPass {
        guard !Task.isCancelled else { return DeliveryPass() }
        let started = now()
        let messages: [OutboxMessage]
        do {
            messages = try await store.claimDue(now: started, limit: policy.concurrency,
                                                leaseUntil: started.addingTimeInterval(policy.lease.seconds),
                                                messageIDDomain: composer.messageIDDomain)
        } catch {
            if !Task.isCancelled { logger.error("could not read the outbox", metadata: ["error": "\(error)"]) }
            return DeliveryPass()
        }
        guard !messages.isEmpty else { return DeliveryPass() }
        let outcomes = await withTaskGroup(of: (OutboxMessage, SMTPOutcome).self) { group in
            for message in messages {
                group.addTask { (message, await self.send(message)) }
            }
            var outcomes: [(OutboxMessage, SMTPOutcome)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        // Recorded even when a shutdown cancelled the sends: a mail that went must be marked
        // sent, and store writes refuse to run in a cancelled task.
        return await Task { await self.record(outcomes) }.value
    }

    private func send(_ message: OutboxMessage) async -> SMTPOutcome {
        let bytes = composer.compose(message.mail, messageID: message.messageID ?? composer.makeMessageID(), date: message.createdAt)
        return await transport.send(from: composer.from.address, to: [message.recipient], message: bytes)
    }

    private func record(_ outcomes: [(OutboxMessage, SMTPOutcome)]) async -> DeliveryPass {
        let date = now()
        var pass = DeliveryPass(claimed: outcomes.count)
        var unreachable: [(OutboxMessage, SMTPFailure)] = []
        // Sent mail is recorded in one write for the whole pass: in a bulk, a commit per mail
        // would cost more than sending it.
        let sent = outcomes.compactMap { message, outcome in if case .sent = outcome { message.id } else { nil } }
        await write(ids: sent) { try await self.store.markSent(ids: sent, at: date) }
        pass.sent = sent.count
        for (message, outcome) in outcomes {
            switch outcome {
            case .sent:
                break
            case .permanentFailure(let failure):
                await giveUp(message, reason: "refused: \(failure)", at: date)
                pass.dead += 1
            case .temporaryFailure(let failure) where failure.isCancelled:
                await write(message) { try await self.store.release(id: message.id, at: date, error: nil) }
                pass.released += 1
            case .temporaryFailure(let failure) where !failure.isAnswerToMessage:
                unreachable.append((message, failure))
            case .temporaryFailure(let failure):
                if message.attempts >= policy.maxAttempts {
                    await giveUp(message, reason: "gave up after \(message.attempts) attempts: \(failure)", at: date)
                    pass.dead += 1
                } else {
                    let next = date.addingTimeInterval(policy.delay(afterAttempts: message.attempts, random: random).seconds)
                    await write(message) { try await self.store.scheduleRetry(id: message.id, at: next, error: failure.description) }
                    logger.info("mail deferred", metadata: ["id": "\(message.id)", "attempt": "\(message.attempts)",
                                                            "next": "\(next)", "reason": "\(failure)"])
                    Counter(label: "statusd_mail_retries_total").increment()
                    pass.retried += 1
                }
            }
        }
        pass.pause = await handleUnreachable(unreachable, serverAnswered: pass.sent + pass.dead + pass.retried > 0, at: date)
        pass.released += unreachable.count
        if pass.sent > 0 { Counter(label: "statusd_mail_sent_total").increment(by: pass.sent) }
        return pass
    }

    /// Messages the server never got to see go back to the queue without losing an attempt.
    /// When no message of the pass reached the server, it is down (or refuses the session):
    /// delivery pauses, longer each time, instead of knocking every second.
    private func handleUnreachable(_ failed: [(OutboxMessage, SMTPFailure)], serverAnswered: Bool, at date: Date) async -> Duration? {
        if serverAnswered {
            let streak = unreachableStreak.withLock { streak in defer { streak = 0 }; return streak }
            if streak > 0 { logger.notice("mail server reachable again: delivering") }
        }
        guard let (_, first) = failed.first else { return nil }
        var pause: Duration?
        var retryAt = date.addingTimeInterval(policy.delay(afterAttempts: 1, random: random).seconds)
        if !serverAnswered {
            let streak = unreachableStreak.withLock { streak in streak += 1; return streak }
            let delay = policy.delay(afterAttempts: streak, random: random)
            pause = delay
            retryAt = date.addingTimeInterval(delay.seconds)
            if streak == 1 {
                logger.warning("mail server unreachable: mail waits in the outbox", metadata: ["error": "\(first)"])
            }
        }
        for (message, failure) in failed {
            await write(message) { try await self.store.release(id: message.id, at: retryAt, error: failure.description) }
        }
        return pause
    }

    private func giveUp(_ message: OutboxMessage, reason: String, at date: Date) async {
        await write(message) { try await self.store.markDead(id: message.id, reason: reason, at: date) }
        logger.error("mail given up (dead letter)", metadata: ["id": "\(message.id)", "to": "\(message.recipient)", "reason": "\(reason)"])
        Counter(label: "statusd_mail_dead_total").increment()
    }

    private func write(_ message: OutboxMessage, _ update: () async throws -> Void) async {
        await write(ids: [message.id], update)
    }

    private func write(ids: [Int64], _ update: () async throws -> Void) async {
        guard !ids.isEmpty else { return }
        do {
            try await update()
        } catch {
            // The lease runs out and the message is tried again: a mail may go twice, never zero times.
            logger.error("could not record a delivery", metadata: ["ids": "\(ids)", "error": "\(error)"])
        }
    }

    /// Counts by state for the metrics, and sent mail past its keeping time deleted.
    private func housekeeping() async {
        do {
            for (state, count) in try await store.countsByState() {
                Gauge(label: "statusd_outbox_messages", dimensions: [("state", state.rawValue)]).record(count)
            }
            let pruned = try await store.pruneSent(before: now().addingTimeInterval(-policy.keepSent.seconds))
            if pruned > 0 { logger.info("sent mail pruned from the outbox", metadata: ["messages": "\(pruned)"]) }
        } catch {
            if !Task.isCancelled { logger.error("outbox housekeeping failed", metadata: ["error": "\(error)"]) }
        }
    }
}

/// What one delivery pass did.
public struct DeliveryPass: Sendable, Hashable {
    public var claimed = 0
    public var sent = 0
    public var retried = 0
    /// Back in the queue without an attempt counted: the server was unreachable, or a shutdown.
    public var released = 0
    public var dead = 0
    /// Set when the mail server could not be reached: how long delivery waits before trying again.
    public var pause: Duration?

    public init(claimed: Int = 0) {
        self.claimed = claimed
    }
}
