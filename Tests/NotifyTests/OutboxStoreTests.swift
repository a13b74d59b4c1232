import Foundation
import GRDB
import Notify
import StatusModel
import Testing

/// The contract every outbox store keeps, run on SQLite (a file, and in memory) and on
/// PostgreSQL: written with the change that causes it, claimed once even by two processes at
/// once, visible to operators.
@Suite struct OutboxStoreTests {
    @Test(arguments: NotifyStoreKind.allCases)
    func aMailIsWrittenIfAndOnlyIfItsChangeIsCommitted(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            await #expect(throws: NotifyStores.ChangeFailed.self) { try await stores.writeChange(with: Fixture.mail(), failing: true) }
            #expect(try await stores.outbox.countsByState() == [.pending: 0, .sent: 0, .dead: 0])
            #expect(try await stores.changeCount() == 0)

            try await stores.writeChange(with: Fixture.mail(), failing: false)
            #expect(try await stores.outbox.countsByState()[.pending] == 1)
            #expect(try await stores.changeCount() == 1)
        }
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func aMailThatCanNeverBeSentRollsItsChangeBack(kind: NotifyStoreKind) async throws {
        try await kind.withStores { (stores: NotifyStores) async throws in
            await #expect(throws: MailError.self) {
                try await stores.writeChange(with: Fixture.mail(to: "alice@example.org\r\nRCPT TO:<eve@example.org>"), failing: false)
            }
            #expect(try await stores.changeCount() == 0)
            #expect(try await stores.outbox.countsByState()[.pending] == 0)
        }
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func aClaimedMessageIsLeasedAndKeepsItsMessageID(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            let store = stores.outbox
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
            #expect(try await store.message(id: id)?.messageID == messageID, "kept in the row")
        }
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func twoDeliveryProcessesNeverClaimTheSameMessage(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            let now = TestClock().now
            var all: Set<Int64> = []
            for index in 0..<200 { all.insert(try await stores.outbox.enqueue(Fixture.mail(to: "user\(index)@example.org"), now: now)) }
            try await stores.withSecondProcess { other in
                let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                    for store in [stores.outbox, other.outbox, stores.outbox, other.outbox] {
                        group.addTask {
                            var mine: [Int64] = []
                            while true {
                                let batch = try await store.claimDue(now: now, limit: 3, leaseUntil: now.addingTimeInterval(300), messageIDDomain: "x")
                                if batch.isEmpty { return mine }
                                mine += batch.map(\.id)
                            }
                        }
                    }
                    return try await group.reduce(into: [Int64]()) { $0 += $1 }
                }
                #expect(claims.count == 200, "each message claimed exactly once")
                #expect(Set(claims) == all)
            }
        }
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func twoWebhookSendersNeverClaimTheSameWebhookNorAnyMail(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            let now = TestClock().now
            let mail = try await stores.outbox.enqueue(Fixture.mail(), now: now)
            var hooks: Set<Int64> = []
            for index in 0..<60 {
                let webhook = Webhook(url: "https://hooks.example.org/\(index)", secret: "whsec-test", event: "incident.updated", body: "{}")
                hooks.insert(try await stores.enqueueWebhook(webhook, now: now))
            }
            try await stores.withSecondProcess { other in
                let claims = try await withThrowingTaskGroup(of: [WebhookMessage].self) { group in
                    for store in [stores.outbox, other.outbox] {
                        group.addTask {
                            var mine: [WebhookMessage] = []
                            while true {
                                let batch = try await store.claimDueWebhooks(now: now, limit: 4, leaseUntil: now.addingTimeInterval(300))
                                if batch.isEmpty { return mine }
                                mine += batch
                            }
                        }
                    }
                    return try await group.reduce(into: [WebhookMessage]()) { $0 += $1 }
                }
                #expect(claims.count == 60)
                #expect(Set(claims.map(\.id)) == hooks)
                #expect(claims.allSatisfy { $0.attempts == 1 && $0.webhook.event == "incident.updated" })
            }
            #expect(try await stores.outbox.message(id: mail)?.attempts == 0, "mail is left to mail delivery")
        }
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func outcomesMoveMessagesBetweenStates(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            let store = stores.outbox
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

            let delivered = try #require(try await store.message(id: sent))
            #expect(delivered.state == .sent)
            #expect(delivered.sentAt == now)
            #expect(delivered.mail.subject.isEmpty && delivered.mail.text.isEmpty && delivered.mail.html == nil, "its content is erased")
            #expect(delivered.recipient == "a@example.org" && delivered.mail.language == "en", "who it went to stays")
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
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func aBatchIsMarkedSentInOneCall(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            let store = stores.outbox
            let now = TestClock().now
            var ids: [Int64] = []
            for index in 0..<5 { ids.append(try await store.enqueue(Fixture.mail(to: "u\(index)@example.org"), now: now)) }
            _ = try await store.claimDue(now: now, limit: 10, leaseUntil: now.addingTimeInterval(300), messageIDDomain: "x")
            try await store.markSent(ids: Array(ids.prefix(3)), at: now)
            try await store.markSent(ids: [], at: now)
            #expect(try await store.countsByState() == [.pending: 2, .sent: 3, .dead: 0])
        }
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func aMessageWhoseContentCannotBeReadIsDeadLetteredNotRetriedForever(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            let now = TestClock().now
            let id = try await stores.outbox.enqueue(Fixture.mail(), now: now)
            try await stores.damagePayload(id: id)
            #expect(try await stores.outbox.claimDue(now: now, limit: 10, leaseUntil: now.addingTimeInterval(300), messageIDDomain: "x").isEmpty)
            let letter = try #require(try await stores.outbox.deadLetters(limit: 10).first)
            #expect(letter.id == id)
            #expect(letter.lastError == "its content cannot be read")
        }
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
