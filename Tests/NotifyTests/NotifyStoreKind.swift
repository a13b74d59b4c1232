import Foundation
import GRDB
import Logging
import Notify
import PostgresNIO
import StatusModel
import TestSupport
import Testing

/// Each store kind Notify's contract suites run against.
enum NotifyStoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteFile, sqliteMemory, postgres

    var testDescription: String { rawValue }

    /// Runs `body` on new empty stores of this kind, then closes them.
    func withStores(_ body: (NotifyStores) async throws -> Void) async throws {
        let fixture = try await NotifyStores.make(self)
        do {
            try await body(fixture)
            await fixture.close()
        } catch {
            await fixture.close()
            throw error
        }
    }
}

/// Notify's stores as another process opens them on the same database.
struct NotifyStoreSet: Sendable {
    let outbox: any OutboxStore & WebhookOutboxStore
    let subscriptions: any SubscriptionStore
}

/// Notify's stores on one database of one kind, and what a contract case needs beside the
/// store protocols: a change written in the same transaction, a second process on the same
/// database, a damaged row.
final class NotifyStores: Sendable {
    let kind: NotifyStoreKind
    let outbox: any OutboxStore & WebhookOutboxStore
    let subscriptions: any SubscriptionStore
    private let sqlite: SQLiteDatabase?
    private let postgres: PostgreSQLDatabase?
    private let postgresURL: String?
    private let folder: URL?

    private init(kind: NotifyStoreKind, sqlite: SQLiteDatabase?, postgres: PostgreSQLDatabase?, postgresURL: String? = nil, folder: URL? = nil) {
        self.kind = kind
        self.sqlite = sqlite
        self.postgres = postgres
        self.postgresURL = postgresURL
        self.folder = folder
        if let postgres {
            outbox = PostgresOutboxStore(database: postgres)
            subscriptions = PostgresSubscriptionStore(database: postgres)
        } else {
            outbox = SQLiteOutboxStore(database: sqlite!)
            subscriptions = SQLiteSubscriptionStore(database: sqlite!)
        }
    }

    static func make(_ kind: NotifyStoreKind) async throws -> NotifyStores {
        switch kind {
        case .sqliteMemory:
            return NotifyStores(kind: kind, sqlite: try Fixture.memoryDatabase(), postgres: nil)
        case .sqliteFile:
            let (database, folder) = try Fixture.fileDatabase()
            return NotifyStores(kind: kind, sqlite: database, postgres: nil, folder: folder)
        case .postgres:
            let server = try await PostgresServer.shared()
            let name = try await server.database(template: "notify") { url in
                try await PostgreSQLDatabase.open(try PostgresAddress(url: url), migrations: Self.postgresMigrations, patience: Self.patience, logger: Self.logger).close()
            }
            let url = server.url(database: name)
            let database = try await PostgreSQLDatabase.open(try PostgresAddress(url: url), migrations: Self.postgresMigrations, patience: Self.patience, logger: Self.logger)
            return NotifyStores(kind: kind, sqlite: nil, postgres: database, postgresURL: url)
        }
    }

    /// The whole suite starts at once on two cores in CI: a first connection can take long.
    static let patience: Duration = .seconds(120)
    static let postgresMigrations: [any PostgresMigrations] = [NotifyPostgresMigrations(), ChangeTableMigration()]
    /// Warnings and up: closing a pool logs each connection it was still opening at info.
    static let logger: Logger = {
        var logger = Logger(label: "notify-tests")
        logger.logLevel = .warning
        return logger
    }()

    func close() async {
        await postgres?.close()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Another store on the same database, as a second statusd process opens it: a second pool
    /// on the same file, or a second PostgreSQL client. In memory there is no second process:
    /// the same store, called from two tasks at once.
    func withSecondProcess(_ body: (NotifyStoreSet) async throws -> Void) async throws {
        switch kind {
        case .sqliteMemory:
            try await body(NotifyStoreSet(outbox: outbox, subscriptions: subscriptions))
        case .sqliteFile:
            let other = try SQLiteDatabase.open(path: folder!.appendingPathComponent("db.sqlite").path,
                                                migrations: [StatusModelMigrations(), NotifyMigrations()])
            try await body(NotifyStoreSet(outbox: SQLiteOutboxStore(database: other), subscriptions: SQLiteSubscriptionStore(database: other)))
        case .postgres:
            let other = try await PostgreSQLDatabase.open(try PostgresAddress(url: postgresURL!), migrations: Self.postgresMigrations, patience: Self.patience, logger: Self.logger)
            do {
                try await body(NotifyStoreSet(outbox: PostgresOutboxStore(database: other), subscriptions: PostgresSubscriptionStore(database: other)))
                await other.close()
            } catch {
                await other.close()
                throw error
            }
        }
    }

    struct ChangeFailed: Error {}

    /// Writes a change (a row of another table) and `mail` in one transaction, which throws
    /// `ChangeFailed` after both when `failing`: the mail must then be gone with the change.
    func writeChange(with mail: Mail, failing: Bool) async throws {
        if let postgres {
            try await postgres.transaction { connection in
                try await connection.query("INSERT INTO scratch_change DEFAULT VALUES", logger: Self.logger)
                try await PostgresOutbox.enqueue(mail, on: connection, now: Date(), logger: Self.logger)
                if failing { throw ChangeFailed() }
            }
        } else {
            try await sqlite!.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO product (slug, name, family, position, visibility, monitoredSince, hasChecks)
                    VALUES (?, 'Loop', '', 0, 'public', 0, 0)
                    """, arguments: ["loop-\(UUID().uuidString)"])
                try Outbox.enqueue(mail, in: db, now: Date())
                if failing { throw ChangeFailed() }
            }
        }
    }

    /// How many changes `writeChange` committed.
    func changeCount() async throws -> Int {
        if let postgres {
            let rows = try await postgres.client.query("SELECT count(*) FROM scratch_change", logger: Self.logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
        return try await sqlite!.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM product") ?? 0 }
    }

    /// Overwrites a message's payload with text that is not JSON, as damage or a newer version would.
    func damagePayload(id: Int64) async throws {
        if let postgres {
            try await postgres.client.query("UPDATE outbox_message SET payload = '{broken' WHERE id = \(id)", logger: Self.logger)
        } else {
            try await sqlite!.writer.write { db in
                try db.execute(sql: "UPDATE outboxMessage SET payload = '{broken' WHERE id = ?", arguments: [id])
            }
        }
    }

    /// Queues a webhook, as a status change does in its transaction.
    func enqueueWebhook(_ webhook: Webhook, now: Date) async throws -> Int64 {
        if let postgres {
            return try await postgres.transaction { connection in
                try await PostgresOutbox.enqueueWebhook(webhook, on: connection, now: now, logger: Self.logger)
            }
        }
        return try await sqlite!.writer.write { db in try Outbox.enqueueWebhook(webhook, in: db, now: now) }
    }
}

/// The table of the changes mail goes with, on PostgreSQL (StatusModel's tables are not there yet).
struct ChangeTableMigration: PostgresMigrations {
    var migrations: [PostgresMigration] {
        [PostgresMigration("tests.scratch_change", ["CREATE TABLE scratch_change (id serial PRIMARY KEY)"])]
    }
}
