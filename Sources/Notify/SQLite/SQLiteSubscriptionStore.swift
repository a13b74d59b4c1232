import Foundation
import GRDB
import StatusModel

/// Status subscriptions on SQLite, in the database every module shares.
public struct SQLiteSubscriptionStore: SubscriptionStore {
    let writer: any DatabaseWriter

    public init(database: SQLiteDatabase) {
        self.writer = database.writer
    }

    public func request(address: String, language: String, productSlugs: [String], confirmationHash: String, now: Date,
                        mail: @Sendable (SubscriptionRequestOutcome) -> Mail) async throws -> SubscriptionRequestOutcome {
        try await writer.write { db in
            let outcome: SubscriptionRequestOutcome
            if let existing = try Self.fetch(db, "channel = 'email' AND address = ?", [address]).first {
                let lastMail = try Double.fetchOne(db, sql: "SELECT lastRequestMailAt FROM statusSubscription WHERE id = ?", arguments: [existing.id])
                if let lastMail, now.timeIntervalSince1970 - lastMail < StatusSubscription.requestMailInterval {
                    // Mailed a moment ago: the answer is the same, the mailbox gets nothing more.
                    return existing.isConfirmed ? .alreadyConfirmed(id: existing.id) : .awaitingConfirmation(id: existing.id)
                }
                if existing.isConfirmed {
                    outcome = .alreadyConfirmed(id: existing.id)
                } else {
                    // A renewed request: a fresh link and clock, the latest choice of products.
                    try db.execute(sql: """
                        UPDATE statusSubscription SET language = ?, productSlugs = ?, confirmationHash = ?, createdAt = ? WHERE id = ?
                        """, arguments: [language, Self.joined(productSlugs), confirmationHash, now.timeIntervalSince1970, existing.id])
                    outcome = .awaitingConfirmation(id: existing.id)
                }
            } else {
                try db.execute(sql: """
                    INSERT INTO statusSubscription (channel, address, language, productSlugs, confirmationHash, createdAt)
                    VALUES ('email', ?, ?, ?, ?, ?)
                    """, arguments: [address, language, Self.joined(productSlugs), confirmationHash, now.timeIntervalSince1970])
                outcome = .awaitingConfirmation(id: db.lastInsertedRowID)
            }
            try Outbox.enqueue(mail(outcome), in: db, now: now)
            let id = switch outcome {
            case .awaitingConfirmation(let id), .alreadyConfirmed(let id): id
            }
            try db.execute(sql: "UPDATE statusSubscription SET lastRequestMailAt = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, id])
            return outcome
        }
    }

    public func confirm(confirmationHash: String, now: Date) async throws -> StatusSubscription? {
        try await writer.write { db in
            guard let found = try Self.fetch(db, "confirmationHash = ?", [confirmationHash]).first, !found.isConfirmed,
                  now.timeIntervalSince(found.createdAt) < StatusSubscription.confirmationLifetime else { return nil }
            // The link works once: its hash goes with its use.
            try db.execute(sql: "UPDATE statusSubscription SET confirmedAt = ?, confirmationHash = NULL WHERE id = ?",
                           arguments: [now.timeIntervalSince1970, found.id])
            var confirmed = found
            confirmed.confirmedAt = now
            return confirmed
        }
    }

    public func subscribeUser(userID: Int64, address: String, language: String, productSlugs: [String], now: Date) async throws -> StatusSubscription {
        try await writer.write { db in
            // The user's address may have asked anonymously before: that row becomes theirs.
            try db.execute(sql: """
                INSERT INTO statusSubscription (channel, address, userID, language, productSlugs, confirmedAt, createdAt)
                VALUES ('email', ?, ?, ?, ?, ?, ?)
                ON CONFLICT(channel, address) DO UPDATE SET userID = excluded.userID, language = excluded.language,
                    productSlugs = excluded.productSlugs, confirmedAt = coalesce(confirmedAt, excluded.confirmedAt),
                    confirmationHash = NULL
                """, arguments: [address, userID, language, Self.joined(productSlugs), now.timeIntervalSince1970, now.timeIntervalSince1970])
            guard let saved = try Self.fetch(db, "channel = 'email' AND address = ?", [address]).first else {
                throw DatabaseError(message: "the subscription was not saved")
            }
            return saved
        }
    }

    public func subscribeWebhook(url: String, secret: String, language: String, productSlugs: [String], now: Date) async throws -> StatusSubscription {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO statusSubscription (channel, address, language, productSlugs, confirmedAt, createdAt, webhookSecret)
                VALUES ('webhook', ?, ?, ?, ?, ?, ?)
                ON CONFLICT(channel, address) DO UPDATE SET language = excluded.language, productSlugs = excluded.productSlugs,
                    webhookSecret = excluded.webhookSecret
                """, arguments: [url, language, Self.joined(productSlugs), now.timeIntervalSince1970, now.timeIntervalSince1970, secret])
            guard let saved = try Self.fetch(db, "channel = 'webhook' AND address = ?", [url]).first else {
                throw DatabaseError(message: "the subscription was not saved")
            }
            return saved
        }
    }

    public func subscription(id: Int64) async throws -> StatusSubscription? {
        try await writer.read { db in try Self.fetch(db, "id = ?", [id]).first }
    }

    public func subscription(userID: Int64) async throws -> StatusSubscription? {
        try await writer.read { db in try Self.fetch(db, "userID = ? AND channel = 'email'", [userID]).first }
    }

    public func subscriptions(limit: Int) async throws -> [StatusSubscription] {
        try await writer.read { db in try Self.fetch(db, "1 ORDER BY id LIMIT ?", [limit]) }
    }

    public func changeProducts(id: Int64, productSlugs: [String]) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE statusSubscription SET productSlugs = ? WHERE id = ?", arguments: [Self.joined(productSlugs), id])
        }
    }

    @discardableResult
    public func delete(id: Int64) async throws -> Bool {
        try await writer.write { db in
            let subscription = try Self.fetch(db, "id = ?", [id]).first
            try db.execute(sql: "DELETE FROM statusSubscription WHERE id = ?", arguments: [id])
            // An ended webhook subscription gets no more calls, even those already queued.
            if let subscription, subscription.channel == .webhook {
                try db.execute(sql: """
                    UPDATE outboxMessage SET state = 'dead', lastError = 'the subscription ended', nextAttemptAt = ?
                    WHERE kind = 'webhook' AND state = 'pending' AND recipient = ?
                    """, arguments: [Date().timeIntervalSince1970, subscription.address])
            }
            return subscription != nil
        }
    }

    public func followers(of productSlugs: [String]) async throws -> [StatusSubscription] {
        try await writer.read { db in
            try Self.fetch(db, "confirmedAt IS NOT NULL ORDER BY id", []).filter { $0.follows(any: productSlugs) }
        }
    }

    public func announcedThrough() async throws -> Int64 {
        try await writer.read { db in try Int64.fetchOne(db, sql: "SELECT eventID FROM announcementCursor WHERE id = 1") ?? 0 }
    }

    public func recordAnnouncement(eventID: Int64, mails: [Mail], webhooks: [Webhook], now: Date) async throws {
        try await writer.write { db in
            let through = try Int64.fetchOne(db, sql: "SELECT eventID FROM announcementCursor WHERE id = 1") ?? 0
            guard eventID > through else { return }
            for mail in mails {
                // One bad address must not hold back everyone else's mail.
                do { try Outbox.enqueue(mail, in: db, now: now) } catch is MailError { continue }
            }
            for webhook in webhooks {
                do { try Outbox.enqueueWebhook(webhook, in: db, now: now) } catch is WebhookError { continue } catch is WebhookTargetError { continue }
            }
            try db.execute(sql: "UPDATE announcementCursor SET eventID = ? WHERE id = 1", arguments: [eventID])
        }
    }

    @discardableResult
    public func pruneUnconfirmed(now: Date) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM statusSubscription WHERE confirmedAt IS NULL AND createdAt < ?",
                           arguments: [now.timeIntervalSince1970 - StatusSubscription.confirmationLifetime])
            return db.changesCount
        }
    }

    public func linkSecret() async throws -> [UInt8] {
        try await writer.write { db in
            if let stored = try Data.fetchOne(db, sql: "SELECT value FROM notifySecret WHERE name = 'links'") { return Array(stored) }
            var generator = SystemRandomNumberGenerator()
            let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            try db.execute(sql: "INSERT INTO notifySecret (name, value) VALUES ('links', ?)", arguments: [Data(secret)])
            return secret
        }
    }

    private static func joined(_ slugs: [String]) -> String { Set(slugs).sorted().joined(separator: " ") }

    private static func fetch(_ db: Database, _ condition: String, _ arguments: StatementArguments) throws -> [StatusSubscription] {
        // Columns are decoded with `try`: GRDB's `row["column"]` traps on a NULL or a value of
        // another type, and one damaged row would stop the whole server instead of one request.
        try Row.fetchAll(db, sql: "SELECT * FROM statusSubscription WHERE \(condition)", arguments: arguments).map { row in
            let slugs = try row.decode(String.self, forColumn: "productSlugs")
            let confirmed = try row.decode(Double?.self, forColumn: "confirmedAt")
            return StatusSubscription(
                id: try row.decode(Int64.self, forColumn: "id"),
                channel: StatusSubscription.Channel(rawValue: try row.decode(String.self, forColumn: "channel")) ?? .email,
                address: try row.decode(String.self, forColumn: "address"),
                userID: try row.decode(Int64?.self, forColumn: "userID"), language: try row.decode(String.self, forColumn: "language"),
                productSlugs: slugs.split(separator: " ").map(String.init),
                confirmedAt: confirmed.map(Date.init(timeIntervalSince1970:)),
                createdAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "createdAt")),
                webhookSecret: try row.decode(String?.self, forColumn: "webhookSecret"))
        }
    }
}
