import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Portal
import StatusModel
@testable import StatusWeb
import TestSupport

/// A blob store in a temporary data folder, the intake over it, and a small router with the
/// routes a page with attachments has: a form that keeps files (and shows refusals next to the
/// field), an API that answers 413, and a download.
struct UploadFixture {
    static let csrf = String(repeating: "c", count: 40)

    let data: TemporaryFolder
    let store: FileBlobStore
    let attachments: AttachmentServices

    init(maxFileBytes: Int64 = 1 << 20, maxRequestBytes: Int64? = nil,
         allowed: [String] = [AttachmentTypes.pdf, AttachmentTypes.plainText, AttachmentTypes.png]) throws {
        data = try TemporaryFolder("statusd-uploads")
        store = try FileBlobStore(dataFolder: data.url)
        let intake = FileAttachmentIntake(store: store, maxBytes: maxFileBytes, allowedTypes: allowed)
        attachments = AttachmentServices(store: store, intake: intake,
                                         limits: UploadLimits(maxFileBytes: maxFileBytes, maxFiles: 3, maxRequestBytes: maxRequestBytes))
    }

    /// Files left under the uploads folder (there should be none once a request is answered).
    var leftovers: [String] { TemporaryFolder.files(under: store.uploadsFolder) }
    /// Blobs stored.
    var blobs: [String] { TemporaryFolder.files(under: store.root).filter { !$0.hasPrefix("uploads/") } }

    func router() -> Router<StatusRequestContext> {
        let router = Router(context: StatusRequestContext.self)
        let attachments = self.attachments
        let catalog = try? MessageCatalog.bundled()
        // A page's form: kept files listed, refusals said next to the field, the title kept.
        router.post("/form") { request, context -> String in
            let form: MultipartForm
            do {
                form = try await attachments.readForm(request, context: context)
            } catch let tooLarge as UploadTooLarge {
                let message = catalog.map { attachments.message(for: tooLarge, catalog: $0, language: .fr) } ?? ""
                return "form shown again; title=\(tooLarge.fields["title"]?.first ?? ""); files: \(message)"
            }
            defer { form.removeFiles() }
            var lines = ["title=\(form.value("title") ?? "")"]
            for refused in form.refused {
                lines.append("files: " + (catalog.map { attachments.message(for: refused.refusal, fileName: refused.fileName, catalog: $0, language: .fr) } ?? ""))
            }
            for file in form.files(named: "files") {
                do {
                    let taken = try await attachments.intake.take(file: file.url, fileName: file.fileName)
                    lines.append("kept \(taken.fileName) \(taken.blob.contentType) \(taken.blob.size) \(taken.blob.sha256) text=\(taken.text)")
                } catch let refusal as AttachmentRefusal {
                    lines.append("files: " + (catalog.map { attachments.message(for: refusal, fileName: file.fileName, catalog: $0, language: .fr) } ?? ""))
                }
            }
            return lines.joined(separator: "\n")
        }
        // An API: a request over the limit is a 413, nothing else to do.
        router.post("/api/upload") { request, context -> String in
            let form = try await attachments.readForm(request, context: context)
            defer { form.removeFiles() }
            return "files=\(form.files.count)"
        }
        router.get("/download/{sha}") { request, context -> Response in
            let sha = context.parameters.get("sha") ?? ""
            let type = request.uri.queryParameters.get("type") ?? "application/pdf"
            let name = request.uri.queryParameters.get("name") ?? "file"
            return try await attachments.downloads.response(blob: BlobReference(sha256: sha, size: 0, contentType: type),
                                                            fileName: name, request: request, context: context)
        }
        return router
    }
}

/// A multipart/form-data body written by hand, as a browser writes it.
struct MultipartBody {
    static let boundary = "----statusdFormBoundary7MA4YWxkTrZu0gW"

    var parts: [(headers: String, body: Data)] = []

    static var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func field(_ name: String, _ value: String) {
        parts.append(("Content-Disposition: form-data; name=\"\(name)\"", Data(value.utf8)))
    }

    mutating func file(_ name: String, fileName: String, type: String = "application/octet-stream", _ bytes: Data) {
        parts.append(("Content-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: \(type)", bytes))
    }

    /// Everything before the bytes of the last part, and what comes after them, for tests that
    /// stream a large last file without holding it.
    func encoded() -> Data {
        var data = Data()
        for part in parts {
            data.append(Data("--\(Self.boundary)\r\n\(part.headers)\r\n\r\n".utf8))
            data.append(part.body)
            data.append(Data("\r\n".utf8))
        }
        data.append(Data("--\(Self.boundary)--\r\n".utf8))
        return data
    }

    static func headers(csrfCookie: Bool = true) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        if csrfCookie { headers[.cookie] = "csrf=\(UploadFixture.csrf)" }
        return headers
    }
}
