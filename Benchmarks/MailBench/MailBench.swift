import ArgumentParser
import Curl
import Foundation
import GRDB
import Logging
import Notify
import ServiceLifecycle
import StatusModel

/// Measures mail delivery as an update to many subscribers makes it: N distinct mails queued in
/// one transaction (as the subscription fan-out does), then the real DeliveryService sending
/// them through the real SMTPSender until every one is sent. Prints `key=value` figures for
/// Benchmarks/mail.sh.
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

        let clock = ContinuousClock()
        let queued = clock.now
        try await database.writer.write { db in
            for index in 0..<mails { try Outbox.enqueue(Self.mail(index), in: db, now: Date()) }
        }
        let enqueueTime = clock.now - queued

        let sender = SMTPSender(url: smtpURL, username: nil, password: nil, requireTLS: false, timeout: .seconds(30))
        let composer = try MailComposer(from: "Statusd <status@example.com>", baseURL: "https://status.example.com")
        // The policy statusd runs with: the figure is what a deployment gets.
        var policy = DeliveryPolicy()
        if let concurrency { policy.concurrency = concurrency }
        let delivery = DeliveryService(store: store, transport: sender, composer: composer, policy: policy, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [delivery], logger: logger))
        let started = clock.now
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
        let enqueueMs = (Double(enqueueTime.components.seconds) + Double(enqueueTime.components.attoseconds) / 1e18) * 1000
        print(String(format: "mail-bench: concurrency=%d mails=%d enqueue_ms=%.0f total_s=%.2f mails_per_s=%.0f", policy.concurrency, mails, enqueueMs, seconds, Double(mails) / seconds))
    }

    /// A subscriber's update mail, text and HTML, of the usual size; each to its own address.
    static func mail(_ index: Int) -> Mail {
        let text = """
            Cegid Loop: incident resolved

            The incident that slowed down Cegid Loop since 09:12 is resolved. Every product is operational.
            See https://status.example.com/incidents/42

            You get this mail because you follow Cegid Loop. Unsubscribe: https://status.example.com/u/\(index)
            """
        let html = "<h1>Cegid Loop: incident resolved</h1><p>The incident that slowed down Cegid Loop since 09:12 is "
            + "<b>resolved</b>. Every product is operational.</p><p><a href=\"https://status.example.com/incidents/42\">Details</a></p>"
        return Mail(to: "subscriber\(index)@example.org", subject: "Cegid Loop: incident resolved", text: text, html: html,
                    headers: ["List-Unsubscribe": "<https://status.example.com/u/\(index)>"], language: "en")
    }
}
