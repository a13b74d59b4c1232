import Foundation
import GRDB
import Logging
import Notify
import PostgresNIO
import StatusModel
import TestSupport
import Testing

/// Each store kind the outbox contract runs against.
enum OutboxStoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteFile, sqliteMemory, postgres

    var testDescription: String { rawValue }

    /// Runs `body` on a new empty outbox of this kind, then closes it.
    func withOutbox(_ body: (OutboxFixture) async throws -> Void) async throws {
        let fixture = try await OutboxFixture.make(self)
        do {
            try await body(fixture)
            await fixture.close()
        } catch {
            await fixture.close()
            throw error
        }
    }
}

/// One outbox of one store kind, and what a contract case needs beside the store protocol:
/// a change written in the same transaction, a second process on the same database, a damaged row.
final class OutboxFixture: Sendable {
    let kind: OutboxStoreKind
    let store: any OutboxStore & WebhookOutboxStore
    private let sqlite: SQLiteDatabase?
    private let postgres: PostgreSQLDatabase?
    private let postgresURL: String?
    private let folder: URL?

    private init(kind: OutboxStoreKind, sqlite: SQLiteDatabase?, postgres: PostgreSQLDatabase?, postgresURL: String? = nil, folder: URL? = nil) {
        self.kind = kind
        self.sqlite = sqlite
        self.postgres = postgres
        self.postgresURL = postgresURL
        self.folder = folder
        if let postgres {
            store = PostgresOutboxStore(database: postgres)
        } else {
            store = SQLiteOutboxStore(database: sqlite!)
        }
    }

    static func make(_ kind: OutboxStoreKind) async throws -> OutboxFixture {
        switch kind {
        case .sqliteMemory:
            return OutboxFixture(kind: kind, sqlite: try Fixture.memoryDatabase(), postgres: nil)
        case .sqliteFile:
            let (database, folder) = try Fixture.fileDatabase()
            return OutboxFixture(kind: kind, sqlite: database, postgres: nil, folder: folder)
        case .postgres:
            let server = try await PostgresServer.shared()
            let name = try await server.database(template: "notify") { url in
                try await PostgreSQLDatabase.open(try PostgresAddress(url: url), migrations: Self.postgresMigrations, logger: Self.logger).close()
            }
            let url = server.url(database: name)
            let database = try await PostgreSQLDatabase.open(try PostgresAddress(url: url), migrations: Self.postgresMigrations, logger: Self.logger)
            return OutboxFixture(kind: kind, sqlite: nil, postgres: database, postgresURL: url)
        }
    }

    static let postgresMigrations: [any PostgresMigrations] = [NotifyPostgresMigrations(), ChangeTableMigration()]
    static let logger = Logger(label: "notify-tests")

    func close() async {
        await postgres?.close()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Another store on the same database, as a second statusd process opens it: a second pool
    /// on the same file, or a second PostgreSQL client. In memory there is no second process:
    /// the same store, called from two tasks at once.
    func withSecondProcess(_ body: (any OutboxStore & WebhookOutboxStore) async throws -> Void) async throws {
        switch kind {
        case .sqliteMemory:
            try await body(store)
        case .sqliteFile:
            let other = try SQLiteDatabase.open(path: folder!.appendingPathComponent("db.sqlite").path,
                                                migrations: [StatusModelMigrations(), NotifyMigrations()])
            try await body(SQLiteOutboxStore(database: other))
        case .postgres:
            let other = try await PostgreSQLDatabase.open(try PostgresAddress(url: postgresURL!), migrations: Self.postgresMigrations, logger: Self.logger)
            do {
                try await body(PostgresOutboxStore(database: other))
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
