import Foundation
import HTTPTypes
import Hummingbird
import Portal

/// How much one multipart request may bring. Files go to disk, so these bound the disk and the
/// time a request takes; what is held in memory stays one chunk plus the small text fields.
public struct UploadLimits: Sendable, Hashable {
    /// The largest file kept (the config's `attachments.max_bytes`); a larger file is dropped
    /// and listed in `MultipartForm.refused`, the rest of the form still read.
    public var maxFileBytes: Int64
    /// The whole body: past it reading stops, every file is deleted and `UploadTooLarge` is thrown.
    public var maxRequestBytes: Int64
    /// Each text field (a ticket's description fits, a file sent as a field does not).
    public var maxFieldBytes: Int
    public var maxFields: Int
    public var maxFiles: Int

    /// By default a request may carry `maxFiles` files of the largest size, and 1 MB of fields.
    public init(maxFileBytes: Int64, maxFiles: Int = 10, maxRequestBytes: Int64? = nil, maxFieldBytes: Int = 64 * 1024, maxFields: Int = 100) {
        self.maxFileBytes = maxFileBytes
        self.maxFiles = maxFiles
        self.maxFieldBytes = maxFieldBytes
        self.maxFields = maxFields
        self.maxRequestBytes = maxRequestBytes ?? (maxFileBytes.multipliedReportingOverflow(by: Int64(maxFiles)).partialValue + 1 << 20)
    }
}

/// A file part written to a temporary file in the blob store's uploads folder, not yet kept:
/// hand it to `AttachmentIntake.take(file:fileName:)`, which keeps it or deletes it.
public struct UploadedFile: Sendable, Hashable {
    /// The form field it came in ("files").
    public let field: String
    /// The name the browser sent, as sent: the intake sanitises it.
    public let fileName: String
    public let url: URL
    public let size: Int64
}

/// A file part that was not written: too large, or one more than `maxFiles`.
public struct RefusedUpload: Sendable, Hashable {
    public let field: String
    public let fileName: String
    public let refusal: AttachmentRefusal
}

/// A multipart/form-data request read: its text fields, its files on disk, the files refused.
public struct MultipartForm: Sendable {
    public internal(set) var fields: [String: [String]] = [:]
    public internal(set) var files: [UploadedFile] = []
    public internal(set) var refused: [RefusedUpload] = []

    /// The first value of a text field.
    public func value(_ name: String) -> String? { fields[name]?.first }

    /// The files sent in one field (an `<input type=file multiple name=files>`), empty parts left out.
    public func files(named field: String) -> [UploadedFile] { files.filter { $0.field == field } }

    /// Deletes the temporary files the intake did not take; call it (in a `defer`) once the
    /// request is handled, so that a refused form leaves nothing behind.
    public func removeFiles() {
        for file in files { try? FileManager.default.removeItem(at: file.url) }
    }
}

/// The body passed `UploadLimits.maxRequestBytes`: reading stopped and every file of the
/// request was deleted. An API answers it as a 413 (it is an `HTTPResponseError`); a page
/// catches it and shows the form again with `fields` kept and the message next to `field`.
public struct UploadTooLarge: Error, HTTPResponseError, Sendable {
    public let limit: Int64
    /// The part being read when the limit was passed, when there was one.
    public let field: String?
    /// The text fields read before the limit.
    public let fields: [String: [String]]

    public var status: HTTPResponse.Status { .contentTooLarge }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try HTTPError(.contentTooLarge, message: "The upload is larger than \(FileSize.text(limit, .en)).").response(from: request, context: context)
    }
}
