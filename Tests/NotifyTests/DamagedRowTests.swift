import Foundation
import GRDB
import Notify
import StatusModel
import Testing

/// A damaged row (a NULL, or a value of another type, which SQLite accepts) fails the read that
/// meets it with a thrown error: GRDB's `row["column"]` would have trapped and stopped the whole
/// process, so none of these tests could pass if a store still read that way.
@Suite struct NotifyDamagedRowTests {
    /// A WAL database file, removed when the test is done.
    final class Files: Sendable {
        let database: SQLiteDatabase
        private let folder: URL

        init() throws {
            let (database, folder) = try Fixture.fileDatabase()
            self.database = database
            self.folder = folder
        }
        deinit { try? FileManager.default.removeItem(at: folder) }

        func execute(_ sql: String, _ arguments: StatementArguments = []) async throws {
            try await database.writer.write { db in try db.execute(sql: sql, arguments: arguments) }
        }

        /// Lifts the NOT NULL constraints of `table`, as in a file edited by hand or by an older
        /// tool, so that SQLite accepts the NULLs the store must survive.
        func allowNulls(in table: String) async throws {
            try await database.writer.writeWithoutTransaction { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
                try db.execute(sql: "PRAGMA writable_schema = ON")
                try db.execute(sql: "UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', '') WHERE type = 'table' AND name = ?",
                               arguments: [table])
                // A new schema version makes every connection of the pool read the changed schema.
                try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
                try db.execute(sql: "PRAGMA writable_schema = OFF")
            }
        }
    }

    @Test func aDamagedOutboxRowFailsTheClaimAndTheDeadLettersUntilItIsRepaired() async throws {
        let files = try Files(), store = SQLiteOutboxStore(database: files.database)
        let now = TestClock().now, lease = now.addingTimeInterval(300)
        let first = try await store.enqueue(Fixture.mail(to: "alice@example.org"), now: now)
        let second = try await store.enqueue(Fixture.mail(to: "bob@example.org"), now: now)
        let dead = try await store.enqueue(Fixture.mail(to: "carol@example.org"), now: now)
        try await store.markDead(id: dead, reason: "550 no such user", at: now)
        #expect(try await store.deadLetters(limit: 10).map(\.id) == [dead])
        try await files.allowNulls(in: "outboxMessage")

        try await files.execute("UPDATE outboxMessage SET createdAt = NULL WHERE id = ?", [dead])
        await #expect(throws: (any Error).self) { try await store.deadLetters(limit: 10) }
        await #expect(throws: (any Error).self) { try await store.message(id: dead) }
        #expect(try await store.message(id: first)?.recipient == "alice@example.org")

        try await files.execute("UPDATE outboxMessage SET recipient = NULL WHERE id = ?", [first])
        await #expect(throws: (any Error).self) {
            try await store.claimDue(now: now, limit: 10, leaseUntil: lease, messageIDDomain: "status.example.com")
        }
        #expect(try await store.message(id: second)?.attempts == 0, "the failed claim took nothing")

        try await files.execute("UPDATE outboxMessage SET recipient = 'alice@example.org' WHERE id = ?", [first])
        try await files.execute("UPDATE outboxMessage SET createdAt = ? WHERE id = ?", [now.timeIntervalSince1970, dead])
        let claimed = try await store.claimDue(now: now, limit: 10, leaseUntil: lease, messageIDDomain: "status.example.com")
        #expect(claimed.map(\.id) == [first, second])
        #expect(try await store.deadLetters(limit: 10).map(\.id) == [dead])
    }

    @Test func aDamagedSubscriptionFailsItsReadsAndLeavesTheOthersReadable() async throws {
        let files = try Files(), store = SQLiteSubscriptionStore(database: files.database)
        let now = TestClock().now
        let alice = try await store.subscribeUser(userID: 1, address: "alice@example.org", language: "fr", productSlugs: ["loop"], now: now)
        let bob = try await store.subscribeUser(userID: 2, address: "bob@example.org", language: "en", productSlugs: [], now: now)

        try await files.execute("UPDATE statusSubscription SET createdAt = 'abc' WHERE id = ?", [alice.id])
        await #expect(throws: (any Error).self) { try await store.subscription(id: alice.id) }
        await #expect(throws: (any Error).self) { try await store.subscription(userID: 1) }
        await #expect(throws: (any Error).self) { try await store.subscriptions(limit: 10) }
        await #expect(throws: (any Error).self) { try await store.followers(of: ["loop"]) }
        #expect(try await store.subscription(userID: 2)?.address == bob.address)

        // An optional column with a value of another type fails too: it is not read as "not confirmed".
        try await files.execute("UPDATE statusSubscription SET createdAt = ?, confirmedAt = 'abc' WHERE id = ?",
                                [now.timeIntervalSince1970, alice.id])
        await #expect(throws: (any Error).self) { try await store.subscription(id: alice.id) }

        try await files.allowNulls(in: "statusSubscription")
        try await files.execute("UPDATE statusSubscription SET confirmedAt = ?, language = NULL WHERE id = ?", [now.timeIntervalSince1970, alice.id])
        await #expect(throws: (any Error).self) { try await store.subscription(id: alice.id) }

        try await files.execute("UPDATE statusSubscription SET language = 'fr' WHERE id = ?", [alice.id])
        #expect(try await store.subscription(id: alice.id) == alice)
        #expect(try await store.followers(of: ["loop"]).map(\.id) == [alice.id, bob.id])
    }
}
