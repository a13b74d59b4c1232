import Curl
import Foundation
import Notify
import ServiceLifecycle
import StatusModel
import TestSupport
import Testing

/// Delivery from the outbox to a real SMTP server on loopback: what arrives, what is retried,
/// what is given up, and what a mail server that is down does to mail.
@Suite struct DeliveryServiceTests {
    typealias Service = DeliveryService<SQLiteOutboxStore, SMTPSender>

    func service(_ store: SQLiteOutboxStore, _ transport: SMTPSender, clock: TestClock? = nil,
                 policy: DeliveryPolicy = Fixture.fastPolicy) throws -> Service {
        let now: @Sendable () -> Date = if let clock { { clock.now } } else { { Date() } }
        // No jitter: the test knows each delay to the millisecond.
        return try DeliveryService(store: store, transport: transport, composer: Fixture.composer(), policy: policy,
                                   now: now, random: { _ in 0 }, logger: Fixture.logger)
    }

    /// Runs `service` until the returned group is shut down.
    func run(_ service: Service) -> (ServiceGroup, Task<Void, any Error>) {
        let group = ServiceGroup(configuration: .init(services: [service], logger: Fixture.logger))
        return (group, Task { try await group.run() })
    }

    @Test func aMailArrivesWithBothPartsItsUTF8SubjectItsMessageIDAndItsHeaders() async throws {
        let server = try await SMTPServer()
        let store = SQLiteOutboxStore(database: try Fixture.memoryDatabase())
        var mail = Fixture.mail(subject: "Météo : Cegid Loop est de nouveau opérationnel ✓")
        mail.text = "Bonjour,\nl'incident est résolu.\n"
        mail.html = "<p>Bonjour,</p><p>l'incident est <b>résolu</b>.</p>"
        mail.headers = ["List-Unsubscribe": "<https://status.example.com/unsubscribe/abc>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"]
        mail.language = "fr"
        let id = try await store.enqueue(mail, now: Date())

        let pass = try await service(store, Fixture.sender(server)).deliverDue()
        #expect(pass.sent == 1)

        let received = try #require(try server.messages().first)
        #expect(received.defects.isEmpty, "Python's MIME parser found: \(received.defects)")
        #expect(received.mailFrom == "status@example.com")
        #expect(received.recipients == ["alice@example.org"])
        #expect(received.subject == "Météo : Cegid Loop est de nouveau opérationnel ✓")
        #expect(received.header("From") == ["Météo statusd <status@example.com>"])
        #expect(received.text?.contains("l'incident est résolu.") == true)
        #expect(received.html?.contains("<b>résolu</b>") == true)
        #expect(received.header("List-Unsubscribe") == ["<https://status.example.com/unsubscribe/abc>"])
        #expect(received.header("List-Unsubscribe-Post") == ["List-Unsubscribe=One-Click"])
        #expect(received.header("Content-Language") == ["fr"])
        let stored = try #require(try await store.message(id: id))
        #expect(stored.state == .sent)
        #expect(received.header("Message-ID") == [stored.messageID ?? "none"])
    }

    @Test func headerInjectionThroughTheSubjectOrAHeaderValueGoesNowhere() async throws {
        let server = try await SMTPServer()
        let store = SQLiteOutboxStore(database: try Fixture.memoryDatabase())
        var mail = Fixture.mail(subject: "Ticket CS0000001\r\nBcc: eve@example.org")
        mail.headers = ["X-Ticket": "CS0000001\r\nBcc: eve@example.org\r\n\r\nforged body"]
        try await store.enqueue(mail, now: Date())
        #expect(try await service(store, Fixture.sender(server)).deliverDue().sent == 1)

        let received = try #require(try server.messages().first)
        #expect(received.recipients == ["alice@example.org"])
        #expect(received.header("Bcc").isEmpty)
        #expect(received.subject == "Ticket CS0000001  Bcc: eve@example.org", "the text stays inside the subject")
        #expect(received.text?.contains("forged body") == false)
        #expect(received.defects.isEmpty)
    }

    @Test func a550IsNotRetriedAndTheMessageIsADeadLetter() async throws {
        let server = try await SMTPServer()
        try await server.refuse(recipientsMatching: "^bob@", code: 550)
        let store = SQLiteOutboxStore(database: try Fixture.memoryDatabase())
        let clock = TestClock()
        let delivery = try service(store, Fixture.sender(server), clock: clock)
        let id = try await store.enqueue(Fixture.mail(to: "bob@example.org"), now: clock.now)

        #expect(await delivery.deliverDue().dead == 1)
        let letter = try #require(try await store.deadLetters(limit: 10).first)
        #expect(letter.id == id)
        #expect(letter.attempts == 1)
        #expect(letter.lastError?.contains("550") == true)
        #expect(letter.lastError?.contains("5.7.1 refused by test rule") == true, "the server's own words: \(letter.lastError ?? "")")

        clock.advance(seconds: 86_400)
        #expect(await delivery.deliverDue().claimed == 0, "never tried again")
        #expect(try await store.countsByState() == [.pending: 0, .sent: 0, .dead: 1])
        #expect(try server.messages().isEmpty)
    }

    @Test func a451IsRetriedAfterItsBackoffAndArrives() async throws {
        let server = try await SMTPServer()
        try await server.refuse(recipientsMatching: "^greylisted@", code: 451, times: 1)
        let store = SQLiteOutboxStore(database: try Fixture.memoryDatabase())
        let clock = TestClock()
        // The real delays (30 s first), on a clock the test moves.
        let delivery = try service(store, Fixture.sender(server), clock: clock, policy: DeliveryPolicy())
        let id = try await store.enqueue(Fixture.mail(to: "greylisted@example.org"), now: clock.now)

        #expect(await delivery.deliverDue().retried == 1)
        let waiting = try #require(try await store.message(id: id))
        #expect(waiting.state == .pending)
        #expect(waiting.attempts == 1)
        #expect(waiting.lastError?.contains("451") == true)
        #expect(abs(waiting.nextAttemptAt.timeIntervalSince(clock.now) - 30) < 0.01)

        clock.advance(seconds: 29)
        #expect(await delivery.deliverDue().claimed == 0, "not before its backoff")
        clock.advance(seconds: 1)
        #expect(await delivery.deliverDue().sent == 1)
        #expect(try await store.message(id: id)?.state == .sent)
        #expect(try server.messages().map(\.recipients) == [["greylisted@example.org"]])
    }

    @Test func repeated4xxAnswersGiveUpAfterMaxAttempts() async throws {
        let server = try await SMTPServer()
        try await server.refuse(recipientsMatching: "full", code: 452)
        let store = SQLiteOutboxStore(database: try Fixture.memoryDatabase())
        let clock = TestClock()
        var policy = DeliveryPolicy()
        policy.maxAttempts = 3
        let delivery = try service(store, Fixture.sender(server), clock: clock, policy: policy)
        let id = try await store.enqueue(Fixture.mail(to: "mailbox-full@example.org"), now: clock.now)
        for _ in 0..<2 {
            #expect(await delivery.deliverDue().retried == 1)
            clock.advance(seconds: 3600)
        }
        #expect(await delivery.deliverDue().dead == 1)
        let letter = try #require(try await store.message(id: id))
        #expect(letter.state == .dead)
        #expect(letter.lastError?.hasPrefix("gave up after 3 attempts") == true)
    }

    @Test func backoffDoublesUpToItsMaximumWithJitterEitherWay() {
        let policy = DeliveryPolicy()
        let plain = (1...9).map { policy.delay(afterAttempts: $0, random: { _ in 0 }) }
        #expect(plain == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600].map { Duration.seconds($0) })
        #expect(policy.delay(afterAttempts: 1, random: { _ in 1 }) == .seconds(36))
        #expect(policy.delay(afterAttempts: 1, random: { _ in -1 }) == .seconds(24))
        #expect(policy.delay(afterAttempts: 500, random: { _ in 0 }) == .seconds(3600))
    }

    @Test func aMailServerThatIsDownDelaysMailAndLosesNone() async throws {
        let server = try await SMTPServer(stopped: true)
        let (database, folder) = try Fixture.fileDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = SQLiteOutboxStore(database: database)
        var ids: [Int64] = []
        for index in 0..<10 { ids.append(try await store.enqueue(Fixture.mail(to: "user\(index)@example.org"), now: Date())) }
        let (group, running) = run(try service(store, Fixture.sender(server)))

        // Tried and failed to connect: still pending.
        #expect(try await eventually {
            let messages = try await ids.asyncMap { try await store.message(id: $0) }
            return messages.contains { $0?.lastError?.contains("connect") == true }
        })
        #expect(try await store.countsByState()[.pending] == 10)

        try await server.start()
        #expect(try await eventually { try await store.countsByState()[.sent] == 10 })
        await group.triggerGracefulShutdown()
        try await running.value

        // The outage counted against no message: the one attempt each is the one that went.
        for id in ids { #expect(try await store.message(id: id)?.attempts == 1) }
        let received = try server.messages()
        #expect(received.count == 10, "every mail exactly once")
        #expect(Set(received.flatMap(\.recipients)) == Set((0..<10).map { "user\($0)@example.org" }))
        let storedIDs = try await ids.asyncMap { try await store.message(id: $0)?.messageID ?? "" }
        #expect(Set(received.flatMap { $0.header("Message-ID") }) == Set(storedIDs))
    }

    @Test func wakingTheServiceDeliversAtOnceRatherThanAtTheNextPoll() async throws {
        let server = try await SMTPServer()
        let store = SQLiteOutboxStore(database: try Fixture.memoryDatabase())
        var policy = Fixture.fastPolicy
        policy.pollInterval = .seconds(3600)
        let delivery = try service(store, Fixture.sender(server), policy: policy)
        try await store.enqueue(Fixture.mail(to: "first@example.org"), now: Date())
        let (group, running) = run(delivery)
        // The first pass sends it; the service then waits for an hour, or a wake-up.
        #expect(try await eventually { try server.messages().count == 1 })

        try await store.enqueue(Fixture.mail(to: "second@example.org"), now: Date())
        delivery.wake()
        #expect(try await eventually(within: .seconds(10)) { try server.messages().count == 2 })
        await group.triggerGracefulShutdown()
        try await running.value
    }

    @Test func shutdownStopsASendInFlightAndTheMailStaysQueued() async throws {
        let silent = try SilentListener()
        let store = SQLiteOutboxStore(database: try Fixture.memoryDatabase())
        // The server never answers and the send would wait two minutes: a shutdown well before
        // that proves it does not wait for the mail server (with room for a loaded machine).
        let sender = SMTPSender(url: "smtp://127.0.0.1:\(silent.port)", username: nil, password: nil, requireTLS: false, timeout: .seconds(120))
        let id = try await store.enqueue(Fixture.mail(), now: Date())
        let (group, running) = run(try service(store, sender))
        #expect(try await eventually { silent.acceptIfWaiting() })

        let clock = ContinuousClock()
        let start = clock.now
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(clock.now - start < .seconds(30), "SIGTERM does not wait for the mail server")
        let message = try #require(try await store.message(id: id))
        #expect(message.state == .pending)
        #expect(message.attempts == 0)
        #expect(message.nextAttemptAt <= Date(), "due again at the next start")
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
