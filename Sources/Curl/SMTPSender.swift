import CCurl
import Foundation
import Synchronization

/// Hands messages to one SMTP server through libcurl: smtp:// (with STARTTLS when offered, or
/// required) or smtps://, with an optional login.
///
/// Each send runs a blocking `curl_easy_perform` on a thread of its own, so no Swift
/// concurrency thread ever waits on the mail server; cancelling the task aborts the send.
/// Connections are kept open between sends (up to `keptConnections`): a bulk of mail costs
/// one SMTP session per connection, not one per mail.
public struct SMTPSender: Sendable {
    public let url: String
    public let username: String?
    public let password: String?
    /// Refuse to send unless the session is encrypted (STARTTLS on smtp://).
    public let requireTLS: Bool
    /// The whole session's limit, connection included.
    public let timeout: Duration
    /// A PEM file of certificate authorities to trust instead of the system's.
    public let caFile: String?
    private let connections: SMTPConnectionPool

    /// - Parameter keptConnections: open connections kept between sends; 0 for a new session per mail.
    public init(url: String, username: String?, password: String?, requireTLS: Bool, timeout: Duration, caFile: String? = nil,
                keptConnections: Int = 16) {
        self.connections = SMTPConnectionPool(capacity: keptConnections)
        self.url = url
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.timeout = timeout
        self.caFile = caFile
    }

    /// Sends `message` (RFC 5322 bytes, CRLF line ends) from the envelope sender `from` to the
    /// envelope recipients `to`: bare addresses, without angle brackets. Never throws.
    public func send(from: String, to: [String], message: [UInt8]) async -> SMTPOutcome {
        if let problem = Self.envelopeProblem(from: from, to: to) {
            return .permanentFailure(SMTPFailure(smtpCode: 0, curlCode: Int(CURLE_BAD_FUNCTION_ARGUMENT.rawValue),
                                                 message: problem, isAnswerToMessage: false))
        }
        let session = SMTPSession(sender: self, connections: connections, from: from, to: to, message: message)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread { continuation.resume(returning: session.perform()) }
                thread.name = "statusd-smtp"
                thread.start()
            }
        } onCancel: {
            session.cancel()
        }
    }

    /// An envelope address goes on a command line of its own: a line break or an angle bracket
    /// in it would let a caller add commands ("RCPT TO:<a>\r\nRCPT TO:<b>").
    static func envelopeProblem(from: String, to: [String]) -> String? {
        guard !to.isEmpty else { return "no recipient" }
        for address in [from] + to {
            let bad = address.isEmpty || address.unicodeScalars.contains {
                $0.value < 0x21 || (0x7F...0x9F).contains($0.value) || $0.properties.isWhitespace || $0 == "<" || $0 == ">"
            }
            if bad { return "not a valid envelope address: \(address.debugDescription)" }
        }
        return nil
    }
}

/// One send's state while libcurl runs it on its thread; the C callbacks reach it through an
/// unretained pointer. Only `cancel()` is called from elsewhere.
private final class SMTPSession: @unchecked Sendable {
    private let sender: SMTPSender
    private let connections: SMTPConnectionPool
    private let from: String
    private let to: [String]
    private let message: [UInt8]
    private var offset = 0
    fileprivate var lastRefusal: String?
    private let cancelled = Atomic<Bool>(false)

    init(sender: SMTPSender, connections: SMTPConnectionPool, from: String, to: [String], message: [UInt8]) {
        self.sender = sender
        self.connections = connections
        self.from = from
        self.to = to
        self.message = message
    }

    func cancel() { cancelled.store(true, ordering: .relaxed) }

    fileprivate var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Copies the next part of the message into libcurl's buffer; 0 when all of it went.
    fileprivate func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, message.count - offset)
        guard count > 0 else { return 0 }
        message.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            UnsafeMutableRawPointer(buffer).copyMemory(from: base + offset, byteCount: count)
        }
        offset += count
        return count
    }

    /// Runs the whole SMTP session; blocks its thread until it ends.
    func perform() -> SMTPOutcome {
        if isCancelled { return .temporaryFailure(Self.cancelledFailure) }
        guard let handle = connections.take() else {
            return .temporaryFailure(SMTPFailure(smtpCode: 0, curlCode: -1, message: "curl_easy_init failed", isAnswerToMessage: false))
        }
        var reusable = false
        defer { connections.giveBack(handle, reusable: reusable) }
        var recipients: UnsafeMutablePointer<curl_slist>?
        for address in to { recipients = curl_slist_append(recipients, "<\(address)>") }
        defer { curl_slist_free_all(recipients) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }

        configure(handle, recipients: recipients, errorBuffer: errorBuffer)
        let code = curl_easy_perform(handle)
        reusable = code == CURLE_OK

        if code == CURLE_ABORTED_BY_CALLBACK, isCancelled { return .temporaryFailure(Self.cancelledFailure) }
        var smtpCode = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &smtpCode)
        let words = String(cString: errorBuffer)
        return SMTPOutcome.classify(
            curlCode: Int(code.rawValue), smtpCode: smtpCode,
            message: words.isEmpty ? String(cString: curl_easy_strerror(code)) : words,
            serverReply: lastRefusal
        )
    }

    private func configure(_ handle: UnsafeMutableRawPointer, recipients: UnsafeMutablePointer<curl_slist>?,
                           errorBuffer: UnsafeMutablePointer<CChar>) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_setopt_string(handle, CURLOPT_URL, sender.url)
        // Only mail: a URL from the config can never make this fetch a file or a web page.
        _ = ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        _ = ccurl_setopt_long(handle, CURLOPT_USE_SSL, Int(sender.requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue))
        if let caFile = sender.caFile { _ = ccurl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        if let username = sender.username { _ = ccurl_setopt_string(handle, CURLOPT_USERNAME, username) }
        if let password = sender.password { _ = ccurl_setopt_string(handle, CURLOPT_PASSWORD, password) }
        _ = ccurl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(from)>")
        _ = ccurl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
        _ = ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(sender.timeout.milliseconds))
        _ = ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(sender.timeout.milliseconds))
        _ = ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)

        _ = ccurl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        _ = ccurl_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count))
        _ = ccurl_setopt_read_callback(handle, supplyMessage)
        _ = ccurl_setopt_pointer(handle, CURLOPT_READDATA, context)

        _ = ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        _ = ccurl_setopt_progress_callback(handle, checkCancelled)
        _ = ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)

        _ = ccurl_setopt_long(handle, CURLOPT_VERBOSE, 1)
        _ = ccurl_setopt_debug_callback(handle, keepServerReply)
        _ = ccurl_setopt_pointer(handle, CURLOPT_DEBUGDATA, context)
    }

    static let cancelledFailure = SMTPFailure(smtpCode: 0, curlCode: CurlCode.cancelled, message: "cancelled", isAnswerToMessage: false)
}

private let supplyMessage: ccurl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    return Unmanaged<SMTPSession>.fromOpaque(context).takeUnretainedValue().read(into: buffer, capacity: size * count)
}

/// libcurl calls it about once a second, and more often while bytes move.
private let checkCancelled: ccurl_progress_callback = { context, _, _, _, _ in
    guard let context else { return 0 }
    return Unmanaged<SMTPSession>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
}

/// Keeps the server's last refusal (a 4xx or 5xx line); the "221 Bye" that follows it says
/// nothing. What the client sends (the login included) is never looked at.
private let keepServerReply: ccurl_debug_callback = { _, type, data, size, context in
    guard type == CURLINFO_HEADER_IN, let data, let context else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if line.first == "4" || line.first == "5" {
        Unmanaged<SMTPSession>.fromOpaque(context).takeUnretainedValue().lastRefusal = String(line.prefix(300))
    }
    return 0
}
