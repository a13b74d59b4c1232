import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Portal
import StatusModel
@testable import StatusWeb
import Testing
import TestSupport

@Suite("Downloads: always an attachment, never sniffed, never run")
struct BlobDownloadTests {
    /// Stores `bytes` directly in the blob store, as if they had slipped past the intake.
    static func stored(_ bytes: Data, type: String, in fixture: UploadFixture) async throws -> BlobReference {
        let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let reference = BlobReference(sha256: sha, size: Int64(bytes.count), contentType: type)
        let upload = fixture.store.uploadsFolder.appendingPathComponent("direct-\(UUID().uuidString)")
        try bytes.write(to: upload)
        try await fixture.store.adopt(temporaryFile: upload, as: reference)
        return reference
    }

    static func path(_ blob: BlobReference, name: String) -> String {
        var components = URLComponents()
        components.path = "/download/\(blob.sha256)"
        components.queryItems = [URLQueryItem(name: "type", value: blob.contentType), URLQueryItem(name: "name", value: name)]
        return components.percentEncodedPath + "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }

    @Test("A PDF comes as an attachment under its name (RFC 5987 for non-ASCII), nosniff, cached privately, with its hash as ETag")
    func pdfHeaders() async throws {
        let fixture = try UploadFixture()
        let bytes = TestDocuments.pdf(text: "Guide")
        let blob = try await Self.stored(bytes, type: AttachmentTypes.pdf, in: fixture)
        try await Application(router: fixture.router()).test(.router) { client in
            let response = try await client.execute(uri: Self.path(blob, name: "Guide clôture.pdf"), method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/pdf")
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"Guide cl_ture.pdf\"; filename*=UTF-8''Guide%20cl%C3%B4ture.pdf")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.cacheControl] == "private, max-age=31536000, immutable")
            #expect(response.headers[.eTag] == "\"\(blob.sha256)\"")
            #expect(response.headers[.contentLength] == "\(bytes.count)")
            #expect(Data(response.body.readableBytesView) == bytes)

            var revalidation = HTTPFields()
            revalidation[.ifNoneMatch] = "\"\(blob.sha256)\""
            let notModified = try await client.execute(uri: Self.path(blob, name: "Guide.pdf"), method: .get, headers: revalidation)
            #expect(notModified.status == .notModified)
            #expect(notModified.body.readableBytes == 0)
        }
    }

    @Test("HTML, SVG and script-like types are sent as application/octet-stream, sandboxed", arguments: [
        (AttachmentTypes.html, "<!doctype html><script>alert(1)</script>"),
        (AttachmentTypes.svg, "<svg onload=alert(1)/>"),
        ("application/javascript", "alert(1)"),
        ("text/html; charset=utf-8", "<script>alert(2)</script>"),
        ("application/xhtml+xml", "<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(3)</script></html>"),
    ])
    func activeContent(type: String, content: String) async throws {
        let fixture = try UploadFixture()
        let blob = try await Self.stored(Data(content.utf8), type: type, in: fixture)
        try await Application(router: fixture.router()).test(.router) { client in
            let response = try await client.execute(uri: Self.path(blob, name: "page.html"), method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/octet-stream")
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"page.html\"")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.contentSecurityPolicy] == "sandbox; default-src 'none'")
        }
    }

    @Test("Text is sent as UTF-8 text, still as an attachment")
    func textCharset() async throws {
        let fixture = try UploadFixture()
        let blob = try await Self.stored(Data("Échéance".utf8), type: AttachmentTypes.markdown, in: fixture)
        try await Application(router: fixture.router()).test(.router) { client in
            let response = try await client.execute(uri: Self.path(blob, name: "../notes\u{202E}.md"), method: .get)
            #expect(response.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"notes.md\"")
        }
    }

    @Test("A blob not stored, or a name that is not a hash, is a 404", arguments: [String(repeating: "0", count: 64), "..%2F..%2Fetc%2Fpasswd", "abc"])
    func missing(sha: String) async throws {
        let fixture = try UploadFixture()
        try await Application(router: fixture.router()).test(.router) { client in
            let response = try await client.execute(uri: "/download/\(sha)", method: .get)
            #expect(response.status == .notFound)
        }
    }

    @Test("A 2 MB file is streamed with its length")
    func largeFile() async throws {
        let fixture = try UploadFixture()
        let bytes = Data((0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let blob = try await Self.stored(bytes, type: AttachmentTypes.zip, in: fixture)
        try await Application(router: fixture.router()).test(.live) { client in
            let response = try await client.execute(uri: Self.path(blob, name: "archive.zip"), method: .get)
            #expect(response.headers[.contentLength] == "\(bytes.count)")
            #expect(Data(response.body.readableBytesView) == bytes)
        }
    }
}
