import Foundation

/// Turns a `Mail` into the RFC 5322 bytes an SMTP server takes: headers (non-ASCII ones as
/// RFC 2047 encoded words), then a text part, or text and HTML as multipart/alternative, in
/// UTF-8 quoted-printable. No value can break out of its header line.
public struct MailComposer: Sendable {
    /// The sender, as the From header shows it.
    public let from: MailAddress
    /// The right-hand side of Message-IDs: the host of the site's base URL.
    public let messageIDDomain: String

    /// - Parameters:
    ///   - from: "status@example.com" or "Statusd <status@example.com>".
    ///   - baseURL: the site's public address, whose host names the Message-IDs.
    public init(from: String, baseURL: String) throws(MailError) {
        guard let address = MailAddress(from) else { throw MailError(.invalidSender, "not a valid sender address: \(from.debugDescription)") }
        self.from = address
        self.messageIDDomain = Self.domain(of: baseURL)
    }

    /// A new, unique Message-ID: `<128 random bits in hex@host>`.
    public func makeMessageID() -> String {
        Self.makeMessageID(domain: messageIDDomain)
    }

    static func makeMessageID(domain: String) -> String {
        "<\(randomHex(words: 2))@\(domain)>"
    }

    /// 64 random bits per word, in hex.
    static func randomHex(words: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<words).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }

    /// The message's bytes. `date` is when it was written (the Date header); the same mail,
    /// Message-ID and date give the same headers on every attempt.
    public func compose(_ mail: Mail, messageID: String, date: Date) -> [UInt8] {
        var head = ""
        // Built from a validated address and a name without control characters: safe as it is.
        head += "From: \(fromHeaderValue)\r\n"
        head += "To: \(MailHeaders.clean(mail.to))\r\n"
        head += MailHeaders.field("Subject", mail.subject)
        head += "Date: \(Self.rfc5322Date(date))\r\n"
        head += "Message-ID: \(MailHeaders.clean(messageID))\r\n"
        head += "MIME-Version: 1.0\r\n"
        if Self.isLanguageTag(mail.language) { head += "Content-Language: \(mail.language)\r\n" }
        for (name, value) in mail.headers.sorted(by: { $0.key < $1.key })
        where MailHeaders.isValidName(name) && !MailHeaders.reserved.contains(name.lowercased()) {
            head += MailHeaders.field(name, value)
        }
        let body: String
        if let html = mail.html {
            let boundary = "=_statusd_" + Self.randomHex(words: 2)
            head += "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n"
            body = "This is a multi-part message in MIME format.\r\n"
                + "--\(boundary)\r\n" + Self.part(mail.text, type: "text/plain")
                + "--\(boundary)\r\n" + Self.part(html, type: "text/html")
                + "--\(boundary)--\r\n"
        } else {
            head += Self.partHeaders(type: "text/plain")
            body = QuotedPrintable.encode(mail.text) + "\r\n"
        }
        return Array((head + "\r\n" + body).utf8)
    }

    private var fromHeaderValue: String {
        guard let name = from.displayName else { return from.address }
        let plain = name.unicodeScalars.allSatisfy { MailAddress.isAtomText($0) || $0 == " " }
        if plain { return "\(name) <\(from.address)>" }
        if name.unicodeScalars.allSatisfy(\.isASCII) {
            let quoted = name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            return "\"\(quoted)\" <\(from.address)>"
        }
        // Encoded words for a non-ASCII name; the address stays readable on its own line.
        return MailHeaders.encodedWords(MailHeaders.clean(name), used: "From: ".utf8.count) + "\r\n <\(from.address)>"
    }

    private static func partHeaders(type: String) -> String {
        "Content-Type: \(type); charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
    }

    private static func part(_ content: String, type: String) -> String {
        partHeaders(type: type) + "\r\n" + QuotedPrintable.encode(content) + "\r\n"
    }

    /// "Fri, 20 Nov 2026 11:00:00 +0000", in UTC. Computed by hand: a DateFormatter made per
    /// mail was a fifth of the CPU a bulk delivery spent, and one shared is not thread-safe.
    static func rfc5322Date(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSince1970: days)
        let weekday = ((days % 7) + 7 + 4) % 7  // 1 January 1970 was a Thursday
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdays[Int(weekday)]), \(two(day)) \(months[Int(month) - 1]) \(year) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) +0000"
    }

    /// Year, month (1-12) and day of a count of days since 1970-01-01 in the proleptic Gregorian
    /// calendar (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func isLanguageTag(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 35 && text.unicodeScalars.allSatisfy { MailAddress.isASCIILetterOrDigit($0) || $0 == "-" }
    }

    /// The base URL's host when it can stand in a Message-ID, else a name that says it is not one.
    static func domain(of baseURL: String) -> String {
        let host = URL(string: baseURL)?.host?.lowercased() ?? ""
        let usable = !host.isEmpty && host.unicodeScalars.allSatisfy { MailAddress.isASCIILetterOrDigit($0) || $0 == "-" || $0 == "." }
        return usable ? host : "statusd.invalid"
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
