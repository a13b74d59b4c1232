import Foundation

/// A webhook in the outbox, claimed for delivery.
public struct WebhookMessage: Sendable, Hashable, Identifiable {
    /// The outbox id, sent as X-Statusd-Delivery: the same on every retry, so a receiver can
    /// drop a delivery it already has.
    public var id: Int64
    public var webhook: Webhook
    /// Attempts so far, this one included.
    public var attempts: Int
    public var createdAt: Date

    public init(id: Int64, webhook: Webhook, attempts: Int, createdAt: Date) {
        self.id = id
        self.webhook = webhook
        self.attempts = attempts
        self.createdAt = createdAt
    }
}

/// The outbox as webhook delivery uses it. Webhooks are queued with
/// `Outbox.enqueueWebhook(_:in:now:)` in the caller's transaction.
public protocol WebhookOutboxStore: Sendable {
    /// Takes up to `limit` due webhook messages (kind "webhook"), oldest due first, in one
    /// write: each gets `nextAttemptAt = leaseUntil` and one more attempt.
    func claimDueWebhooks(now: Date, limit: Int, leaseUntil: Date) async throws -> [WebhookMessage]
    func markSent(id: Int64, at: Date) async throws
    /// The attempt counts; the next one is due at `at`.
    func scheduleRetry(id: Int64, at: Date, error: String) async throws
    /// The attempt does not count (a shutdown); due again at `at`.
    func release(id: Int64, at: Date, error: String?) async throws
    func markDead(id: Int64, reason: String, at: Date) async throws
}
