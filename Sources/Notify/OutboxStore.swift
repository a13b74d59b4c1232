import Foundation

/// Where an outbox message stands.
public enum OutboxState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for its next attempt (or being sent right now, under a lease).
    case pending
    case sent
    /// Given up: refused for good by the mail server, or too many attempts. Operators see it
    /// and may put it back in the queue.
    case dead
}

/// An email (or a webhook) waiting for delivery, sent, or given up, with its delivery history.
public struct OutboxMessage: Sendable, Hashable, Identifiable {
    public var id: Int64
    /// "email" or "webhook".
    public var kind: String
    public var recipient: String
    public var mail: Mail
    public var state: OutboxState
    /// Attempts the mail server answered (or that never reported back); attempts cut short by
    /// an unreachable server or a shutdown do not count.
    public var attempts: Int
    /// When it is due next; while it is being sent, the end of the sender's lease; for a dead
    /// letter, when it was given up.
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?
    /// The Message-ID it is sent with, set on its first claim and kept for every retry.
    public var messageID: String?
    /// For a webhook (kind "webhook"), what is POSTed; `mail` then only mirrors it (URL, event, body).
    public var webhook: Webhook?

    public init(id: Int64, kind: String = "email", recipient: String, mail: Mail, state: OutboxState, attempts: Int,
                nextAttemptAt: Date, lastError: String?, createdAt: Date, sentAt: Date?, messageID: String?) {
        self.id = id
        self.kind = kind
        self.recipient = recipient
        self.mail = mail
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.messageID = messageID
    }
}

/// The outbox as delivery and operators use it. Writing a mail together with the change that
/// causes it goes through `Outbox.enqueue(_:in:now:)` inside the caller's own transaction;
/// `enqueue(_:now:)` here is for mail that is the whole change.
public protocol OutboxStore: Sendable {
    /// Queues a mail, due at once. Throws `MailError` for a mail that can never be sent.
    @discardableResult
    func enqueue(_ mail: Mail, now: Date) async throws -> Int64

    /// Takes up to `limit` due email messages for sending, oldest due first, in one write:
    /// each gets `nextAttemptAt = leaseUntil`, one more attempt, and a Message-ID if it had
    /// none. A message claimed by one sender is not due for any other until the lease ends.
    func claimDue(now: Date, limit: Int, leaseUntil: Date, messageIDDomain: String) async throws -> [OutboxMessage]

    /// Marks the message sent and erases a mail's content (subject, text, HTML, headers: the
    /// links it carried); what stays is who it went to, when, and how many attempts it took.
    func markSent(id: Int64, at: Date) async throws

    /// Marks every message of `ids` sent, in one write: a pass of a bulk delivery costs one
    /// commit, not one per mail.
    func markSent(ids: [Int64], at: Date) async throws

    /// The attempt counts; the next one is due at `at`.
    func scheduleRetry(id: Int64, at: Date, error: String) async throws

    /// The attempt does not count (the server could not be reached, or the sender stopped);
    /// the message is due again at `at`.
    func release(id: Int64, at: Date, error: String?) async throws

    func markDead(id: Int64, reason: String, at: Date) async throws

    /// Dead letters, newest first.
    func deadLetters(limit: Int) async throws -> [OutboxMessage]

    /// Puts a dead letter back in the queue, due at once with no attempts; false when `id` is
    /// not a dead letter.
    func requeue(id: Int64, now: Date) async throws -> Bool

    func message(id: Int64) async throws -> OutboxMessage?

    /// How many messages are in each state (every state present, zero included).
    func countsByState() async throws -> [OutboxState: Int]

    /// Deletes sent messages sent before `date`: their content is personal data, kept only
    /// as long as it helps to answer "did my mail go?". Returns how many.
    func pruneSent(before date: Date) async throws -> Int
}

extension OutboxStore {
    /// One write per message, for stores that have nothing better.
    public func markSent(ids: [Int64], at date: Date) async throws {
        for id in ids { try await markSent(id: id, at: date) }
    }
}
