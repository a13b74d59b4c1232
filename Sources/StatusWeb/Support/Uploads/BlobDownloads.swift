import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// Answers a stored blob as a download: always `attachment` under its sanitised name, never
/// sniffed, never run. HTML, SVG and any type not known to be inert go out as
/// application/octet-stream, so that even a file that slipped past the intake cannot run as
/// the site. Streamed from its file; cached privately for long, since a blob's bytes never
/// change under its hash (the ETag).
public struct BlobDownloads: Sendable {
    let store: any BlobStore
    private let files = FileIO()

    public init(store: any BlobStore) {
        self.store = store
    }

    /// Types served as they are: nothing a browser would execute or render as a page.
    static let inertTypes: Set<String> = [
        AttachmentTypes.pdf, AttachmentTypes.png, AttachmentTypes.jpeg, AttachmentTypes.gif, AttachmentTypes.webp, AttachmentTypes.zip,
        AttachmentTypes.docx, AttachmentTypes.xlsx, AttachmentTypes.pptx, AttachmentTypes.plainText, AttachmentTypes.markdown, AttachmentTypes.csv,
    ]

    /// The Content-Type a stored type is sent with.
    static func servedType(_ stored: String) -> String {
        let type = stored.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard inertTypes.contains(type) else { return AttachmentTypes.unknown }
        return type.hasPrefix("text/") ? "\(type); charset=utf-8" : type
    }

    /// The download of `blob` under `fileName` (already sanitised by the intake; sanitised
    /// again here, since it comes from the database). 404 when the blob is not stored; 304
    /// when the client's If-None-Match names it. The caller has checked who may see it.
    public func response(blob: BlobReference, fileName: String, request: Request, context: some RequestContext) async throws -> Response {
        guard let file = try await store.file(for: blob) else { throw HTTPError(.notFound) }
        let etag = "\"\(blob.sha256)\""
        var headers = HTTPFields()
        headers[.eTag] = etag
        // Private: who may download is checked per request, so no shared cache keeps a copy.
        headers[.cacheControl] = "private, max-age=31536000, immutable"
        headers[.xContentTypeOptions] = "nosniff"
        // Opened directly, the file gets no script, no plugin and no origin of ours.
        headers[.contentSecurityPolicy] = "sandbox; default-src 'none'"
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
            let tag = $0.trimmingCharacters(in: .whitespaces)
            return tag == etag || tag == "W/\(etag)" || tag == "*"
        }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = Self.servedType(blob.contentType)
        headers[.contentDisposition] = ContentDisposition.attachment(fileName: AttachmentFileName.sanitised(fileName))
        let body = try await files.loadFile(path: file.path, context: context)
        return Response(status: .ok, headers: headers, body: body)
    }
}
