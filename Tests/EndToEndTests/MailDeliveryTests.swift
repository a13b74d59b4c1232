import Foundation
import Notify
import StatusModel
import TestSupport
import Testing

/// Mail through the built binary: `statusd serve` delivers the outbox to the configured server,
/// keeps it when none is configured, and `statusd outbox` shows and requeues dead letters.
@Suite struct MailDeliveryTests {
    static let config = """
        database: $DATABASE
        base_url: https://status.example.com
        """

    func outbox(_ workspace: borrowing Workspace) throws -> SQLiteOutboxStore {
        // Another process's pool on the same file, as a portal writing mail would be.
        SQLiteOutboxStore(database: try SQLiteDatabase.open(path: workspace.databasePath,
                                                            migrations: [StatusModelMigrations(), NotifyMigrations()]))
    }

    func welcome(to: String = "alice@example.org") -> Mail {
        Mail(to: to, subject: "Bienvenue sur le portail", text: "Bonjour,\nvotre compte est prêt.", language: "fr")
    }

    @Test func serveDeliversQueuedMailThroughTheServerTheEnvironmentNames() async throws {
        let smtp = try await SMTPServer()
        let workspace = try Workspace(config: Self.config)
        let outbox = try outbox(workspace)
        let id = try await outbox.enqueue(welcome(), now: Date())
        let server = try await RunningServer.start(configPath: workspace.configPath, stderrPath: workspace.folder.appendingPathComponent("stderr.log").path,
                                       environment: ["STATUSD_LISTEN": "127.0.0.1:0", "STATUSD_SMTP_URL": smtp.url,
                                                     "STATUSD_SMTP_FROM": "Statusd <status@example.com>"])

        #expect(try await eventually { try await outbox.message(id: id)?.state == .sent })
        let received = try #require(try smtp.messages().first)
        #expect(received.recipients == ["alice@example.org"])
        #expect(received.subject == "Bienvenue sur le portail")
        #expect(received.header("Message-ID").first?.hasSuffix("@status.example.com>") == true, "named after base_url")
        #expect(try await server.stopped() < 10)
        #expect(try smtp.messages().count == 1)
    }

    @Test func withoutSMTPMailWaitsInTheOutboxAndTheLogSaysSo() async throws {
        let workspace = try Workspace(config: Self.config)
        let outbox = try outbox(workspace)
        let id = try await outbox.enqueue(welcome(), now: Date())
        let log = workspace.folder.appendingPathComponent("stderr.log").path
        let server = try await RunningServer.start(configPath: workspace.configPath, stderrPath: log)
        _ = try await server.stopped()
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("no smtp in the config: mail waits in the outbox"))
        #expect(text.contains("waiting=1"))
        #expect(try await outbox.message(id: id)?.state == .pending)
    }

    @Test func theOutboxCommandShowsDeadLettersAndRequeuesThem() async throws {
        let workspace = try Workspace(config: Self.config)
        let outbox = try outbox(workspace)
        let now = Date()
        let id = try await outbox.enqueue(welcome(to: "nobody@example.org"), now: now)
        _ = try await outbox.claimDue(now: now, limit: 1, leaseUntil: now.addingTimeInterval(300), messageIDDomain: "status.example.com")
        try await outbox.markDead(id: id, reason: "refused: RCPT failed: 550 (server said: 550 5.1.1 no such user)", at: now)

        let listing = try await StatusdBinary.runAsync(["outbox", "--config", workspace.configPath])
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(listing.stdout.contains("0 pending, 0 sent, 1 dead"))
        #expect(listing.stdout.contains("\(id)\t"))
        #expect(listing.stdout.contains("nobody@example.org\tBienvenue sur le portail\trefused: RCPT failed: 550"))

        let requeued = try await StatusdBinary.runAsync(["outbox", "--config", workspace.configPath, "--requeue", "\(id)"])
        #expect(requeued.status == 0, "\(requeued.stderr)")
        #expect(try await outbox.message(id: id)?.state == .pending)
        #expect(try await outbox.message(id: id)?.attempts == 0)

        let unknown = try await StatusdBinary.runAsync(["outbox", "--config", workspace.configPath, "--requeue", "\(id)"])
        #expect(unknown.status == 1, "no longer a dead letter")
        #expect(unknown.stderr.contains("no dead letter \(id)"))
    }
}
