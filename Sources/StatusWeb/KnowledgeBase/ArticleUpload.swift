import Foundation
import Hummingbird
import Portal

/// An agent's upload of files to an article (`multipart/form-data` with `csrf` and `file`),
/// streamed to disk by the blob store's reader: the CSRF token is checked before anything is
/// kept, each file goes through the intake (size, type read from the content, sanitised name),
/// and a refusal keeps nothing.
struct ArticleUpload {
    let store: any KnowledgeBaseStore
    let attachments: AttachmentServices
    let catalog: MessageCatalog

    enum Outcome {
        case stored([ArticleAttachment])
        /// The sentence shown next to the file field, in the reader's language.
        case refused(String)
    }

    func receive(_ request: Request, context: StatusRequestContext, number: ArticleNumber, language: Language, at now: Date) async throws -> Outcome {
        let form: MultipartForm
        do {
            form = try await attachments.readForm(request, context: context)
        } catch let tooLarge as UploadTooLarge {
            return .refused(attachments.message(for: tooLarge, catalog: catalog, language: language))
        }
        defer { form.removeFiles() }
        if let refused = form.refused.first {
            return .refused(attachments.message(for: refused.refusal, fileName: refused.fileName, catalog: catalog, language: language))
        }
        let files = form.files(named: "file")
        guard !files.isEmpty else { return .refused(catalog.text("kb_upload_missing", language)) }
        var stored: [ArticleAttachment] = []
        for file in files {
            do {
                let taken = try await attachments.intake.take(file: file.url, fileName: file.fileName)
                stored.append(try await store.addAttachment(ArticleAttachment(number: number, fileName: taken.fileName, blob: taken.blob, addedAt: now),
                                                            text: taken.text))
            } catch let refusal as AttachmentRefusal {
                // The files kept before this one stay: each is whole and the page lists them.
                return .refused(attachments.message(for: refusal, fileName: file.fileName, catalog: catalog, language: language))
            }
        }
        return .stored(stored)
    }
}
