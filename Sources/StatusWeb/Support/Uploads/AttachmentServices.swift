import Foundation
import Hummingbird
import Portal

/// What pages with attachments need (article attachments now, ticket attachments next): the
/// upload limits, the intake that keeps or refuses a file, and downloads from the blob store.
public struct AttachmentServices: Sendable {
    public let store: any BlobStore
    public let intake: any AttachmentIntake
    public let limits: UploadLimits
    public let downloads: BlobDownloads

    public init(store: any BlobStore, intake: any AttachmentIntake, limits: UploadLimits) {
        self.store = store
        self.intake = intake
        self.limits = limits
        self.downloads = BlobDownloads(store: store)
    }

    /// Reads a multipart form (files to temporary files in the store's uploads folder) and
    /// checks its CSRF token, the `csrf` text field, as `Forms.read` does for url-encoded forms:
    /// a 403 without it, its files deleted. Throws `UploadTooLarge` past the request's limit.
    /// Call `removeFiles()` on the result once handled (the intake deletes what it refuses).
    func readForm(_ request: Request, context: StatusRequestContext) async throws -> MultipartForm {
        let form = try await MultipartFormReader.read(request, into: store.uploadsFolder, limits: limits)
        do {
            try Forms.requireCSRF(form.value("csrf"), request: request, context: context)
        } catch {
            form.removeFiles()
            throw error
        }
        return form
    }

    /// The sentence shown next to the file field, in the reader's language.
    func message(for refusal: AttachmentRefusal, fileName: String, catalog: MessageCatalog, language: Language) -> String {
        let name = AttachmentFileName.sanitised(fileName)
        return switch refusal {
        case .tooLarge(let limit): catalog.text("attachment_too_large", language, name, FileSize.text(limit, language))
        case .typeNotAllowed(let found): catalog.text("attachment_type_refused", language, name, found)
        case .empty: catalog.text("attachment_empty", language, name)
        }
    }

    /// The sentence for a request past its limit, in the reader's language.
    func message(for error: UploadTooLarge, catalog: MessageCatalog, language: Language) -> String {
        catalog.text("upload_too_large", language, FileSize.text(error.limit, language))
    }
}
