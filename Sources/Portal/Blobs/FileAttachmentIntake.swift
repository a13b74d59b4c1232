import Crypto
import Foundation
import NIOPosix
import StatusModel

/// The intake of article and ticket attachments: the config's size limit and allowed types,
/// the type read from the content, the SHA-256 hashed while the file is read, the name
/// sanitised, the text found for the search index, then the blob store.
///
/// A file inside the store's `uploadsFolder` (an upload) belongs to the intake once given:
/// it is moved into the store, or deleted when refused. A file elsewhere (an import) is
/// copied and left as it was.
public struct FileAttachmentIntake<Store: BlobStore>: AttachmentIntake {
    public let store: Store
    public let maxBytes: Int64
    public let allowedTypes: Set<String>
    /// Nil when pdftotext is not installed: PDFs are kept, their text is not indexed.
    public let pdfText: PDFTextExtractor?
    /// The text of a text or Markdown file indexed, at most (a 10 MB log says enough in its first megabyte).
    public var maxTextBytes = 1 << 20

    /// `allowedTypes` never lets HTML or SVG in, whatever it says (the config refuses them already).
    public init(store: Store, maxBytes: Int64, allowedTypes: some Sequence<String>, pdfText: PDFTextExtractor? = .installed()) {
        self.store = store
        self.maxBytes = maxBytes
        self.allowedTypes = Set(allowedTypes).subtracting(AttachmentTypes.active)
        self.pdfText = pdfText
    }

    public init(store: Store, config: StatusConfig.Attachments, pdfText: PDFTextExtractor? = .installed()) {
        self.init(store: store, maxBytes: config.maxBytes, allowedTypes: config.allowedTypes, pdfText: pdfText)
    }

    public func take(file: URL, fileName: String) async throws -> TakenAttachment {
        let isUpload = file.standardizedFileURL.deletingLastPathComponent().path == store.uploadsFolder.standardizedFileURL.path
        let hashedFile: (URL, (sha256: String, size: Int64))
        do {
            hashedFile = try await hashed(file, copying: !isUpload)
        } catch {
            if isUpload { try? FileManager.default.removeItem(at: file) }
            throw error
        }
        let (working, digest) = hashedFile
        // From here `working` is ours, in uploadsFolder: stored or deleted, never left behind.
        var adopted = false
        defer { if !adopted { try? FileManager.default.removeItem(at: working) } }

        if digest.size == 0 { throw AttachmentRefusal.empty }
        let contentType = try await NIOThreadPool.singleton.runIfActive {
            try ContentSniffer.contentType(of: working, fileName: fileName)
        }
        guard allowedTypes.contains(contentType) else { throw AttachmentRefusal.typeNotAllowed(found: contentType) }
        let name = AttachmentFileName.sanitised(fileName, fallbackExtension: Self.fileExtension(for: contentType))
        let text = await self.text(of: working, type: contentType)
        let blob = BlobReference(sha256: digest.sha256, size: digest.size, contentType: contentType)
        try await store.adopt(temporaryFile: working, as: blob)
        adopted = true
        return TakenAttachment(fileName: name, blob: blob, text: text)
    }

    /// Reads the file once, hashing it, refusing it as soon as it passes `maxBytes`; copies it
    /// into uploadsFolder on the way when it is not there yet.
    private func hashed(_ file: URL, copying: Bool) async throws -> (URL, (sha256: String, size: Int64)) {
        let maxBytes = self.maxBytes
        let copyURL = store.uploadsFolder.appendingPathComponent("intake-\(UUID().uuidString)")
        return try await NIOThreadPool.singleton.runIfActive {
            let input = try FileHandle(forReadingFrom: file)
            defer { try? input.close() }
            var output: FileHandle?
            if copying {
                guard FileManager.default.createFile(atPath: copyURL.path, contents: nil) else {
                    throw BlobStoreError.system("create \(copyURL.lastPathComponent)", errno)
                }
                output = try FileHandle(forWritingTo: copyURL)
            }
            do {
                defer { try? output?.close() }
                var hasher = SHA256()
                var size: Int64 = 0
                while let chunk = try input.read(upToCount: 256 * 1024), !chunk.isEmpty {
                    size += Int64(chunk.count)
                    if size > maxBytes { throw AttachmentRefusal.tooLarge(limit: maxBytes) }
                    hasher.update(data: chunk)
                    try output?.write(contentsOf: chunk)
                }
                let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
                return (copying ? copyURL : file, (hex, size))
            } catch {
                if copying { try? FileManager.default.removeItem(at: copyURL) }
                throw error
            }
        }
    }

    /// What the search indexes: a PDF's text through pdftotext, a text file's first `maxTextBytes`.
    private func text(of file: URL, type: String) async -> String {
        switch type {
        case AttachmentTypes.pdf:
            return await pdfText?.text(of: file).text ?? ""
        case AttachmentTypes.plainText, AttachmentTypes.markdown, AttachmentTypes.csv:
            let limit = maxTextBytes
            let bytes = try? await NIOThreadPool.singleton.runIfActive {
                let handle = try FileHandle(forReadingFrom: file)
                defer { try? handle.close() }
                return try handle.read(upToCount: limit) ?? Data()
            }
            return bytes.map(PDFTextExtractor.decode) ?? ""
        default:
            return ""
        }
    }

    /// The extension a file of this type is given when its name had nothing left.
    static func fileExtension(for contentType: String) -> String {
        switch contentType {
        case AttachmentTypes.pdf: "pdf"
        case AttachmentTypes.png: "png"
        case AttachmentTypes.jpeg: "jpg"
        case AttachmentTypes.gif: "gif"
        case AttachmentTypes.webp: "webp"
        case AttachmentTypes.zip: "zip"
        case AttachmentTypes.docx: "docx"
        case AttachmentTypes.xlsx: "xlsx"
        case AttachmentTypes.pptx: "pptx"
        case AttachmentTypes.markdown: "md"
        case AttachmentTypes.csv: "csv"
        case AttachmentTypes.plainText: "txt"
        default: ""
        }
    }
}
