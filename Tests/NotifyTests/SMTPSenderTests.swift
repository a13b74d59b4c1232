import Curl
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing

/// SMTPSender against a real SMTP server on loopback: what each answer of the server becomes.
@Suite struct SMTPSenderTests {
    let message = Array("Subject: hello\r\nFrom: status@example.com\r\nTo: bob@example.org\r\n\r\nHello Bob.\r\n.leading dot\r\n".utf8)

    @Test func aMessageTheServerTakesIsSent() async throws {
        let server = try await SMTPServer()
        let outcome = await Fixture.sender(server).send(from: "status@example.com", to: ["bob@example.org"], message: message)
        #expect(outcome == .sent(code: 250))
        let received = try server.messages()
        #expect(received.count == 1)
        #expect(received.first?.mailFrom == "status@example.com")
        #expect(received.first?.recipients == ["bob@example.org"])
        #expect(received.first?.text?.contains("\r\n.leading dot") == true, "curl dot-stuffs, the server un-stuffs")
    }

    @Test func mailsInARowShareOneSessionAndARestartedServerGetsAFreshOne() async throws {
        let server = try await SMTPServer()
        let sender = Fixture.sender(server)
        for _ in 0..<5 {
            #expect(await sender.send(from: "status@example.com", to: ["bob@example.org"], message: message) == .sent(code: 250))
        }
        #expect(try server.messages().count == 5)
        #expect(try await server.sessions() == 1, "one connection, one EHLO, for five mails")

        // The kept connection dies with the server; the next mail opens a new one.
        try await server.stop()
        try await server.start()
        #expect(await sender.send(from: "status@example.com", to: ["bob@example.org"], message: message) == .sent(code: 250))
        #expect(try server.messages().count == 6)
        #expect(try await server.sessions() == 2)
    }

    @Test func a5xxAnswerIsPermanentWithTheServersWords() async throws {
        let server = try await SMTPServer()
        try await server.refuse(recipientsMatching: "^bob@", code: 550)
        let outcome = await Fixture.sender(server).send(from: "status@example.com", to: ["bob@example.org"], message: message)
        guard case .permanentFailure(let failure) = outcome else { Issue.record("expected a permanent failure, got \(outcome)"); return }
        #expect(failure.smtpCode == 550)
        #expect(failure.isAnswerToMessage)
        #expect(failure.serverReply?.hasPrefix("550 5.7.1") == true)
        #expect(try server.messages().isEmpty)
    }

    @Test func a4xxAnswerIsTemporary() async throws {
        let server = try await SMTPServer()
        try await server.refuse(recipientsMatching: "bob", code: 451)
        let outcome = await Fixture.sender(server).send(from: "status@example.com", to: ["bob@example.org"], message: message)
        guard case .temporaryFailure(let failure) = outcome else { Issue.record("expected a temporary failure, got \(outcome)"); return }
        #expect(failure.smtpCode == 451)
        #expect(failure.isAnswerToMessage)
    }

    @Test("An answer after the data counts like one at RCPT", arguments: [(554, false), (452, true)])
    func answersAfterData(code: Int, temporary: Bool) async throws {
        let server = try await SMTPServer()
        try await server.refuse(recipientsMatching: "bob", code: code, afterData: true)
        let outcome = await Fixture.sender(server).send(from: "status@example.com", to: ["bob@example.org"], message: message)
        switch outcome {
        case .temporaryFailure(let failure) where temporary, .permanentFailure(let failure) where !temporary:
            #expect(failure.smtpCode == code)
            #expect(failure.isAnswerToMessage)
        default:
            Issue.record("unexpected \(outcome) for \(code)")
        }
    }

    @Test func aServerThatIsDownIsTemporaryAndNotTheMessagesFault() async throws {
        let server = try await SMTPServer(stopped: true)
        let outcome = await Fixture.sender(server).send(from: "status@example.com", to: ["bob@example.org"], message: message)
        guard case .temporaryFailure(let failure) = outcome else { Issue.record("expected a temporary failure, got \(outcome)"); return }
        #expect(failure.curlCode == CurlCode.couldNotConnect)
        #expect(failure.smtpCode == 0)
        #expect(!failure.isAnswerToMessage)
    }

    @Test func startTLSAndLogin() async throws {
        let server = try await SMTPServer(login: "statusd:s3cret", starttls: true)
        let sender = SMTPSender(url: server.url, username: "statusd", password: "s3cret", requireTLS: true,
                                timeout: .seconds(10), caFile: server.caFile)
        let outcome = await sender.send(from: "status@example.com", to: ["bob@example.org"], message: message)
        #expect(outcome == .sent(code: 250))
        let received = try #require(try server.messages().first)
        #expect(received.tls)
        #expect(received.login == "statusd")
    }

    @Test func aWrongPasswordIsTheSessionsFailureNotTheMessages() async throws {
        let server = try await SMTPServer(login: "statusd:s3cret")
        let sender = SMTPSender(url: server.url, username: "statusd", password: "wrong", requireTLS: false, timeout: .seconds(10))
        let outcome = await sender.send(from: "status@example.com", to: ["bob@example.org"], message: message)
        guard case .temporaryFailure(let failure) = outcome else { Issue.record("expected a temporary failure, got \(outcome)"); return }
        #expect(!failure.isAnswerToMessage, "a refused login must not dead-letter every mail")
        #expect(try server.messages().isEmpty)
    }

    @Test func requiredTLSIsNeverSkipped() async throws {
        let server = try await SMTPServer()
        let sender = SMTPSender(url: server.url, username: nil, password: nil, requireTLS: true, timeout: .seconds(10))
        let outcome = await sender.send(from: "status@example.com", to: ["bob@example.org"], message: message)
        guard case .temporaryFailure(let failure) = outcome else { Issue.record("expected a temporary failure, got \(outcome)"); return }
        #expect(!failure.isAnswerToMessage)
        #expect(try server.messages().isEmpty, "nothing goes in clear when TLS is required")
    }

    @Test("An envelope address cannot smuggle SMTP commands", arguments: [
        "bob@example.org>\r\nRCPT TO:<eve@example.org", "bob@example.org\nDATA", "<bob@example.org>", "bob @example.org", "",
    ])
    func envelopeInjection(recipient: String) async throws {
        let server = try await SMTPServer()
        let outcome = await Fixture.sender(server).send(from: "status@example.com", to: [recipient], message: message)
        guard case .permanentFailure(let failure) = outcome else { Issue.record("expected a refusal, got \(outcome)"); return }
        #expect(failure.message.contains("not a valid envelope address"))
        #expect(try server.messages().isEmpty)
    }

    @Test func cancellingTheTaskStopsASendToAServerThatNeverAnswers() async throws {
        let silent = try SilentListener()
        let sender = SMTPSender(url: "smtp://127.0.0.1:\(silent.port)", username: nil, password: nil,
                                requireTLS: false, timeout: .seconds(60))
        let send = Task { await sender.send(from: "status@example.com", to: ["bob@example.org"], message: message) }
        // Cancel once curl is connected and waiting for a greeting that never comes.
        #expect(try await eventually { silent.acceptIfWaiting() })
        send.cancel()
        // A send that ignored the cancellation would end at its 60 s timeout, not cancelled; no
        // bound in seconds, which a loaded CI machine breaks.
        let outcome = await send.value
        guard case .temporaryFailure(let failure) = outcome else { Issue.record("expected a temporary failure, got \(outcome)"); return }
        #expect(failure.isCancelled)
    }
}

/// A TCP port on loopback that takes connections and never says a word.
final class SilentListener: @unchecked Sendable {
    private let socketFD: Int32
    private var accepted: [Int32] = []
    let port: Int

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(listener, raw, length) == 0 && listen(listener, 8) == 0 && getsockname(listener, raw, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw SupportError("cannot listen on loopback")
        }
        _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK)
        socketFD = listener
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        for connection in accepted { close(connection) }
        close(socketFD)
    }

    /// True once a client has connected (the connection is kept open, silent).
    func acceptIfWaiting() -> Bool {
        let connection = accept(socketFD, nil, nil)
        guard connection >= 0 else { return false }
        accepted.append(connection)
        return true
    }
}
