import Foundation
import GRDB

/// A row of `outboxMessage`; times are seconds since 1970.
struct OutboxRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "outboxMessage"

    var id: Int64?
    var kind: String
    var recipient: String
    var payload: String
    var state: String
    var attempts: Int
    var nextAttemptAt: Double
    var lastError: String?
    var createdAt: Double
    var sentAt: Double?
    var messageID: String?

    /// A new pending email, due at `now`.
    init(mail: Mail, now: Date) throws {
        id = nil
        kind = "email"
        recipient = mail.to
        payload = String(decoding: try JSONEncoder().encode(mail), as: UTF8.self)
        state = OutboxState.pending.rawValue
        attempts = 0
        nextAttemptAt = now.timeIntervalSince1970
        createdAt = now.timeIntervalSince1970
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The message, or nil when its payload cannot be read (written by a newer version, or damaged).
    var message: OutboxMessage? {
        guard let id else { return nil }
        if kind == Self.webhookKind {
            guard let webhook else { return nil }
            var message = OutboxMessage(
                id: id, kind: kind, recipient: recipient, mail: Mail(to: recipient, subject: webhook.event, text: webhook.body, language: ""),
                state: OutboxState(rawValue: state) ?? .dead, attempts: attempts, nextAttemptAt: Date(timeIntervalSince1970: nextAttemptAt),
                lastError: lastError, createdAt: Date(timeIntervalSince1970: createdAt), sentAt: sentAt.map(Date.init(timeIntervalSince1970:)),
                messageID: messageID
            )
            message.webhook = webhook
            return message
        }
        guard let mail = try? JSONDecoder().decode(Mail.self, from: Data(payload.utf8)) else { return nil }
        return OutboxMessage(
            id: id, kind: kind, recipient: recipient, mail: mail, state: OutboxState(rawValue: state) ?? .dead,
            attempts: attempts, nextAttemptAt: Date(timeIntervalSince1970: nextAttemptAt), lastError: lastError,
            createdAt: Date(timeIntervalSince1970: createdAt), sentAt: sentAt.map(Date.init(timeIntervalSince1970:)),
            messageID: messageID
        )
    }
}
