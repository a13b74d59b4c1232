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

    /// "Fri, 20 Nov 2026 11:00:00 +0000".
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
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
