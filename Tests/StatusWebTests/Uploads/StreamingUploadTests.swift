import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Portal
import StatusModel
@testable import StatusWeb
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Over a real socket to the real server: a large upload is written to disk while it is still
/// arriving (the test waits for the file on disk to grow before it sends the rest), and one
/// over the limit is cut off.
@Suite("Streaming uploads through the real HTTP server", .serialized)
struct StreamingUploadTests {
    static let megabyte = 1 << 20

    // What was sent must exceed what the reader holds (a 256 KB buffer) and what loopback's socket
    // buffers hold (a few MB), hence 8 MB; a debug build parses about 1 MB of multipart per second.
    @Test("An 8 MB file under a 10 MB limit reaches the disk while it is still being sent, and is kept whole")
    func streamsToDisk() async throws {
        let fixture = try UploadFixture(maxFileBytes: 10 << 20, allowed: [AttachmentTypes.plainText])
        let size = 8 * Self.megabyte
        let line = Data("une ligne de journal, encore une\n".utf8)
        try await Application(router: fixture.router()).test(.live) { client in
            var expected = SHA256()
            let connection = try RawConnection(port: try #require(client.port))
            var prologue = MultipartBody()
            prologue.field("csrf", UploadFixture.csrf)
            let head = prologue.encoded().dropLast("--\(MultipartBody.boundary)--\r\n".utf8.count)
            let partHead = Data("--\(MultipartBody.boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"journal.txt\"\r\n\r\n".utf8)
            let tail = Data("\r\n--\(MultipartBody.boundary)--\r\n".utf8)
            let total = head.count + partHead.count + size + tail.count
            try await connection.send(Data(("POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Type: \(MultipartBody.contentType)\r\n"
                + "Cookie: csrf=\(UploadFixture.csrf)\r\nContent-Length: \(total)\r\n\r\n").utf8))
            try await connection.send(head + partHead)
            // The file's bytes, one megabyte at a time, never all in this process either.
            var chunk = Data()
            while chunk.count < Self.megabyte { chunk.append(line) }
            chunk = chunk.prefix(Self.megabyte)
            for index in 0..<8 {
                try await connection.send(chunk)
                expected.update(data: chunk)
                if index == 5 {
                    // 6 MB sent and the request not finished: the server must already hold most of it
                    // on disk, since it keeps no more than a chunk and a 256 KB write buffer in memory.
                    let onDisk = try await Self.waitForUpload(in: fixture.store.uploadsFolder, atLeast: 3 * Self.megabyte)
                    #expect(onDisk >= 3 * Self.megabyte)
                }
            }
            try await connection.send(tail)
            let response = try await connection.receiveResponse()
            #expect(response.hasPrefix("HTTP/1.1 200"))
            let sha = expected.finalize().map { String(format: "%02x", $0) }.joined()
            #expect(response.contains("kept journal.txt text/plain \(size) \(sha)"))
        }
        #expect(fixture.blobs.count == 1)
        #expect(fixture.leftovers.isEmpty)
    }

    @Test("A 3 MB upload sent without a length, over a 2 MB limit, is cut off: 413, nothing kept, nothing left")
    func cutsOffOverLimit() async throws {
        let fixture = try UploadFixture(maxFileBytes: 2 << 20, maxRequestBytes: 2 << 20, allowed: [AttachmentTypes.plainText])
        try await Application(router: fixture.router()).test(.live) { client in
            let connection = try RawConnection(port: try #require(client.port))
            try await connection.send(Data(("POST /api/upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: \(MultipartBody.contentType)\r\n"
                + "Cookie: csrf=\(UploadFixture.csrf)\r\nTransfer-Encoding: chunked\r\n\r\n").utf8))
            func sendChunk(_ data: Data) async throws {
                try await connection.send(Data(String(data.count, radix: 16).utf8) + Data("\r\n".utf8) + data + Data("\r\n".utf8))
            }
            try await sendChunk(Data("--\(MultipartBody.boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n\r\n".utf8))
            let chunk = Data(repeating: 0x61, count: Self.megabyte / 2)
            var answeredEarly = false
            for _ in 0..<6 {
                // The server may answer and stop reading before everything is sent.
                do { try await sendChunk(chunk) } catch { answeredEarly = true; break }
            }
            if !answeredEarly { try? await connection.send(Data("0\r\n\r\n".utf8)) }
            let response = try await connection.receiveResponse()
            #expect(response.hasPrefix("HTTP/1.1 413"))
        }
        #expect(fixture.blobs.isEmpty)
        #expect(fixture.leftovers.isEmpty)
    }

    /// The size of the upload in progress once it reaches `bytes`, polled until 60 s have passed.
    static func waitForUpload(in folder: URL, atLeast bytes: Int) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(60)
        var largest = 0
        while ContinuousClock.now < deadline {
            let sizes = TemporaryFolder.files(under: folder).compactMap {
                (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent($0).path))?[.size] as? Int
            }
            largest = sizes.max() ?? 0
            if largest >= bytes { return largest }
            try await Task.sleep(for: .milliseconds(20))
        }
        return largest
    }
}

/// A TCP connection to 127.0.0.1, to send a request at the pace the test chooses. Its blocking
/// calls run on a thread of their own, never on one of the few the server's tasks need.
final class RawConnection: Sendable {
    private let socketDescriptor: Int32

    init(port: Int) throws {
        socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw SupportError("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SupportError("connect failed") }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socketDescriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socketDescriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socketDescriptor) }

    func send(_ data: Data) async throws {
        try await onThread { try self.sendBlocking(data) }
    }

    func receiveResponse() async throws -> String {
        try await onThread { try self.receiveBlocking() }
    }

    private func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    private func sendBlocking(_ data: Data) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(socketDescriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { throw SupportError("send failed (errno \(errno))") }
                offset += sent
            }
        }
    }

    /// The response's head and as much of its body as arrives before the connection goes quiet.
    private func receiveBlocking() throws -> String {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = recv(socketDescriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
            let text = String(decoding: received, as: UTF8.self)
            if let headEnd = text.range(of: "\r\n\r\n") {
                let head = text[..<headEnd.lowerBound].lowercased()
                if let lengthLine = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                   let length = Int(lengthLine.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)),
                   received.count - text[..<headEnd.upperBound].utf8.count >= length {
                    break
                }
            }
        }
        guard !received.isEmpty else { throw SupportError("no response") }
        return String(decoding: received, as: UTF8.self)
    }
}
