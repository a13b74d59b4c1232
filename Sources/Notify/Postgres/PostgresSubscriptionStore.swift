import Foundation
import Logging
import PostgresNIO
import StatusModel

/// Status subscriptions on PostgreSQL. Where two nodes may race, a row lock or a unique key
/// decides: the announcement cursor is locked while its event's messages are queued, the link
/// secret is inserted once whoever asks first, a confirmation link is spent by one UPDATE.
public struct PostgresSubscriptionStore: SubscriptionStore {
    let database: PostgreSQLDatabase
    var logger: Logger { database.logger }

    public init(database: PostgreSQLDatabase) {
        self.database = database
    }

    static let columns = """
        id, channel, address, user_id, language, product_slugs, confirmed_at, created_at, webhook_secret, last_request_mail_at
        """

    public func request(address: String, language: String, productSlugs: [String], confirmationHash: String, now: Date,
                        mail: @Sendable (SubscriptionRequestOutcome) -> Mail) async throws -> SubscriptionRequestOutcome {
        let slugs = Self.joined(productSlugs), at = now.timeIntervalSince1970
        return try await database.transaction { connection in
            // A new address is inserted; one that exists (even inserted a moment ago by another
            // node) is locked, so that two requests at once make one row and one decision each.
            let inserted = try await connection.query("""
                INSERT INTO status_subscription (channel, address, language, product_slugs, confirmation_hash, created_at)
                VALUES ('email', \(address), \(language), \(slugs), \(confirmationHash), \(at))
                ON CONFLICT (channel, address) DO NOTHING RETURNING id
                """, logger: logger)
            var outcome: SubscriptionRequestOutcome?
            for try await id in inserted.decode(Int64.self) { outcome = .awaitingConfirmation(id: id) }
            if outcome == nil {
                guard let (existing, lastMail) = try await Self.fetch(on: connection, logger: logger,
                                                                      "channel = 'email' AND address = $1 FOR UPDATE", [address]).first else {
                    throw PostgresOutboxError("the subscription request was not saved")
                }
                if let lastMail, at - lastMail < StatusSubscription.requestMailInterval {
                    // Mailed a moment ago: the answer is the same, the mailbox gets nothing more.
                    return existing.isConfirmed ? .alreadyConfirmed(id: existing.id) : .awaitingConfirmation(id: existing.id)
                }
                if existing.isConfirmed {
                    outcome = .alreadyConfirmed(id: existing.id)
                } else {
                    // A renewed request: a fresh link and clock, the latest choice of products.
                    try await connection.query("""
                        UPDATE status_subscription SET language = \(language), product_slugs = \(slugs),
                            confirmation_hash = \(confirmationHash), created_at = \(at) WHERE id = \(existing.id)
                        """, logger: logger)
                    outcome = .awaitingConfirmation(id: existing.id)
                }
            }
            guard let outcome else { throw PostgresOutboxError("the subscription request was not saved") }
            let id = switch outcome {
            case .awaitingConfirmation(let id), .alreadyConfirmed(let id): id
            }
            try await PostgresOutbox.enqueue(mail(outcome), on: connection, now: now, logger: logger)
            try await connection.query("UPDATE status_subscription SET last_request_mail_at = \(at) WHERE id = \(id)", logger: logger)
            return outcome
        }
    }

    public func confirm(confirmationHash: String, now: Date) async throws -> StatusSubscription? {
        let at = now.timeIntervalSince1970
        // One UPDATE spends the link: of two clicks at once, one confirms and the other finds nothing.
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: """
            UPDATE status_subscription SET confirmed_at = $1, confirmation_hash = NULL
            WHERE confirmation_hash = $2 AND confirmed_at IS NULL AND created_at > $3
            RETURNING \(Self.columns)
            """, binds: try Self.binds(at, confirmationHash, at - StatusSubscription.confirmationLifetime)), logger: logger)
        for try await row in rows { return try Self.subscription(row).subscription }
        return nil
    }

    public func subscribeUser(userID: Int64, address: String, language: String, productSlugs: [String], now: Date) async throws -> StatusSubscription {
        let at = now.timeIntervalSince1970
        // The user's address may have asked anonymously before: that row becomes theirs.
        return try await one(PostgresQuery(unsafeSQL: """
            INSERT INTO status_subscription (channel, address, user_id, language, product_slugs, confirmed_at, created_at)
            VALUES ('email', $1, $2, $3, $4, $5, $5)
            ON CONFLICT (channel, address) DO UPDATE SET user_id = excluded.user_id, language = excluded.language,
                product_slugs = excluded.product_slugs,
                confirmed_at = coalesce(status_subscription.confirmed_at, excluded.confirmed_at), confirmation_hash = NULL
            RETURNING \(Self.columns)
            """, binds: try Self.binds(address, userID, language, Self.joined(productSlugs), at)))
    }

    public func subscribeWebhook(url: String, secret: String, language: String, productSlugs: [String], now: Date) async throws -> StatusSubscription {
        try await one(PostgresQuery(unsafeSQL: """
            INSERT INTO status_subscription (channel, address, language, product_slugs, confirmed_at, created_at, webhook_secret)
            VALUES ('webhook', $1, $2, $3, $4, $4, $5)
            ON CONFLICT (channel, address) DO UPDATE SET language = excluded.language, product_slugs = excluded.product_slugs,
                webhook_secret = excluded.webhook_secret
            RETURNING \(Self.columns)
            """, binds: try Self.binds(url, language, Self.joined(productSlugs), now.timeIntervalSince1970, secret)))
    }

    public func subscription(id: Int64) async throws -> StatusSubscription? {
        try await select("id = $1", [id]).first
    }

    public func subscription(userID: Int64) async throws -> StatusSubscription? {
        try await select("user_id = $1 AND channel = 'email'", [userID]).first
    }

    public func subscriptions(limit: Int) async throws -> [StatusSubscription] {
        try await select("true ORDER BY id LIMIT $1", [max(0, limit)])
    }

    public func changeProducts(id: Int64, productSlugs: [String]) async throws {
        try await database.client.query("UPDATE status_subscription SET product_slugs = \(Self.joined(productSlugs)) WHERE id = \(id)", logger: logger)
    }

    @discardableResult
    public func delete(id: Int64) async throws -> Bool {
        try await database.transaction { connection in
            let rows = try await connection.query("DELETE FROM status_subscription WHERE id = \(id) RETURNING channel, address", logger: logger)
            var deleted: (channel: String, address: String)?
            for try await (channel, address) in rows.decode((String, String).self) { deleted = (channel, address) }
            // An ended webhook subscription gets no more calls, even those already queued.
            if let deleted, deleted.channel == StatusSubscription.Channel.webhook.rawValue {
                try await connection.query("""
                    UPDATE outbox_message SET state = 'dead', last_error = 'the subscription ended', next_attempt_at = \(Date().timeIntervalSince1970)
                    WHERE kind = 'webhook' AND state = 'pending' AND recipient = \(deleted.address)
                    """, logger: logger)
            }
            return deleted != nil
        }
    }

    public func followers(of productSlugs: [String]) async throws -> [StatusSubscription] {
        try await select("confirmed_at IS NOT NULL ORDER BY id", []).filter { $0.follows(any: productSlugs) }
    }

    public func announcedThrough() async throws -> Int64 {
        let rows = try await database.client.query("SELECT event_id FROM announcement_cursor WHERE id = 1", logger: logger)
        for try await eventID in rows.decode(Int64.self) { return eventID }
        return 0
    }

    public func recordAnnouncement(eventID: Int64, mails: [Mail], webhooks: [Webhook], now: Date) async throws {
        try await database.transaction { connection in
            // The cursor's row lock: a second node announcing the same event waits here, then
            // reads the cursor the first one moved, and queues nothing.
            var through: Int64 = 0
            let rows = try await connection.query("SELECT event_id FROM announcement_cursor WHERE id = 1 FOR UPDATE", logger: logger)
            for try await value in rows.decode(Int64.self) { through = value }
            guard eventID > through else { return }
            for mail in mails {
                // One bad address must not hold back everyone else's mail (checked before any write).
                guard let record = try? OutboxRecord(mail: mail, now: now) else { continue }
                _ = try await PostgresOutbox.insert(record, on: connection, logger: logger)
            }
            for webhook in webhooks {
                guard let record = try? OutboxRecord(webhook: webhook, now: now) else { continue }
                _ = try await PostgresOutbox.insert(record, on: connection, logger: logger)
            }
            try await connection.query("UPDATE announcement_cursor SET event_id = \(eventID) WHERE id = 1", logger: logger)
        }
    }

    @discardableResult
    public func pruneUnconfirmed(now: Date) async throws -> Int {
        let cutoff = now.timeIntervalSince1970 - StatusSubscription.confirmationLifetime
        let rows = try await database.client.query("""
            DELETE FROM status_subscription WHERE confirmed_at IS NULL AND created_at < \(cutoff) RETURNING id
            """, logger: logger)
        return try await rows.collect().count
    }

    public func linkSecret() async throws -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let candidate = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        // Whoever inserts first wins; everyone, that one included, reads the stored secret.
        return try await database.transaction { connection in
            try await connection.query("""
                INSERT INTO notify_secret (name, value) VALUES ('links', \(candidate)) ON CONFLICT (name) DO NOTHING
                """, logger: logger)
            let rows = try await connection.query("SELECT value FROM notify_secret WHERE name = 'links'", logger: logger)
            for try await value in rows.decode(Data.self) { return Array(value) }
            throw PostgresOutboxError("the link secret was not saved")
        }
    }

    // MARK: Rows

    private static func joined(_ slugs: [String]) -> String { Set(slugs).sorted().joined(separator: " ") }

    private static func binds(_ values: any PostgresEncodable & Sendable...) throws -> PostgresBindings {
        try binds(values)
    }

    private static func binds(_ values: [any PostgresEncodable & Sendable]) throws -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { try binds.append(value, context: .default) }
        return binds
    }

    private func select(_ condition: String, _ values: [any PostgresEncodable & Sendable]) async throws -> [StatusSubscription] {
        // A read needs no BEGIN and COMMIT around it.
        try await database.client.withConnection { connection in
            try await Self.fetch(on: connection, logger: logger, condition, values).map(\.subscription)
        }
    }

    private func one(_ query: PostgresQuery) async throws -> StatusSubscription {
        for try await row in try await database.client.query(query, logger: logger) { return try Self.subscription(row).subscription }
        throw PostgresOutboxError("the subscription was not saved")
    }

    private static func fetch(on connection: PostgresConnection, logger: Logger, _ condition: String,
                              _ values: [any PostgresEncodable & Sendable]) async throws -> [(subscription: StatusSubscription, lastMail: Double?)] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(columns) FROM status_subscription WHERE \(condition)",
                                                            binds: try binds(values)),
                                              logger: logger)
        var found: [(StatusSubscription, Double?)] = []
        for try await row in rows { found.append(try subscription(row)) }
        return found
    }

    private static func subscription(_ row: PostgresRow) throws -> (subscription: StatusSubscription, lastMail: Double?) {
        let (id, channel, address, userID, language, slugs, confirmed, created, secret, lastMail) = try row.decode(
            (Int64, String, String, Int64?, String, String, Double?, Double, String?, Double?).self)
        let subscription = StatusSubscription(
            id: id, channel: StatusSubscription.Channel(rawValue: channel) ?? .email, address: address, userID: userID,
            language: language, productSlugs: slugs.split(separator: " ").map(String.init),
            confirmedAt: confirmed.map(Date.init(timeIntervalSince1970:)), createdAt: Date(timeIntervalSince1970: created),
            webhookSecret: secret)
        return (subscription, lastMail)
    }
}
