import Foundation
import GRDB

extension Outbox {
    /// Queues `webhook`, due at once, in the caller's transaction (kind "webhook" in the same
    /// outboxMessage table as mail). Throws `WebhookTargetError` or `WebhookError` for a webhook
    /// that can never be sent, which rolls the change back.
    @discardableResult
    public static func enqueueWebhook(_ webhook: Webhook, in db: Database, now: Date) throws -> Int64 {
        try webhook.validate()
        var record = try OutboxRecord(webhook: webhook, now: now)
        try record.insert(db)
        guard let id = record.id else { throw DatabaseError(message: "the outbox row got no id") }
        return id
    }
}

extension OutboxRecord {
    static let webhookKind = "webhook"

    /// A new pending webhook, due at `now`; the recipient column holds its URL.
    init(webhook: Webhook, now: Date) throws {
        id = nil
        kind = Self.webhookKind
        recipient = webhook.url
        payload = String(decoding: try JSONEncoder().encode(webhook), as: UTF8.self)
        state = OutboxState.pending.rawValue
        attempts = 0
        nextAttemptAt = now.timeIntervalSince1970
        createdAt = now.timeIntervalSince1970
    }

    /// The webhook, or nil when this row is not one or cannot be read.
    var webhook: Webhook? {
        guard kind == Self.webhookKind else { return nil }
        return try? JSONDecoder().decode(Webhook.self, from: Data(payload.utf8))
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
                if let webhook = record.webhook {
                    messages.append(WebhookMessage(id: id, webhook: webhook, attempts: record.attempts,
                                                   createdAt: Date(timeIntervalSince1970: record.createdAt)))
                } else {
                    try db.execute(sql: "UPDATE outboxMessage SET state = 'dead', lastError = ?, nextAttemptAt = ? WHERE id = ?",
                                   arguments: ["its content cannot be read", now.timeIntervalSince1970, id])
                }
            }
            return messages.sorted { $0.id < $1.id }
        }
    }
}
