import Foundation
import Logging
import PostgresNIO
import StatusModel

/// The outbox on the deployment's PostgreSQL database, shared by every node. A claim locks the
/// rows it takes and skips those another node holds (`FOR UPDATE SKIP LOCKED`): a plain
/// `UPDATE … WHERE id IN (SELECT … LIMIT n)` lets two nodes take the same row here, since
/// PostgreSQL re-reads the subquery's rows, not its LIMIT, once a concurrent claim commits.
public struct PostgresOutboxStore: OutboxStore, WebhookOutboxStore {
    let database: PostgreSQLDatabase
    var logger: Logger { database.logger }

    public init(database: PostgreSQLDatabase) {
        self.database = database
    }

    @discardableResult
    public func enqueue(_ mail: Mail, now: Date) async throws -> Int64 {
        let record = try OutboxRecord(mail: mail, now: now)
        return try await database.transaction { connection in try await PostgresOutbox.insert(record, on: connection, logger: logger) }
    }

    public func claimDue(now: Date, limit: Int, leaseUntil: Date, messageIDDomain: String) async throws -> [OutboxMessage] {
        try await database.transaction { connection in
            var records = try await Self.claim(kind: "email", now: now, limit: limit, leaseUntil: leaseUntil, on: connection, logger: logger)
            // A Message-ID on its first claim, kept for every retry; one statement for the batch.
            var ids: [Int64] = [], messageIDs: [String] = []
            for index in records.indices where records[index].messageID == nil {
                let messageID = MailComposer.makeMessageID(domain: messageIDDomain)
                records[index].messageID = messageID
                ids.append(records[index].id ?? 0)
                messageIDs.append(messageID)
            }
            if !ids.isEmpty {
                try await connection.query("""
                    UPDATE outbox_message AS m SET message_id = given.message_id
                    FROM unnest(\(ids)::bigint[], \(messageIDs)::text[]) AS given(id, message_id) WHERE m.id = given.id
                    """, logger: logger)
            }
            var messages: [OutboxMessage] = []
            for record in records {
                if let message = record.message {
                    messages.append(message)
                } else {
                    try await Self.markDead(id: record.id ?? 0, reason: OutboxRecord.unreadableReason, at: now, on: connection, logger: logger)
                }
            }
            return messages
        }
    }

    public func claimDueWebhooks(now: Date, limit: Int, leaseUntil: Date) async throws -> [WebhookMessage] {
        try await database.transaction { connection in
            var messages: [WebhookMessage] = []
            for record in try await Self.claim(kind: OutboxRecord.webhookKind, now: now, limit: limit, leaseUntil: leaseUntil,
                                               on: connection, logger: logger) {
                if let message = record.webhookMessage {
                    messages.append(message)
                } else {
                    try await Self.markDead(id: record.id ?? 0, reason: OutboxRecord.unreadableReason, at: now, on: connection, logger: logger)
                }
            }
            return messages
        }
    }

    /// Takes the due rows of `kind` no other transaction holds, oldest due first: each gets the
    /// lease as its due time and one more attempt.
    private static func claim(kind: String, now: Date, limit: Int, leaseUntil: Date,
                              on connection: PostgresConnection, logger: Logger) async throws -> [OutboxRecord] {
        let rows = try await connection.query("""
            WITH due AS (
                SELECT id FROM outbox_message
                WHERE state = 'pending' AND kind = \(kind) AND next_attempt_at <= \(now.timeIntervalSince1970)
                ORDER BY next_attempt_at, id LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            UPDATE outbox_message AS m SET next_attempt_at = \(leaseUntil.timeIntervalSince1970), attempts = m.attempts + 1
            FROM due WHERE m.id = due.id
            RETURNING m.id, m.kind, m.recipient, m.payload, m.state, m.attempts, m.next_attempt_at, m.last_error,
                      m.created_at, m.sent_at, m.message_id
            """, logger: logger)
        var records: [OutboxRecord] = []
        for try await row in rows { records.append(try OutboxRecord(row: row)) }
        // RETURNING gives rows in no set order; all carry the same lease now.
        return records.sorted { ($0.id ?? 0) < ($1.id ?? 0) }
    }

    /// What a sent mail keeps of its payload, as on SQLite: its recipient and language; subject,
    /// text, HTML and headers go. (PostgreSQL keeps the old row version until VACUUM reclaims it.)
    static let erasedOnceSent = """
        payload = CASE WHEN kind = 'email'
            THEN (payload::jsonb || jsonb_build_object('subject', '', 'text', '', 'html', NULL, 'headers', '{}'::jsonb))::text
            ELSE payload END
        """

    public func markSent(id: Int64, at date: Date) async throws {
        try await markSent(ids: [id], at: date)
    }

    public func markSent(ids: [Int64], at date: Date) async throws {
        guard !ids.isEmpty else { return }
        var query = PostgresQuery(unsafeSQL: """
            UPDATE outbox_message SET state = 'sent', sent_at = $1, last_error = NULL, \(Self.erasedOnceSent)
            WHERE state = 'pending' AND id = ANY($2)
            """)
        try query.binds.append(date.timeIntervalSince1970, context: .default)
        try query.binds.append(ids, context: .default)
        try await database.client.query(query, logger: logger)
    }

    public func scheduleRetry(id: Int64, at date: Date, error: String) async throws {
        try await database.client.query("""
            UPDATE outbox_message SET next_attempt_at = \(date.timeIntervalSince1970), last_error = \(error)
            WHERE id = \(id) AND state = 'pending'
            """, logger: logger)
    }

    public func release(id: Int64, at date: Date, error: String?) async throws {
        try await database.client.query("""
            UPDATE outbox_message SET next_attempt_at = \(date.timeIntervalSince1970), attempts = greatest(0, attempts - 1),
                last_error = coalesce(\(error), last_error)
            WHERE id = \(id) AND state = 'pending'
            """, logger: logger)
    }

    public func markDead(id: Int64, reason: String, at date: Date) async throws {
        try await database.transaction { connection in
            try await Self.markDead(id: id, reason: reason, at: date, on: connection, logger: logger)
        }
    }

    private static func markDead(id: Int64, reason: String, at date: Date, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            UPDATE outbox_message SET state = 'dead', last_error = \(reason), next_attempt_at = \(date.timeIntervalSince1970)
            WHERE id = \(id) AND state = 'pending'
            """, logger: logger)
    }

    public func deadLetters(limit: Int) async throws -> [OutboxMessage] {
        try await records(PostgresQuery(unsafeSQL: """
            SELECT \(OutboxRecord.postgresColumns) FROM outbox_message WHERE state = 'dead'
            ORDER BY next_attempt_at DESC, id DESC LIMIT \(max(0, limit))
            """)).map(\.shownMessage)
    }

    public func requeue(id: Int64, now: Date) async throws -> Bool {
        let rows = try await database.client.query("""
            UPDATE outbox_message SET state = 'pending', attempts = 0, next_attempt_at = \(now.timeIntervalSince1970)
            WHERE id = \(id) AND state = 'dead' RETURNING id
            """, logger: logger)
        return try await rows.collect().count > 0
    }

    public func message(id: Int64) async throws -> OutboxMessage? {
        var query = PostgresQuery(unsafeSQL: "SELECT \(OutboxRecord.postgresColumns) FROM outbox_message WHERE id = $1")
        try query.binds.append(id, context: .default)
        return try await records(query).first?.shownMessage
    }

    public func countsByState() async throws -> [OutboxState: Int] {
        var counts = Dictionary(uniqueKeysWithValues: OutboxState.allCases.map { ($0, 0) })
        let rows = try await database.client.query("SELECT state, count(*) FROM outbox_message GROUP BY state", logger: logger)
        for try await (state, count) in rows.decode((String, Int).self) {
            if let state = OutboxState(rawValue: state) { counts[state] = count }
        }
        return counts
    }

    public func pruneSent(before date: Date) async throws -> Int {
        let rows = try await database.client.query("""
            DELETE FROM outbox_message WHERE state = 'sent' AND sent_at < \(date.timeIntervalSince1970) RETURNING id
            """, logger: logger)
        return try await rows.collect().count
    }

    private func records(_ query: PostgresQuery) async throws -> [OutboxRecord] {
        var records: [OutboxRecord] = []
        for try await row in try await database.client.query(query, logger: logger) { records.append(try OutboxRecord(row: row)) }
        return records
    }
}
