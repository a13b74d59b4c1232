import Foundation

/// A row of the outbox, as every store kind keeps it (`outboxMessage` on SQLite,
/// `outbox_message` on PostgreSQL); times are seconds since 1970.
struct OutboxRecord: Codable, Sendable {

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

    init(id: Int64?, kind: String, recipient: String, payload: String, state: String, attempts: Int, nextAttemptAt: Double,
         lastError: String?, createdAt: Double, sentAt: Double?, messageID: String?) {
        self.id = id
        self.kind = kind
        self.recipient = recipient
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.messageID = messageID
    }

    /// A new pending email, due at `now`. Throws `MailError` for a mail that can never be sent.
    init(mail: Mail, now: Date) throws {
        try mail.validate()
        self.init(pending: "email", to: mail.to, payload: try JSONEncoder().encode(mail), now: now)
    }

    /// A new row of `kind`, due at `now`, never tried.
    private init(pending kind: String, to recipient: String, payload: Data, now: Date) {
        self.init(id: nil, kind: kind, recipient: recipient, payload: String(decoding: payload, as: UTF8.self),
                  state: OutboxState.pending.rawValue, attempts: 0, nextAttemptAt: now.timeIntervalSince1970,
                  lastError: nil, createdAt: now.timeIntervalSince1970, sentAt: nil, messageID: nil)
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

extension OutboxRecord {
    static let webhookKind = "webhook"

    /// A new pending webhook, due at `now`; the recipient column holds its URL. Throws
    /// `WebhookTargetError` or `WebhookError` for a webhook that can never be sent.
    init(webhook: Webhook, now: Date) throws {
        try webhook.validate()
        self.init(pending: Self.webhookKind, to: webhook.url, payload: try JSONEncoder().encode(webhook), now: now)
    }

    /// The webhook, or nil when this row is not one or cannot be read.
    var webhook: Webhook? {
        guard kind == Self.webhookKind else { return nil }
        return try? JSONDecoder().decode(Webhook.self, from: Data(payload.utf8))
    }

    /// The claimed webhook, or nil when its content cannot be read.
    var webhookMessage: WebhookMessage? {
        guard let id, let webhook else { return nil }
        return WebhookMessage(id: id, webhook: webhook, attempts: attempts, createdAt: Date(timeIntervalSince1970: createdAt))
    }

    /// The message as operators see it: a row whose payload cannot be read still shows, with an empty mail.
    var shownMessage: OutboxMessage {
        message ?? OutboxMessage(
            id: id ?? 0, kind: kind, recipient: recipient, mail: Mail(to: recipient, subject: "", text: "", language: ""),
            state: OutboxState(rawValue: state) ?? .dead, attempts: attempts,
            nextAttemptAt: Date(timeIntervalSince1970: nextAttemptAt), lastError: lastError,
            createdAt: Date(timeIntervalSince1970: createdAt), sentAt: sentAt.map(Date.init(timeIntervalSince1970:)),
            messageID: messageID
        )
    }

    static let unreadableReason = "its content cannot be read"
}
