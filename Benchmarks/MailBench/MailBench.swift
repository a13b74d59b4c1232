import ArgumentParser
import Curl
import Foundation
import GRDB
import Logging
import Notify
import ServiceLifecycle
import StatusModel

/// Measures one update to N subscribers end to end, through the real parts: the operator's
/// save (publish_ms), the announcement service writing one mail per subscriber in one
/// transaction (enqueue_ms, from the publish), then the real DeliveryService sending them
/// through the real SMTPSender until every one is sent (total_s, from the publish). Prints
/// `key=value` figures for Benchmarks/mail.sh.
@main
struct MailBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mail-bench")

    @Option(help: "The SMTP server (aiosmtpd on loopback).") var smtpURL: String
    @Option(help: "How many mails.") var mails = 10_000
    @Option(help: "Give up after this many seconds.") var limit = 300
    @Option(help: "Mails sent at once (DeliveryPolicy.concurrency); statusd's default when not given.") var concurrency: Int?

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mail-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("bench.sqlite").path,
                                               migrations: [StatusModelMigrations(), NotifyMigrations()])
        let store = SQLiteOutboxStore(database: database)
        var logger = Logger(label: "mail-bench")
        logger.logLevel = .warning

        // N confirmed subscribers of one product, set up before the clock starts.
        let subscriptions = SubscriptionService(store: SQLiteSubscriptionStore(database: database), baseURL: "https://status.example.com")
        let status = SQLiteStatusStore(database: database, calendar: DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!))
        try await status.syncProducts([Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: Date())])
        for index in 0..<mails {
            _ = try await subscriptions.subscribeUser(userID: Int64(index), email: "subscriber\(index)@example.org",
                                                      language: index.isMultiple(of: 2) ? "fr" : "en", productSlugs: ["loop"], now: Date())
        }

        // The operator publishes an update: what they wait for is this save, nothing more.
        let clock = ContinuousClock()
        let published = clock.now
        var incident = Incident(id: "bench", title: "Lenteurs sur Cegid Loop", impact: .minor, productSlugs: ["loop"], startedAt: Date())
        incident.post(.init(status: .resolved, message: "Les temps de réponse sont revenus à la normale.", at: Date()))
        try await status.save(incident)
        let publishTime = clock.now - published
        // The announcement service turns it into one mail per subscriber, in one transaction.
        let announcer = AnnouncementService(events: status, subscriptions: subscriptions, calendar: DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!),
                                            logger: logger)
        try await announcer.announcePending()
        let enqueueTime = clock.now - published

        let sender = SMTPSender(url: smtpURL, username: nil, password: nil, requireTLS: false, timeout: .seconds(30))
        let composer = try MailComposer(from: "Statusd <status@example.com>", baseURL: "https://status.example.com")
        // The policy statusd runs with: the figure is what a deployment gets.
        var policy = DeliveryPolicy()
        if let concurrency { policy.concurrency = concurrency }
        let delivery = DeliveryService(store: store, transport: sender, composer: composer, policy: policy, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [delivery], logger: logger))
        let started = published
        let running = Task { try await group.run() }
        delivery.wake()

        var sent = 0
        while sent < mails {
            let counts = try await store.countsByState()
            sent = counts[.sent] ?? 0
            if (counts[.dead] ?? 0) > 0 { throw ValidationError("\(counts[.dead] ?? 0) mails were given up: see the server's log") }
            if clock.now - started > .seconds(limit) { throw ValidationError("only \(sent) of \(mails) mails sent in \(limit) s") }
            if sent < mails { try await Task.sleep(for: .milliseconds(20)) }
        }
        let total = clock.now - started
        await group.triggerGracefulShutdown()
        try await running.value

        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        func milliseconds(_ duration: Duration) -> Double {
            (Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) * 1000
        }
        print(String(format: "mail-bench: concurrency=%d mails=%d publish_ms=%.0f enqueue_ms=%.0f total_s=%.2f mails_per_s=%.0f",
                     policy.concurrency, mails, milliseconds(publishTime), milliseconds(enqueueTime), seconds, Double(mails) / seconds))
    }
}
