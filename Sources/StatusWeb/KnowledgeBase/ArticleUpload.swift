import Foundation
import Hummingbird
import NIOCore
import Portal

/// An agent's upload of a file to an article (`multipart/form-data` with `csrf` and `file`):
/// the CSRF token is checked before anything is kept, the file goes through the intake (size,
/// type read from the content, sanitised name), and a refusal keeps nothing.
///
/// Until the blob store's streaming multipart reader lands, the body is read here up to the
/// upload limit (never more) and split by its boundary.
struct ArticleUpload {
    let knowledgeBase: KnowledgeBaseSite

    enum Outcome {
        case stored(ArticleAttachment)
        /// The message key shown next to the file field.
        case refused(String)
    }

    func receive(_ request: Request, context: StatusRequestContext, number: ArticleNumber, at now: Date) async throws -> Outcome {
        guard let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundary = Self.boundary(contentType) else {
            // A form without a file (or an ordinary one): the CSRF check still comes first.
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            return .refused("kb_upload_missing")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Int(knowledgeBase.uploadLimit) + 64 * 1024)
        } catch is NIOTooManyBytesError {
            return .refused("kb_upload_too_large")
        }
        let parts = Self.parts(Array(body.readableBytesView), boundary: Array("--\(boundary)".utf8))
        try Forms.requireCSRF(parts.first { $0.name == "csrf" }.map { String(decoding: $0.data, as: UTF8.self) }, request: request, context: context)
        guard let file = parts.first(where: { $0.name == "file" && $0.fileName != nil }), !file.data.isEmpty else {
            return .refused("kb_upload_missing")
        }
        let temporary = knowledgeBase.blobs.uploadsFolder.appendingPathComponent("upload-\(UUID().uuidString)")
        try Data(file.data).write(to: temporary)
        defer { try? FileManager.default.removeItem(at: temporary) }
        do {
            let taken = try await knowledgeBase.intake.take(file: temporary, fileName: file.fileName ?? "")
            let attachment = try await knowledgeBase.store.addAttachment(
                ArticleAttachment(number: number, fileName: taken.fileName, blob: taken.blob, addedAt: now), text: taken.text)
            return .stored(attachment)
        } catch let refusal as AttachmentRefusal {
            switch refusal {
            case .tooLarge: return .refused("kb_upload_too_large")
            case .typeNotAllowed: return .refused("kb_upload_type")
            case .empty: return .refused("kb_upload_missing")
            }
        }
    }

    struct Part {
        var name: String?
        var fileName: String?
        var data: ArraySlice<UInt8>
    }

    static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.count > 70 ? nil : value
            }
        }
        return nil
    }

    static func parts(_ bytes: [UInt8], boundary: [UInt8]) -> [Part] {
        var parts: [Part] = []
        var starts: [Int] = []
        var index = 0
        while let found = find(boundary, in: bytes, from: index) {
            starts.append(found)
            index = found + boundary.count
        }
        for (start, end) in zip(starts, starts.dropFirst()) {
            var partStart = start + boundary.count
            if partStart + 1 < bytes.count, bytes[partStart] == 13, bytes[partStart + 1] == 10 { partStart += 2 }
            guard let headersEnd = find(Array("\r\n\r\n".utf8), in: bytes, from: partStart), headersEnd < end else { continue }
            let headers = String(decoding: bytes[partStart..<headersEnd], as: UTF8.self)
            var dataEnd = end
            if dataEnd >= 2, bytes[dataEnd - 2] == 13, bytes[dataEnd - 1] == 10 { dataEnd -= 2 }
            var part = Part(data: bytes[(headersEnd + 4)..<max(headersEnd + 4, dataEnd)])
            for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                part.name = parameter("name", in: line)
                part.fileName = parameter("filename", in: line)
            }
            parts.append(part)
        }
        return parts
    }

    private static func parameter(_ name: String, in line: Substring) -> String? {
        for piece in line.split(separator: ";").dropFirst() {
            let pair = piece.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == name {
                return String(pair[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
