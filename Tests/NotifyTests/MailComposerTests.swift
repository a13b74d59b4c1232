import Foundation
@testable import Notify
import Testing

/// The bytes a mail becomes: 7-bit, short CRLF lines, and no way out of a header line.
@Suite struct MailComposerTests {
    let date = Date(timeIntervalSince1970: 1_795_000_000)

    func compose(_ mail: Mail) throws -> String {
        String(decoding: try Fixture.composer().compose(mail, messageID: "<abc@status.example.com>", date: date), as: UTF8.self)
    }

    func headerLines(_ message: String) -> [String] {
        let head = message.components(separatedBy: "\r\n\r\n").first ?? ""
        return head.components(separatedBy: "\r\n")
    }

    @Test func everyLineIsSevenBitCRLFAndShort() throws {
        var mail = Fixture.mail(subject: String(repeating: "Météo des solutions SaaS : incident résolu — ", count: 5))
        mail.text = "Première ligne\nDeuxième ligne très longue " + String(repeating: "éàü ", count: 60) + "\r\nfin = 1  "
        mail.html = "<p>" + String(repeating: "Résolu ", count: 40) + "</p>"
        mail.headers = ["List-Unsubscribe": "<https://status.example.com/unsubscribe/" + String(repeating: "a", count: 10) + ">, <mailto:unsubscribe@example.com>"]
        let bytes = try Fixture.composer().compose(mail, messageID: "<abc@status.example.com>", date: date)
        #expect(bytes.allSatisfy { $0 < 128 })
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.replacing("\r\n", with: "").contains("\n"), "no bare line feed")
        #expect(!text.replacing("\r\n", with: "").contains("\r"), "no bare carriage return")
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78, "too long: \(line.debugDescription)") }
    }

    @Test func theHeadersAUserExpects() throws {
        let lines = headerLines(try compose(Fixture.mail()))
        #expect(lines.contains("From: =?UTF-8?B?TcOpdMOpbyBzdGF0dXNk?="), "Météo statusd, encoded")
        #expect(lines.contains(" <status@example.com>"))
        #expect(lines.contains("To: alice@example.org"))
        #expect(lines.contains("Subject: Cegid Loop: incident resolved"))
        #expect(lines.contains("Date: Wed, 18 Nov 2026 11:06:40 +0000"))
        #expect(lines.contains("Message-ID: <abc@status.example.com>"))
        #expect(lines.contains("MIME-Version: 1.0"))
        #expect(lines.contains("Content-Language: en"))
        #expect(lines.contains("Content-Type: multipart/alternative;"))
        #expect(lines.contains { $0.hasPrefix(" boundary=\"=_statusd_") })
    }

    @Test func aTextOnlyMailIsOnePart() throws {
        var mail = Fixture.mail()
        mail.html = nil
        let message = try compose(mail)
        #expect(headerLines(message).contains("Content-Type: text/plain; charset=UTF-8"))
        #expect(headerLines(message).contains("Content-Transfer-Encoding: quoted-printable"))
        #expect(!message.contains("multipart"))
    }

    @Test func messageIDsAreRandomAndNameTheSite() throws {
        let composer = try Fixture.composer()
        let first = composer.makeMessageID(), second = composer.makeMessageID()
        #expect(first != second)
        #expect(first.wholeMatch(of: /<[0-9a-f]{32}@status\.example\.com>/) != nil)
    }

    @Test("Line breaks in a subject or a header value stay inside their header", arguments: [
        "Hello\r\nBcc: eve@example.org", "Hello\nBcc: eve@example.org", "Hello\rBcc: eve@example.org",
        "Hello\u{85}Bcc: eve@example.org", "Hello\u{2028}Bcc: eve@example.org", "Héllo\r\n\r\n<script>evil</script>",
    ])
    func headerInjection(value: String) throws {
        var mail = Fixture.mail(subject: value)
        mail.headers = ["X-Ticket": value]
        let lines = headerLines(try compose(mail))
        #expect(!lines.contains { $0.lowercased().hasPrefix("bcc") })
        // Every line is a "Name: value" line or a folded continuation starting with a space.
        for line in lines { #expect(line.hasPrefix(" ") || line.contains(": "), "stray line \(line.debugDescription)") }
    }

    @Test func headersTheComposerWritesCannotBeReplacedOrMisnamed() throws {
        var mail = Fixture.mail()
        mail.headers = ["From": "eve@example.org", "bcc": "eve@example.org", "Bad Name": "x", "X-Bad\r\nBcc": "x", "Reply-To": "help@example.com"]
        let lines = headerLines(try compose(mail))
        #expect(!lines.contains { $0.contains("eve@example.org") })
        #expect(!lines.contains { $0.hasPrefix("Bad Name") || $0.hasPrefix("X-Bad") })
        #expect(lines.contains("Reply-To: help@example.com"))
    }

    @Test func validationRefusesWhatNoServerShouldSee() {
        #expect(throws: MailError.self) { try Fixture.mail(to: "alice@example.org\r\nRCPT TO:<eve@example.org>").validate() }
        #expect(throws: MailError.self) { try Fixture.mail(to: "Alice <alice@example.org>").validate() }
        #expect(throws: MailError.self) { try Fixture.mail(to: "alice@example.org, eve@example.org").validate() }
        #expect(throws: MailError.self) { try Fixture.mail(to: "").validate() }
        #expect(throws: MailError.self) { try Fixture.mail(to: "alice@example.org\u{0}").validate() }
        // Odd but harmless: the mail server judges it, the change that wrote the mail goes through.
        #expect(throws: Never.self) { try Fixture.mail(to: "élodie@exämple.fr").validate() }
        #expect(throws: Never.self) { try Fixture.mail(to: "a..b(c)@example.org").validate() }
        var mail = Fixture.mail()
        mail.headers = ["Bcc": "eve@example.org"]
        #expect(throws: MailError.self) { try mail.validate() }
        mail.headers = ["X-Bad\nName": "x"]
        #expect(throws: MailError.self) { try mail.validate() }
        mail.headers = ["List-Unsubscribe": "<https://status.example.com/u/1>"]
        #expect(throws: Never.self) { try mail.validate() }
    }

    @Test("Sender addresses", arguments: [
        ("status@example.com", "status@example.com", nil),
        ("Statusd <status@example.com>", "status@example.com", "Statusd"),
        ("\"Statusd, Inc.\" <status@example.com>", "status@example.com", "Statusd, Inc."),
    ] as [(String, String, String?)])
    func senderAddresses(text: String, address: String, name: String?) throws {
        let parsed = try #require(MailAddress(text))
        #expect(parsed.address == address)
        #expect(parsed.displayName == name)
    }

    @Test func badSendersAreRefused() {
        for text in ["status", "status@", "@example.com", "a b@example.com", "Eve\r\n <eve@example.com>", "status@exa mple.com", "a..b@example.com"] {
            #expect(MailAddress(text) == nil, "accepted \(text.debugDescription)")
        }
        #expect(throws: MailError.self) { try MailComposer(from: "not an address", baseURL: "https://status.example.com") }
    }

    @Test func quotedPrintableKeepsWhatMattersToSMTP() throws {
        var mail = Fixture.mail()
        mail.html = nil
        mail.text = ".a line starting with a dot\nFrom the start\nx = y\ntrailing space "
        let body = try compose(mail).components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        #expect(body.contains("=2Ea line starting with a dot\r\n"))
        #expect(body.contains("=46rom the start\r\n"))
        #expect(body.contains("x =3D y\r\n"))
        #expect(body.contains("trailing space=20"))
    }

    @Test("The Date header is what a date formatter writes, leap days and centuries included", arguments: [
        0.0, -1, 951_782_400, 951_868_799.5, 4_107_542_400, 1_795_000_000, 1_709_208_000, -2_208_988_800, 253_402_300_799,
    ])
    func dateHeader(seconds: Double) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let date = Date(timeIntervalSince1970: seconds)
        #expect(MailComposer.rfc5322Date(date) == formatter.string(from: date))
    }
}
