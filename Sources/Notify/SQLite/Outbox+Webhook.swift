import Foundation
import GRDB

extension Outbox {
    /// Queues `webhook`, due at once, in the caller's transaction (kind "webhook" in the same
    /// outboxMessage table as mail). Throws `WebhookTargetError` or `WebhookError` for a webhook
    /// that can never be sent, which rolls the change back.
    @discardableResult
    public static func enqueueWebhook(_ webhook: Webhook, in db: Database, now: Date) throws -> Int64 {
        var record = try OutboxRecord(webhook: webhook, now: now)
        try record.insert(db)
        guard let id = record.id else { throw DatabaseError(message: "the outbox row got no id") }
        return id
    }
}

extension SQLiteOutboxStore: WebhookOutboxStore {
    public func claimDueWebhooks(now: Date, limit: Int, leaseUntil: Date) async throws -> [WebhookMessage] {
        try await writer.write { db in
            // The same single-UPDATE claim as mail: two senders never take the same row.
            let claimed = try OutboxRecord.fetchAll(db, sql: """
                UPDATE outboxMessage SET nextAttemptAt = ?, attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM outboxMessage
                    WHERE state = 'pending' AND kind = 'webhook' AND nextAttemptAt <= ?
                    ORDER BY nextAttemptAt, id LIMIT ?)
                RETURNING *
                """, arguments: [leaseUntil.timeIntervalSince1970, now.timeIntervalSince1970, limit])
            var messages: [WebhookMessage] = []
            for record in claimed {
                guard let id = record.id else { continue }
                if let message = record.webhookMessage {
                    messages.append(message)
                } else {
                    try db.execute(sql: "UPDATE outboxMessage SET state = 'dead', lastError = ?, nextAttemptAt = ? WHERE id = ?",
                                   arguments: [OutboxRecord.unreadableReason, now.timeIntervalSince1970, id])
                }
            }
            return messages.sorted { $0.id < $1.id }
        }
    }
}
