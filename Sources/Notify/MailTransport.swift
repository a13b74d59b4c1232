import Curl

/// Something that hands a message to a mail server: `SMTPSender`, or a stand-in in tests.
public protocol MailTransport: Sendable {
    func send(from: String, to: [String], message: [UInt8]) async -> SMTPOutcome
}

extension SMTPSender: MailTransport {}
