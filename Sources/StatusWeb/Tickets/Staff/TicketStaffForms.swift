import Foundation
import Hummingbird
import Portal

/// The agents' ticket forms, decoded by `Forms.read`: every field optional text, so the rules
/// say what is missing, next to the field.
struct TicketAssignForm: CSRFProtectedForm {
    var csrf: String?
    /// A staff user's id, "me", or empty to unassign.
    var assignee: String?
}

struct TicketPriorityForm: CSRFProtectedForm {
    var csrf: String?
    var priority: String?
    var reason: String?
}

struct TicketIncidentForm: CSRFProtectedForm {
    var csrf: String?
    /// The incident's id; empty (or `action=unlink`) unlinks.
    var incident: String?
    var action: String?
}

/// A reply, an internal note or a proposed solution, with its files: one form, three buttons
/// (`kind`). Read from `multipart/form-data` when the site keeps attachments, else url-encoded.
struct TicketMessageForm: CSRFProtectedForm {
    var csrf: String?
    var kind: String?
    var body: String?
    /// "1": "En attente client" (a reply that waits for the customer).
    var await: String?

    enum Kind: String {
        case reply, note, solution
    }

    /// The fields as typed, for the page shown again.
    var keptValues: [String: String] { ["body": body].compactMapValues { $0 } }
}

/// A message form read with its files: the files taken into the blob store, or the sentence
/// that refused one (shown next to the file field, the text kept).
struct TicketMessageUpload {
    var form: TicketMessageForm
    var attachments: [TakenAttachment] = []
    var refusal: String?

    static func read(_ request: Request, context: StatusRequestContext, attachments: AttachmentServices?, catalog: MessageCatalog,
                     language: Language) async throws -> TicketMessageUpload {
        let contentType = request.headers[.contentType] ?? ""
        guard let attachments, contentType.lowercased().hasPrefix("multipart/form-data") else {
            return TicketMessageUpload(form: try await Forms.read(TicketMessageForm.self, from: request, context: context))
        }
        let multipart: MultipartForm
        do {
            multipart = try await attachments.readForm(request, context: context)
        } catch let tooLarge as UploadTooLarge {
            // Nothing is written on this answer, so the CSRF token (perhaps not read yet) is not needed.
            let fields = tooLarge.fields
            let form = TicketMessageForm(csrf: nil, kind: fields["kind"]?.first, body: fields["body"]?.first, await: fields["await"]?.first)
            return TicketMessageUpload(form: form, refusal: attachments.message(for: tooLarge, catalog: catalog, language: language))
        }
        defer { multipart.removeFiles() }
        let form = TicketMessageForm(csrf: multipart.value("csrf"), kind: multipart.value("kind"), body: multipart.value("body"),
                                     await: multipart.value("await"))
        var upload = TicketMessageUpload(form: form)
        if let refused = multipart.refused.first {
            upload.refusal = attachments.message(for: refused.refusal, fileName: refused.fileName, catalog: catalog, language: language)
            return upload
        }
        for file in multipart.files(named: "files") {
            do {
                upload.attachments.append(try await attachments.intake.take(file: file.url, fileName: file.fileName))
            } catch let refusal as AttachmentRefusal {
                upload.attachments = []
                upload.refusal = attachments.message(for: refusal, fileName: file.fileName, catalog: catalog, language: language)
                return upload
            }
        }
        return upload
    }
}
