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

@Suite("Multipart uploads: files stream to disk, text fields are read, CSRF is checked, limits hold")
struct MultipartUploadTests {
    @Test("A PDF and a text file are kept with their fields; no temporary file is left")
    func keepsFiles() async throws {
        let fixture = try UploadFixture()
        var body = MultipartBody()
        body.field("csrf", UploadFixture.csrf)
        body.field("title", "Guide « clôture »")
        body.file("files", fileName: "../../Guide clôture.pdf", type: "application/pdf", TestDocuments.pdf(text: "Cloture annuelle pas a pas"))
        body.file("files", fileName: "notes.txt", type: "text/plain", Data("Échéance du 15.\r\n--not a boundary\r\n".utf8))
        let encoded = body.encoded()
        try await Application(router: fixture.router()).test(.router) { client in
            let response = try await client.execute(uri: "/form", method: .post, headers: MultipartBody.headers(), body: ByteBuffer(bytes: encoded))
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            #expect(text.contains("title=Guide « clôture »"))
            #expect(text.contains("kept Guide clôture.pdf application/pdf"))
            #expect(text.contains("text=Cloture annuelle pas a pas"))
            #expect(text.contains("kept notes.txt text/plain"))
            #expect(text.contains("text=Échéance du 15.\r\n--not a boundary"))
        }
        #expect(fixture.blobs.count == 2)
        #expect(fixture.leftovers.isEmpty)
    }

    @Test("Without the CSRF token the form is refused (403) and its files are deleted")
    func checksCSRF() async throws {
        let fixture = try UploadFixture()
        for token in [nil, "wrong-token-wrong-token-wrong-token-wrong"] {
            var body = MultipartBody()
            if let token { body.field("csrf", token) }
            body.file("files", fileName: "a.pdf", TestDocuments.pdf(text: "x"))
            let encoded = body.encoded()
            try await Application(router: fixture.router()).test(.router) { client in
                let response = try await client.execute(uri: "/form", method: .post, headers: MultipartBody.headers(), body: ByteBuffer(bytes: encoded))
                #expect(response.status == .forbidden)
            }
        }
        #expect(fixture.blobs.isEmpty)
        #expect(fixture.leftovers.isEmpty)
    }

    @Test("A file over the limit is refused next to the field, the rest of the form kept, nothing stored")
    func refusesLargeFile() async throws {
        let fixture = try UploadFixture(maxFileBytes: 100_000)
        var body = MultipartBody()
        body.field("csrf", UploadFixture.csrf)
        body.file("files", fileName: "gros.txt", Data(repeating: 0x61, count: 100_001))
        body.field("title", "après le fichier")
        let encoded = body.encoded()
        try await Application(router: fixture.router()).test(.router) { client in
            let response = try await client.execute(uri: "/form", method: .post, headers: MultipartBody.headers(), body: ByteBuffer(bytes: encoded))
            let text = String(buffer: response.body)
            #expect(response.status == .ok)
            #expect(text.contains("files: gros.txt n’a pas été ajouté : il dépasse la taille maximale de 98 Ko."))
            #expect(text.contains("title=après le fichier"))
            #expect(!text.contains("kept"))
        }
        #expect(fixture.blobs.isEmpty)
        #expect(fixture.leftovers.isEmpty)
    }

    @Test("An HTML page named guide.pdf and an SVG named logo.png are refused as what they are, nothing stored")
    func refusesTypes() async throws {
        let fixture = try UploadFixture()
        var body = MultipartBody()
        body.field("csrf", UploadFixture.csrf)
        body.file("files", fileName: "guide.pdf", type: "application/pdf", Data("<!DOCTYPE html><script>alert(1)</script>".utf8))
        body.file("files", fileName: "logo.png", type: "image/png", Data("<svg onload=alert(1)></svg>".utf8))
        let encoded = body.encoded()
        try await Application(router: fixture.router()).test(.router) { client in
            let response = try await client.execute(uri: "/form", method: .post, headers: MultipartBody.headers(), body: ByteBuffer(bytes: encoded))
            let text = String(buffer: response.body)
            #expect(text.contains("files: guide.pdf n’a pas été ajouté : ce type de fichier (text/html) n’est pas accepté."))
            #expect(text.contains("files: logo.png n’a pas été ajouté : ce type de fichier (image/svg+xml) n’est pas accepté."))
        }
        #expect(fixture.blobs.isEmpty)
        #expect(fixture.leftovers.isEmpty)
    }

    @Test("A body over the request's limit: the API answers 413, the page shows the form again; nothing is left")
    func refusesLargeRequest() async throws {
        let fixture = try UploadFixture(maxFileBytes: 50_000, maxRequestBytes: 120_000)
        var body = MultipartBody()
        body.field("csrf", UploadFixture.csrf)
        body.field("title", "gardé")
        for index in 0..<3 { body.file("files", fileName: "part\(index).txt", Data(repeating: 0x62, count: 45_000)) }
        let encoded = body.encoded()
        try await Application(router: fixture.router()).test(.router) { client in
            let api = try await client.execute(uri: "/api/upload", method: .post, headers: MultipartBody.headers(), body: ByteBuffer(bytes: encoded))
            #expect(api.status == .contentTooLarge)
            let page = try await client.execute(uri: "/form", method: .post, headers: MultipartBody.headers(), body: ByteBuffer(bytes: encoded))
            #expect(String(buffer: page.body).hasPrefix("form shown again"))
        }
        #expect(fixture.blobs.isEmpty)
        #expect(fixture.leftovers.isEmpty)
    }

    @Test("Malformed bodies are a 400 or 415, never a 500, and leave nothing", arguments: [
        ("multipart/form-data; boundary=xyz", "not multipart at all"),
        ("multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nunfinished"),
        ("multipart/form-data; boundary=xyz", "--xyz\r\nX-No-Name: 1\r\n\r\nvalue\r\n--xyz--\r\n"),
        ("multipart/form-data; boundary=xyz", "--xyz\r\nBad Header Line\r\n\r\n"),
        ("multipart/form-data", "--xyz--\r\n"),
        ("application/x-www-form-urlencoded", "csrf=x"),
    ])
    func malformed(contentType: String, body: String) async throws {
        let fixture = try UploadFixture()
        try await Application(router: fixture.router()).test(.router) { client in
            var headers = MultipartBody.headers()
            headers[.contentType] = contentType
            let response = try await client.execute(uri: "/api/upload", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect([.badRequest, .unsupportedMediaType, .forbidden].contains(response.status))
        }
        #expect(fixture.leftovers.isEmpty)
    }

    @Test("A text field past its cap is refused, not collected")
    func longField() async throws {
        let fixture = try UploadFixture()
        var body = MultipartBody()
        body.field("csrf", UploadFixture.csrf)
        body.field("description", String(repeating: "x", count: 70 * 1024))
        let encoded = body.encoded()
        try await Application(router: fixture.router()).test(.router) { client in
            let response = try await client.execute(uri: "/api/upload", method: .post, headers: MultipartBody.headers(), body: ByteBuffer(bytes: encoded))
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test("The file name sent as filename*=UTF-8'' and with browser escapes is read")
    func fileNames() {
        #expect(ContentDisposition.formPart("form-data; name=\"files\"; filename=\"a%22b.pdf\"") == .init(name: "files", fileName: "a\"b.pdf"))
        #expect(ContentDisposition.formPart("form-data; name=files; filename*=UTF-8''na%C3%AFve.pdf") == .init(name: "files", fileName: "naïve.pdf"))
        #expect(ContentDisposition.formPart("form-data; name=\"t\"; filename=\"x;y=z.pdf\"") == .init(name: "t", fileName: "x;y=z.pdf"))
        #expect(ContentDisposition.formPart("form-data; name=\"title\"") == .init(name: "title", fileName: nil))
        #expect(ContentDisposition.formPart("attachment; name=\"x\"") == nil)
    }
}
