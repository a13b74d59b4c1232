import Foundation
import GRDB
import Notify
import StatusModel
import Testing

/// The outbox on SQLite: written with the change that causes it, claimed once, visible to operators.
@Suite struct OutboxStoreTests {
    struct ChangeFailed: Error {}

    /// The change a mail is about: here, a product row of StatusModel's tables.
    func insertProduct(_ db: Database, slug: String) throws {
        try db.execute(sql: """
            INSERT INTO product (slug, name, family, position, visibility, monitoredSince, hasChecks)
            VALUES (?, 'Loop', '', 0, 'public', 0, 0)
            """, arguments: [slug])
    }

    func productCount(_ database: SQLiteDatabase) async throws -> Int {
        try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM product") ?? 0 }
    }

    @Test func aMailIsWrittenIfAndOnlyIfItsChangeIsCommitted() async throws {
        let database = try Fixture.memoryDatabase()
        let store = SQLiteOutboxStore(database: database)
        await #expect(throws: ChangeFailed.self) {
            try await database.writer.write { db in
                try insertProduct(db, slug: "loop")
                try Outbox.enqueue(Fixture.mail(), in: db, now: Date())
                throw ChangeFailed()
            }
        }
        #expect(try await store.countsByState() == [.pending: 0, .sent: 0, .dead: 0])
        #expect(try await productCount(database) == 0)

        try await database.writer.write { db in
            try insertProduct(db, slug: "loop")
            try Outbox.enqueue(Fixture.mail(), in: db, now: Date())
        }
        #expect(try await store.countsByState()[.pending] == 1)
        #expect(try await productCount(database) == 1)
    }

    @Test func aMailThatCanNeverBeSentRollsItsChangeBack() async throws {
        let database = try Fixture.memoryDatabase()
        await #expect(throws: MailError.self) {
            try await database.writer.write { db in
                try insertProduct(db, slug: "loop")
                try Outbox.enqueue(Fixture.mail(to: "alice@example.org\r\nRCPT TO:<eve@example.org>"), in: db, now: Date())
            }
        }
        #expect(try await productCount(database) == 0)
    }

    @Test func aClaimedMessageIsLeasedAndKeepsItsMessageID() async throws {
        let store = SQLiteOutboxStore(database: try Fixture.memoryDatabase())
        let now = TestClock().now
        let id = try await store.enqueue(Fixture.mail(), now: now)
        let lease = now.addingTimeInterval(300)
        let first = try await store.claimDue(now: now, limit: 10, leaseUntil: lease, messageIDDomain: "status.example.com")
        #expect(first.map(\.id) == [id])
        #expect(first.first?.attempts == 1)
        #expect(first.first?.nextAttemptAt == lease)
        let messageID = try #require(first.first?.messageID)
        #expect(messageID.wholeMatch(of: /<[0-9a-f]{32}@status\.example\.com>/) != nil)
        #expect(first.first?.mail == Fixture.mail())

        #expect(try await store.claimDue(now: now, limit: 10, leaseUntil: lease, messageIDDomain: "x").isEmpty, "leased to the first claim")
        // A sender that died never reports back: the message comes back when the lease ends.
        let again = try await store.claimDue(now: lease, limit: 10, leaseUntil: lease.addingTimeInterval(300), messageIDDomain: "x")
        #expect(again.first?.attempts == 2)
        #expect(again.first?.messageID == messageID, "every attempt sends the same Message-ID")
    }

    @Test func twoDeliveryProcessesNeverClaimTheSameMessage() async throws {
        let (database, folder) = try Fixture.fileDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A second pool on the same file, as a second statusd process would open it.
        let other = try SQLiteDatabase.open(path: folder.appendingPathComponent("db.sqlite").path,
                                            migrations: [StatusModelMigrations(), NotifyMigrations()])
        let stores = [SQLiteOutboxStore(database: database), SQLiteOutboxStore(database: other)]
        let now = TestClock().now
        var all: Set<Int64> = []
        for index in 0..<60 { all.insert(try await stores[0].enqueue(Fixture.mail(to: "user\(index)@example.org"), now: now)) }

        let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for store in stores {
                group.addTask {
                    var mine: [Int64] = []
                    while true {
                        let batch = try await store.claimDue(now: now, limit: 3, leaseUntil: now.addingTimeInterval(300), messageIDDomain: "x")
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(claims[0]).isDisjoint(with: claims[1]))
        #expect(claims[0].count + claims[1].count == 60)
        #expect(Set(claims[0] + claims[1]) == all)
    }

    @Test func outcomesMoveMessagesBetweenStates() async throws {
        let store = SQLiteOutboxStore(database: try Fixture.memoryDatabase())
        let now = TestClock().now
        let sent = try await store.enqueue(Fixture.mail(to: "a@example.org"), now: now)
        let retried = try await store.enqueue(Fixture.mail(to: "b@example.org"), now: now)
        let released = try await store.enqueue(Fixture.mail(to: "c@example.org"), now: now)
        let dead = try await store.enqueue(Fixture.mail(to: "d@example.org"), now: now)
        _ = try await store.claimDue(now: now, limit: 10, leaseUntil: now.addingTimeInterval(300), messageIDDomain: "x")

        try await store.markSent(id: sent, at: now)
        try await store.scheduleRetry(id: retried, at: now.addingTimeInterval(30), error: "451 try later")
        try await store.release(id: released, at: now.addingTimeInterval(5), error: "connection refused")
        try await store.markDead(id: dead, reason: "550 no such user", at: now)

        #expect(try await store.message(id: sent)?.state == .sent)
        #expect(try await store.message(id: sent)?.sentAt == now)
        let retry = try #require(try await store.message(id: retried))
        #expect(retry.state == .pending && retry.attempts == 1 && retry.lastError == "451 try later")
        #expect(retry.nextAttemptAt == now.addingTimeInterval(30))
        let release = try #require(try await store.message(id: released))
        #expect(release.attempts == 0, "an unreachable server does not count against the message")
        #expect(release.lastError == "connection refused")
        #expect(try await store.countsByState() == [.pending: 2, .sent: 1, .dead: 1])

        let letters = try await store.deadLetters(limit: 10)
        #expect(letters.map(\.id) == [dead])
        #expect(letters.first?.lastError == "550 no such user")
        #expect(letters.first?.recipient == "d@example.org")

        #expect(try await store.requeue(id: dead, now: now))
        #expect(try await store.requeue(id: sent, now: now) == false, "only dead letters go back")
        #expect(try await store.message(id: dead)?.state == .pending)
        #expect(try await store.message(id: dead)?.attempts == 0)

        #expect(try await store.pruneSent(before: now) == 0)
        #expect(try await store.pruneSent(before: now.addingTimeInterval(1)) == 1)
        #expect(try await store.message(id: sent) == nil)
    }

    @Test func aMessageWhoseContentCannotBeReadIsDeadLetteredNotRetriedForever() async throws {
        let database = try Fixture.memoryDatabase()
        let store = SQLiteOutboxStore(database: database)
        let now = TestClock().now
        let id = try await store.enqueue(Fixture.mail(), now: now)
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE outboxMessage SET payload = '{broken' WHERE id = ?", arguments: [id])
        }
        #expect(try await store.claimDue(now: now, limit: 10, leaseUntil: now.addingTimeInterval(300), messageIDDomain: "x").isEmpty)
        let letter = try #require(try await store.deadLetters(limit: 10).first)
        #expect(letter.id == id)
        #expect(letter.lastError == "its content cannot be read")
    }

    /// The outbox table of the stand-in the portal was first built against.
    struct StandInMigrations: SQLiteMigrations {
        func register(in migrator: inout DatabaseMigrator) {
            migrator.registerMigration("notify.v1") { db in
                try db.execute(sql: """
                    CREATE TABLE outboxMessage (id INTEGER PRIMARY KEY AUTOINCREMENT, recipient TEXT NOT NULL,
                        payload TEXT NOT NULL, state TEXT NOT NULL, createdAt DOUBLE NOT NULL)
                    """)
            }
        }
    }

    @Test func mailQueuedUnderTheStandInSchemaIsKept() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-notify-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("db.sqlite").path
        let old = try SQLiteDatabase.open(path: path, migrations: [StatusModelMigrations(), StandInMigrations()])
        let payload = String(decoding: try JSONEncoder().encode(Fixture.mail()), as: UTF8.self)
        try await old.writer.write { db in
            try db.execute(sql: "INSERT INTO outboxMessage (recipient, payload, state, createdAt) VALUES (?, ?, 'pending', 1000)",
                           arguments: ["alice@example.org", payload])
        }

        let store = SQLiteOutboxStore(database: try SQLiteDatabase.open(path: path, migrations: [StatusModelMigrations(), NotifyMigrations()]))
        let now = TestClock().now
        let claimed = try await store.claimDue(now: now, limit: 10, leaseUntil: now.addingTimeInterval(300), messageIDDomain: "x")
        #expect(claimed.map(\.mail) == [Fixture.mail()])
        #expect(claimed.first?.createdAt == Date(timeIntervalSince1970: 1000))
    }
}
