import Curl
import Foundation
import Logging
import Notify
import StatusModel
import Synchronization
import TestSupport

/// A clock the test moves by hand: due times and backoff without waiting for them.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_795_000_000))

    var now: Date { current.withLock { $0 } }

    func advance(seconds: Double) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

enum Fixture {
    static let logger = Logger(label: "notify-tests")

    static func memoryDatabase() throws -> SQLiteDatabase {
        try SQLiteDatabase.inMemory(migrations: [StatusModelMigrations(), NotifyMigrations()])
    }

    /// A database file in a folder of its own; delete the folder when done.
    static func fileDatabase() throws -> (SQLiteDatabase, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-notify-\(UUID().uuidString)")
        let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("db.sqlite").path,
                                               migrations: [StatusModelMigrations(), NotifyMigrations()])
        return (database, folder)
    }

    static func composer() throws -> MailComposer {
        try MailComposer(from: "Météo statusd <status@example.com>", baseURL: "https://status.example.com/")
    }

    static func mail(to: String = "alice@example.org", subject: String = "Cegid Loop: incident resolved") -> Mail {
        Mail(to: to, subject: subject, text: "The incident is resolved.\nSee https://status.example.com/products/loop",
             html: "<p>The incident is <b>resolved</b>.</p>", headers: [:], language: "en")
    }

    static func sender(_ server: SMTPServer, timeout: Duration = .seconds(10)) -> SMTPSender {
        SMTPSender(url: server.url, username: nil, password: nil, requireTLS: false, timeout: timeout)
    }

    /// Delays in milliseconds, so a test sees several retries in a second.
    static var fastPolicy: DeliveryPolicy {
        var policy = DeliveryPolicy()
        policy.pollInterval = .milliseconds(50)
        policy.baseDelay = .milliseconds(100)
        policy.maxDelay = .milliseconds(400)
        return policy
    }
}
