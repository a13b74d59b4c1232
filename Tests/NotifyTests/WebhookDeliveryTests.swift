import Crypto
import Curl
import Foundation
import GRDB
@testable import Notify
import StatusModel
import TestSupport
import Testing

/// Webhook delivery from the outbox to a real HTTP server on loopback: what arrives, how it is
/// signed, what is retried, what is given up, and where redirects may lead.
@Suite struct WebhookDeliveryTests {
    static let body = #"{"event":"incident.updated","incident":{"id":42,"status":"identified"}}"#

    func service(_ store: SQLiteOutboxStore, policy: WebhookTargetPolicy = WebhookTargetPolicy(allowPrivateTargets: true),
                 clock: TestClock) -> WebhookDeliveryService<SQLiteOutboxStore> {
        // No jitter: the test knows each delay to the millisecond. A CI machine running the
        // whole suite on two cores can take seconds per hop of a redirect, and these tests are
        // about what is sent, not about the attempt's deadline: give it a minute.
        var sender = WebhookSender(policy: policy, now: { clock.now })
        sender.timeout = .seconds(60)
        return WebhookDeliveryService(store: store, sender: sender, now: { clock.now }, random: { _ in 0 }, logger: Fixture.logger)
    }

    func enqueue(_ url: String, into database: SQLiteDatabase, clock: TestClock) async throws -> Int64 {
        let webhook = Webhook(url: url, secret: "whsec-test", event: "incident.updated", body: Self.body)
        return try await database.writer.write { db in try Outbox.enqueueWebhook(webhook, in: db, now: clock.now) }
    }

    @Test func theReceiverGetsASignedJSONPostWithEveryHeader() async throws {
        let server = try await WebhookServer()
        let database = try Fixture.memoryDatabase()
        let store = SQLiteOutboxStore(database: database)
        let clock = TestClock()
        let id = try await enqueue(server.url("/hook"), into: database, clock: clock)

        #expect(await service(store, clock: clock).deliverDue().sent == 1)

        let request = try #require(try await server.requests().first)
        #expect(request.method == "POST")
        #expect(request.path == "/hook")
        #expect(request.body == Self.body)
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["x-statusd-event"] == "incident.updated")
        #expect(request.headers["x-statusd-delivery"] == "\(id)")
        let timestamp = try #require(request.headers["x-statusd-timestamp"])
        #expect(timestamp == "\(Int64(clock.now.timeIntervalSince1970))")
        // What a receiver does: HMAC-SHA256 of "timestamp.body" with the shared secret.
        let expected = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(request.body)".utf8),
                                                       using: SymmetricKey(data: Data("whsec-test".utf8)))
        let hex = expected.map { String(format: "%02x", $0) }.joined()
        #expect(request.headers["x-statusd-signature"] == "sha256=\(hex)")
        #expect(try await store.message(id: id)?.state == .sent)
    }

    @Test func a503IsRetriedAfterItsBackoffThenDeliveredOnce() async throws {
        let server = try await WebhookServer()
        try await server.answer("/hook", with: [503, 200])
        let database = try Fixture.memoryDatabase()
        let store = SQLiteOutboxStore(database: database)
        let clock = TestClock()
        let delivery = service(store, clock: clock)
        let id = try await enqueue(server.url("/hook"), into: database, clock: clock)

        #expect(await delivery.deliverDue().retried == 1)
        let waiting = try #require(try await store.message(id: id))
        #expect(waiting.state == .pending)
        #expect(waiting.lastError?.contains("HTTP 503") == true)
        #expect(abs(waiting.nextAttemptAt.timeIntervalSince(clock.now) - 30) < 0.01, "DeliveryPolicy's first delay")

        clock.advance(seconds: 29)
        #expect(await delivery.deliverDue().claimed == 0, "not before its backoff")
        clock.advance(seconds: 1)
        #expect(await delivery.deliverDue().sent == 1)
        clock.advance(seconds: 86_400)
        #expect(await delivery.deliverDue().claimed == 0, "delivered once, never again")

        let requests = try await server.requests()
        #expect(requests.count == 2)
        #expect(Set(requests.map { $0.headers["x-statusd-delivery"] }) == ["\(id)"], "the same delivery id on each attempt")
        #expect(try await store.message(id: id)?.state == .sent)
    }

    @Test func a404IsADeadLetterAtOnce() async throws {
        let server = try await WebhookServer()
        try await server.answer("/gone", with: [404])
        let database = try Fixture.memoryDatabase()
        let store = SQLiteOutboxStore(database: database)
        let clock = TestClock()
        let delivery = service(store, clock: clock)
        let id = try await enqueue(server.url("/gone"), into: database, clock: clock)

        #expect(await delivery.deliverDue().dead == 1)
        let letter = try #require(try await store.deadLetters(limit: 10).first)
        #expect(letter.id == id)
        #expect(letter.kind == "webhook")
        #expect(letter.lastError?.contains("HTTP 404") == true)
        clock.advance(seconds: 86_400)
        #expect(await delivery.deliverDue().claimed == 0, "never tried again")
        #expect(try await server.requests().count == 1)
    }

    @Test func aRedirectToAnAllowedTargetIsFollowedAndOneToARefusedTargetIsADeadLetter() async throws {
        let allowed = try await WebhookServer()
        let intranet = try await WebhookServer()
        // Only the first server is allowed: 127.0.0.1 in general, the second one included, is not.
        let policy = WebhookTargetPolicy(allowedTargets: ["127.0.0.1:\(allowed.port)"])
        try await allowed.redirect("/moved", to: allowed.url("/hook"), status: 308)
        try await allowed.redirect("/escape", to: intranet.url("/admin"))
        let database = try Fixture.memoryDatabase()
        let store = SQLiteOutboxStore(database: database)
        let clock = TestClock()
        let delivery = service(store, policy: policy, clock: clock)
        let moved = try await enqueue(allowed.url("/moved"), into: database, clock: clock)
        let escape = try await enqueue(allowed.url("/escape"), into: database, clock: clock)

        let pass = await delivery.deliverDue()
        #expect(pass.sent == 1)
        #expect(pass.dead == 1)
        #expect(try await store.message(id: moved)?.state == .sent)
        #expect(try await allowed.requests().contains { $0.path == "/hook" && $0.body == Self.body })
        let letter = try #require(try await store.message(id: escape))
        #expect(letter.state == .dead)
        #expect(letter.lastError?.contains("redirected to \(intranet.url("/admin"))") == true, "\(letter.lastError ?? "")")
        #expect(letter.lastError?.contains("loopback address (127.0.0.1)") == true)
        #expect(try await intranet.requests().isEmpty, "the refused target never saw a byte")
    }

    @Test func aTargetRefusedAtSendTimeIsNeverContacted() async throws {
        let server = try await WebhookServer()
        let database = try Fixture.memoryDatabase()
        let store = SQLiteOutboxStore(database: database)
        let clock = TestClock()
        let id = try await enqueue(server.url("/hook"), into: database, clock: clock)

        #expect(await service(store, policy: WebhookTargetPolicy(), clock: clock).deliverDue().dead == 1)
        #expect(try await store.message(id: id)?.lastError?.contains("loopback address") == true)
        #expect(try await server.requests().isEmpty)
    }

    @Test func theConnectionGoesToTheCheckedAddressNotToWhatDNSSaysLater() async throws {
        let server = try await WebhookServer()
        // "hooks.statusd.test" exists only in this resolver: libcurl can reach it only through
        // the address the check pinned.
        var policy = WebhookTargetPolicy(allowPrivateTargets: true)
        policy.resolver = { _ in [IPAddress(literal: "127.0.0.1")].compactMap { $0 } }
        let database = try Fixture.memoryDatabase()
        let store = SQLiteOutboxStore(database: database)
        let clock = TestClock()
        let id = try await enqueue("http://hooks.statusd.test:\(server.port)/hook", into: database, clock: clock)

        #expect(await service(store, policy: policy, clock: clock).deliverDue().sent == 1)
        #expect(try await server.requests().first?.headers["host"] == "hooks.statusd.test:\(server.port)")
        #expect(try await store.message(id: id)?.state == .sent)

        // The same name in capitals and with a trailing dot still goes to the pinned address.
        let shouted = try await enqueue("http://HOOKS.Statusd.TEST.:\(server.port)/hook", into: database, clock: clock)
        #expect(await service(store, policy: policy, clock: clock).deliverDue().sent == 1)
        #expect(try await store.message(id: shouted)?.state == .sent)
    }

    @Test func mailAndWebhookDeliveryEachClaimOnlyTheirOwnKind() async throws {
        let database = try Fixture.memoryDatabase()
        let store = SQLiteOutboxStore(database: database)
        let clock = TestClock()
        let mail = try await store.enqueue(Fixture.mail(), now: clock.now)
        let webhook = try await enqueue("https://hooks.example.com/statusd", into: database, clock: clock)
        let lease = clock.now.addingTimeInterval(300)
        #expect(try await store.claimDue(now: clock.now, limit: 10, leaseUntil: lease, messageIDDomain: "example.com").map(\.id) == [mail])
        #expect(try await store.claimDueWebhooks(now: clock.now, limit: 10, leaseUntil: lease).map(\.id) == [webhook])
        #expect(try await store.message(id: webhook)?.webhook?.event == "incident.updated")
    }

    @Test func aWebhookThatCanNeverBeSentRollsTheChangeBack() async throws {
        let database = try Fixture.memoryDatabase()
        let store = SQLiteOutboxStore(database: database)
        let bad = [
            Webhook(url: "ftp://hooks.example.com/", secret: "s", event: "incident.updated", body: "{}"),
            Webhook(url: "https://hooks.example.com/", secret: "s", event: "incident.updated", body: "{not json"),
            Webhook(url: "https://hooks.example.com/", secret: "s", event: "incident updated\r\nX-Evil: 1", body: "{}"),
            Webhook(url: "https://hooks.example.com/", secret: "", event: "incident.updated", body: "{}"),
        ]
        for webhook in bad {
            await #expect(throws: (any Error).self) {
                try await database.writer.write { db in
                    try store.enqueue(Fixture.mail(), in: db)
                    try Outbox.enqueueWebhook(webhook, in: db, now: Date())
                }
            }
        }
        #expect(try await store.countsByState()[.pending] == 0, "the mail of the same change was rolled back too")
    }
}

extension SQLiteOutboxStore {
    /// A mail queued in the caller's transaction, as another module's store does.
    func enqueue(_ mail: Mail, in db: Database) throws {
        try Outbox.enqueue(mail, in: db, now: Date())
    }
}
