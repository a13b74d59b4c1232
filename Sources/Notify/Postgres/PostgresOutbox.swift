import Foundation
import PostgresNIO

/// Writing mail and webhooks into the outbox from another module's PostgreSQL store, inside its
/// own transaction: the message exists if and only if the change that causes it was committed.
public enum PostgresOutbox {
    /// Queues `mail`, due at once, on the caller's transaction. Throws `MailError` for a mail
    /// that can never be sent, before anything is written.
    @discardableResult
    public static func enqueue(_ mail: Mail, on connection: PostgresConnection, now: Date, logger: Logger) async throws -> Int64 {
        try await insert(try OutboxRecord(mail: mail, now: now), on: connection, logger: logger)
    }

    /// Queues `webhook`, due at once, on the caller's transaction.
    @discardableResult
    public static func enqueueWebhook(_ webhook: Webhook, on connection: PostgresConnection, now: Date, logger: Logger) async throws -> Int64 {
        try await insert(try OutboxRecord(webhook: webhook, now: now), on: connection, logger: logger)
    }

    static func insert(_ record: OutboxRecord, on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let rows = try await connection.query("""
            INSERT INTO outbox_message (kind, recipient, payload, state, attempts, next_attempt_at, created_at)
            VALUES (\(record.kind), \(record.recipient), \(record.payload), \(record.state), \(record.attempts),
                    \(record.nextAttemptAt), \(record.createdAt))
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        throw PostgresOutboxError("the outbox row got no id")
    }
}

struct PostgresOutboxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension OutboxRecord {
    /// The columns every read selects, in the order `init(row:)` decodes them.
    static let postgresColumns = """
        id, kind, recipient, payload, state, attempts, next_attempt_at, last_error, created_at, sent_at, message_id
        """

    init(row: PostgresRow) throws {
        let (id, kind, recipient, payload, state, attempts, next, error, created, sent, messageID) = try row.decode(
            (Int64, String, String, String, String, Int, Double, String?, Double, Double?, String?).self)
        self.init(id: id, kind: kind, recipient: recipient, payload: payload, state: state, attempts: attempts, nextAttemptAt: next,
                  lastError: error, createdAt: created, sentAt: sent, messageID: messageID)
    }
}
