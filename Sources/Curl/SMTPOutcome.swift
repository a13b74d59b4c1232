/// What became of one message handed to an SMTP server. A refused mail is data, not an error.
public enum SMTPOutcome: Sendable, Hashable {
    /// The server took the message; `code` is its last answer (250).
    case sent(code: Int)
    /// Worth trying again later: no connection, a timeout, TLS or the login refused, or a 4xx answer.
    case temporaryFailure(SMTPFailure)
    /// The server refused this message for good (a 5xx answer), or it cannot be sent as given.
    case permanentFailure(SMTPFailure)
}

/// Why a message was not sent: the server's code and words, and libcurl's.
public struct SMTPFailure: Sendable, Hashable, CustomStringConvertible {
    /// The server's last answer code (`CURLINFO_RESPONSE_CODE`); 0 when it never answered.
    public var smtpCode: Int
    /// libcurl's result code (see `CurlCode`), or `CurlCode.cancelled`.
    public var curlCode: Int
    /// libcurl's words on the failure.
    public var message: String
    /// The server's last refusal, as it said it ("550 5.1.1 No such user"), when it said one.
    public var serverReply: String?
    /// True when the server answered this message's MAIL, RCPT or DATA with a 4xx or 5xx code.
    /// False when the session failed before that (unreachable, timeout, TLS, login): any other
    /// message would have met the same fate, so the message is not to blame.
    public var isAnswerToMessage: Bool

    public init(smtpCode: Int, curlCode: Int, message: String, serverReply: String? = nil, isAnswerToMessage: Bool) {
        self.smtpCode = smtpCode
        self.curlCode = curlCode
        self.message = message
        self.serverReply = serverReply
        self.isAnswerToMessage = isAnswerToMessage
    }

    /// The send was stopped because its task was cancelled (a shutdown), not by the server.
    public var isCancelled: Bool { curlCode == CurlCode.cancelled }

    public var description: String {
        guard let serverReply, !serverReply.isEmpty else { return message }
        return "\(message) (server said: \(serverReply))"
    }
}

extension SMTPOutcome {
    /// libcurl codes that carry the server's answer to MAIL FROM, RCPT TO or DATA.
    private static let answerCodes: Set<Int> = [CurlCode.weirdServerReply, CurlCode.sendError]

    /// Sorts a finished transfer: 5xx answers are permanent, everything else is worth a retry.
    static func classify(curlCode: Int, smtpCode: Int, message: String, serverReply: String?) -> SMTPOutcome {
        if curlCode == 0 { return .sent(code: smtpCode) }
        // A failed send after a good answer (250 to EHLO, then a reset) keeps that answer as the
        // last code: only a 4xx or 5xx with an answer-carrying libcurl code blames the message.
        let answered = answerCodes.contains(curlCode) && (400...599).contains(smtpCode)
        let failure = SMTPFailure(smtpCode: smtpCode, curlCode: curlCode, message: message, serverReply: serverReply,
                                  isAnswerToMessage: answered)
        return answered && smtpCode >= 500 ? .permanentFailure(failure) : .temporaryFailure(failure)
    }
}
