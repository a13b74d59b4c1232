import Foundation

/// A stored file's identity: the SHA-256 of its bytes (hex), its size and the type read from
/// its content. Article and ticket attachments point at blobs; two uploads of the same bytes
/// share one.
public struct BlobReference: Sendable, Hashable, Codable {
    /// Lower-case hex SHA-256 of the bytes; also the blob's name in the store.
    public var sha256: String
    public var size: Int64
    /// The MIME type found by reading the content ("application/pdf"), never the uploader's claim.
    public var contentType: String

    public init(sha256: String, size: Int64, contentType: String) {
        self.sha256 = sha256
        self.size = size
        self.contentType = contentType
    }
}

/// Where uploaded files live. Today a folder under the data folder, content-addressed and
/// written atomically; a shared folder or object storage can take its place for several machines.
public protocol BlobStore: Sendable {
    /// Moves a finished temporary file (already hashed and typed) into the store, atomically;
    /// storing bytes that are already there keeps the one copy.
    func adopt(temporaryFile: URL, as reference: BlobReference) async throws
    /// A readable file holding the blob's bytes, or nil when it is not stored.
    func file(for reference: BlobReference) async throws -> URL?
    /// A folder on the same file system as the store, where uploads are written before `adopt`.
    var uploadsFolder: URL { get }
}

/// Takes a file someone uploaded (or an import found beside an article) into the blob store:
/// checks its size and the type read from its content against the config, stores it under its
/// SHA-256, and reads its text when it has some to index (PDF, text, Markdown).
public protocol AttachmentIntake: Sendable {
    /// `file` is a finished file (an upload written to `uploadsFolder`, or an imported file);
    /// `fileName` is the name it came with. Throws `AttachmentRefusal` when it may not be kept:
    /// then nothing is stored. A file in `uploadsFolder` is consumed either way (moved into the
    /// store, or deleted); a file elsewhere is copied and left as it was.
    func take(file: URL, fileName: String) async throws -> TakenAttachment
}

/// A file the intake kept: its sanitised name, the blob, and the text found in it (empty when none).
public struct TakenAttachment: Sendable, Hashable {
    public var fileName: String
    public var blob: BlobReference
    public var text: String

    public init(fileName: String, blob: BlobReference, text: String) {
        self.fileName = fileName
        self.blob = blob
        self.text = text
    }
}

/// Why a file was not kept, in words the form shows next to the field.
public enum AttachmentRefusal: Error, Sendable, Hashable {
    /// Larger than the configured limit (bytes).
    case tooLarge(limit: Int64)
    /// Its content is of a type the config does not allow (the type found, e.g. "text/html").
    case typeNotAllowed(found: String)
    /// Empty (0 bytes). A name with nothing left once sanitised is not refused: it becomes
    /// "attachment" with the extension of the type found.
    case empty
}
