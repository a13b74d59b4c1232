/// One email to send: to whom, what it says in text (and HTML), in which language, with any
/// extra headers. Stored as JSON in the outbox until it is sent.
public struct Mail: Sendable, Hashable, Codable {
    /// One recipient address, bare: "someone@example.com".
    public var to: String
    public var subject: String
    public var text: String
    /// The same content in HTML, shown by mail clients that can; nil for text only.
    public var html: String?
    /// Extra headers such as List-Unsubscribe. Headers the composer writes itself (From, To,
    /// Subject, Date, Message-ID, MIME and Content-* headers...) cannot be replaced.
    public var headers: [String: String]
    /// The language it is written in ("fr", "en"), sent as Content-Language.
    public var language: String

    public init(to: String, subject: String, text: String, html: String? = nil, headers: [String: String] = [:], language: String) {
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.headers = headers
        self.language = language
    }

    /// Refuses what no mail server should ever see: a recipient that is not one address on one
    /// line, or a header name that is not a header name. Subject and header values are made
    /// safe by the composer instead (a line break in them becomes a space), so user text never
    /// fails. An address that is safe but odd is the mail server's to judge: a refusal makes a
    /// dead letter operators see, rather than failing the change that wrote the mail.
    public func validate() throws(MailError) {
        guard MailAddress.isSafeRecipient(to) else { throw MailError(.invalidRecipient, "not a valid recipient address: \(to.debugDescription)") }
        for name in headers.keys {
            guard MailHeaders.isValidName(name) else { throw MailError(.invalidHeader, "not a valid header name: \(name.debugDescription)") }
            guard !MailHeaders.reserved.contains(name.lowercased()) else {
                throw MailError(.invalidHeader, "the \(name) header is written by the composer and cannot be set")
            }
        }
    }
}

/// A mail that cannot be sent as given, in words.
public struct MailError: Error, CustomStringConvertible, Sendable, Equatable {
    enum Code: Sendable, Equatable {
        case invalidRecipient
        case invalidHeader
        case invalidSender
    }

    let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
