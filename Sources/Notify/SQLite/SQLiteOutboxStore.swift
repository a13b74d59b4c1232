import Foundation
import GRDB
import StatusModel

/// The outbox on the deployment's SQLite database.
public struct SQLiteOutboxStore: OutboxStore {
    let writer: any DatabaseWriter

    public init(database: SQLiteDatabase) {
        self.writer = database.writer
    }

    @discardableResult
    public func enqueue(_ mail: Mail, now: Date) async throws -> Int64 {
        try await writer.write { db in try Outbox.enqueue(mail, in: db, now: now) }
    }

    public func claimDue(now: Date, limit: Int, leaseUntil: Date, messageIDDomain: String) async throws -> [OutboxMessage] {
        try await writer.write { db in
            // One UPDATE takes the rows: SQLite runs one writer at a time, so two delivery
            // processes can never both see a row as due and both take it.
            let claimed = try OutboxRecord.fetchAll(db, sql: """
                UPDATE outboxMessage SET nextAttemptAt = ?, attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM outboxMessage
                    WHERE state = 'pending' AND kind = 'email' AND nextAttemptAt <= ?
                    ORDER BY nextAttemptAt, id LIMIT ?)
                RETURNING *
                """, arguments: [leaseUntil.timeIntervalSince1970, now.timeIntervalSince1970, limit])
            var messages: [OutboxMessage] = []
            for var record in claimed {
                guard let id = record.id else { continue }
                if record.messageID == nil {
                    let messageID = MailComposer.makeMessageID(domain: messageIDDomain)
                    try db.execute(sql: "UPDATE outboxMessage SET messageID = ? WHERE id = ?", arguments: [messageID, id])
                    record.messageID = messageID
                }
                if let message = record.message {
                    messages.append(message)
                } else {
                    try Self.markDead(db, id: id, reason: OutboxRecord.unreadableReason, at: now)
                }
            }
            // RETURNING gives rows in no set order; all carry the same lease now.
            return messages.sorted { $0.id < $1.id }
        }
    }

    /// What a sent mail keeps of its payload: its recipient and language. Subject, text, HTML
    /// and headers go (activation and reset links, unsubscribe links, personal text); the row's
    /// metadata (recipient, dates, state, attempts, Message-ID) stays until `pruneSent`. The
    /// database runs with `secure_delete`, so the erased text does not linger in free space.
    /// Webhooks keep theirs (a status event, no secret link).
    static let erasedOnceSent: SQL = """
        payload = CASE WHEN kind = 'email'
            THEN json_set(payload, '$.subject', '', '$.text', '', '$.html', NULL, '$.headers', json('{}'))
            ELSE payload END
        """

    public func markSent(id: Int64, at date: Date) async throws {
        try await writer.write { db in
            try db.execute(literal: """
                UPDATE outboxMessage SET state = 'sent', sentAt = \(date.timeIntervalSince1970), lastError = NULL, \(Self.erasedOnceSent)
                WHERE id = \(id) AND state = 'pending'
                """)
        }
    }

    public func markSent(ids: [Int64], at date: Date) async throws {
        guard !ids.isEmpty else { return }
        try await writer.write { db in
            try db.execute(literal: """
                UPDATE outboxMessage SET state = 'sent', sentAt = \(date.timeIntervalSince1970), lastError = NULL, \(Self.erasedOnceSent)
                WHERE state = 'pending' AND id IN \(ids)
                """)
        }
    }

    public func scheduleRetry(id: Int64, at date: Date, error: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE outboxMessage SET nextAttemptAt = ?, lastError = ? WHERE id = ? AND state = 'pending'",
                           arguments: [date.timeIntervalSince1970, error, id])
        }
    }

    public func release(id: Int64, at date: Date, error: String?) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE outboxMessage SET nextAttemptAt = ?, attempts = max(0, attempts - 1), lastError = coalesce(?, lastError)
                WHERE id = ? AND state = 'pending'
                """, arguments: [date.timeIntervalSince1970, error, id])
        }
    }

    public func markDead(id: Int64, reason: String, at date: Date) async throws {
        try await writer.write { db in try Self.markDead(db, id: id, reason: reason, at: date) }
    }

    private static func markDead(_ db: Database, id: Int64, reason: String, at date: Date) throws {
        try db.execute(sql: "UPDATE outboxMessage SET state = 'dead', lastError = ?, nextAttemptAt = ? WHERE id = ? AND state = 'pending'",
                       arguments: [reason, date.timeIntervalSince1970, id])
    }

    public func deadLetters(limit: Int) async throws -> [OutboxMessage] {
        try await writer.read { db in
            try OutboxRecord.fetchAll(db, sql: "SELECT * FROM outboxMessage WHERE state = 'dead' ORDER BY nextAttemptAt DESC, id DESC LIMIT ?",
                                      arguments: [limit])
                .map { record in record.shownMessage }
        }
    }

    public func requeue(id: Int64, now: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "UPDATE outboxMessage SET state = 'pending', attempts = 0, nextAttemptAt = ? WHERE id = ? AND state = 'dead'",
                           arguments: [now.timeIntervalSince1970, id])
            return db.changesCount > 0
        }
    }

    public func message(id: Int64) async throws -> OutboxMessage? {
        try await writer.read { db in
            try OutboxRecord.fetchOne(db, key: id).map { record in record.shownMessage }
        }
    }

    public func countsByState() async throws -> [OutboxState: Int] {
        try await writer.read { db in
            var counts = Dictionary(uniqueKeysWithValues: OutboxState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM outboxMessage GROUP BY state") {
                // Decoded with `try`: GRDB's `row["state"]` would trap on a damaged value and stop the process.
                if let state = OutboxState(rawValue: try row.decode(String.self, forColumn: "state")) {
                    counts[state] = try row.decode(Int.self, forColumn: "n")
                }
            }
            return counts
        }
    }

    public func pruneSent(before date: Date) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM outboxMessage WHERE state = 'sent' AND sentAt < ?", arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }
}
