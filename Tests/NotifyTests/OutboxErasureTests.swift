import Curl
import Foundation
import GRDB
import Notify
import StatusModel
import TestSupport
import Testing

/// Issue 9, item 9: once a mail is delivered, what it said (activation and reset links) is
/// gone from the database file, not only from the rows; who it went to, when, and in how many
/// attempts stays for the retention.
@Suite struct OutboxErasureTests {
    /// Every byte of the database: main file and WAL, after a checkpoint that empties the WAL.
    func databaseBytes(_ database: SQLiteDatabase, folder: URL) async throws -> Data {
        try await database.writer.writeWithoutTransaction { db in
            let row = try #require(try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)"))
            #expect(row[0] as Int == 0, "the checkpoint was not blocked")
        }
        var bytes = Data()
        for name in ["db.sqlite", "db.sqlite-wal"] {
            let url = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { bytes.append(try Data(contentsOf: url)) }
        }
        return bytes
    }

    func contains(_ bytes: Data, _ text: String) -> Bool { bytes.range(of: Data(text.utf8)) != nil }

    @Test func aDeliveredMailsLinksAreGoneFromTheDatabaseFile() async throws {
        let server = try await SMTPServer()
        let (database, folder) = try Fixture.fileDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = SQLiteOutboxStore(database: database)
        #expect(try await database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") } == 1)

        let token = "tok3n-" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let unsubscribe = "unsub-" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let subjectSecret = "subj-" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        // Long enough to spill into an overflow page, as a mail with a long HTML part does.
        let filler = String(repeating: "Bonjour, voici votre lien. ", count: 300)
        var mail = Mail(to: "ada@example.org", subject: "Activez votre compte \(subjectSecret)",
                        text: "\(filler)\nhttps://portal.example.com/activate/\(token)\n",
                        html: "<p>\(filler)</p><p><a href=\"https://portal.example.com/activate/\(token)\">activer</a></p>",
                        language: "fr")
        mail.headers = ["List-Unsubscribe": "<https://status.example.com/unsubscribe/\(unsubscribe)>"]
        // Other mail around it, so its pages are shared and reused.
        for index in 0..<20 { try await store.enqueue(Fixture.mail(to: "other\(index)@example.org"), now: Date()) }
        let id = try await store.enqueue(mail, now: Date())
        for index in 20..<40 { try await store.enqueue(Fixture.mail(to: "other\(index)@example.org"), now: Date()) }

        let before = try await databaseBytes(database, folder: folder)
        #expect(contains(before, token), "the check can find what it looks for")
        #expect(contains(before, unsubscribe))

        let delivery = try DeliveryService(store: store, transport: Fixture.sender(server), composer: Fixture.composer(),
                                           policy: Fixture.fastPolicy, now: { Date() }, random: { _ in 0 }, logger: Fixture.logger)
        var sent = 0
        for _ in 0..<20 where sent < 41 { sent += await delivery.deliverDue().sent }
        #expect(sent == 41)
        let received = try #require(try server.messages().first { $0.recipients == ["ada@example.org"] })
        #expect(received.text?.contains(token) == true, "it was delivered with its link")

        let after = try await databaseBytes(database, folder: folder)
        #expect(!contains(after, token), "the activation link is gone from the file")
        #expect(!contains(after, unsubscribe), "and the unsubscribe link")
        #expect(!contains(after, subjectSecret), "and the subject")
        #expect(!contains(after, "Bonjour, voici votre lien."), "and the body")

        let stored = try #require(try await store.message(id: id))
        #expect(stored.state == .sent)
        #expect(stored.recipient == "ada@example.org")
        #expect(stored.attempts == 1)
        #expect(stored.sentAt != nil)
        #expect(stored.messageID != nil)
        #expect(stored.mail.to == "ada@example.org")
        #expect(stored.mail.language == "fr")
        #expect(stored.mail.subject.isEmpty && stored.mail.text.isEmpty && stored.mail.html == nil && stored.mail.headers.isEmpty)
        #expect(try await store.countsByState() == [.pending: 0, .sent: 41, .dead: 0])
    }

    @Test func markingOneMessageSentErasesItsMailAndDeadLettersKeepTheirs() async throws {
        let database = try Fixture.memoryDatabase()
        let store = SQLiteOutboxStore(database: database)
        let id = try await store.enqueue(Fixture.mail(), now: Date())
        try await store.markSent(id: id, at: Date())
        let sent = try #require(try await store.message(id: id))
        #expect(sent.state == .sent)
        #expect(sent.mail.text.isEmpty && sent.mail.subject.isEmpty && sent.mail.html == nil)

        // A dead letter keeps its content: operators may send it again.
        let dead = try await store.enqueue(Fixture.mail(to: "bob@example.org"), now: Date())
        try await store.markDead(id: dead, reason: "550", at: Date())
        #expect(try await store.message(id: dead)?.mail.text == Fixture.mail().text)
    }
}
