import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore
import NIOPosix
import Portal

/// Reads a `multipart/form-data` request as it arrives: multipart-kit parses each chunk of
/// Hummingbird's body stream, file parts go straight to temporary files in `folder` (the blob
/// store's uploads folder), text fields are collected under small caps. No upload is ever
/// held whole in memory: one chunk of the body and one write buffer at most.
///
/// Hummingbird applies no body limit of its own (its `maxUploadSize` only bounds its
/// decoders, which this does not use), so `UploadLimits` is the only one.
enum MultipartFormReader {
    /// What is buffered for a file before it is written (on NIO's thread pool, off the executor).
    static let writeBufferBytes = 256 * 1024

    static func read(_ request: Request, into folder: URL, limits: UploadLimits) async throws -> MultipartForm {
        guard let contentType = request.headers[.contentType], let boundary = ContentDisposition.boundary(ofContentType: contentType) else {
            throw HTTPError(.unsupportedMediaType, message: "Expected a multipart/form-data body.")
        }
        let collector = PartCollector(folder: folder, limits: limits)
        if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > limits.maxRequestBytes {
            throw UploadTooLarge(limit: limits.maxRequestBytes, field: nil, fields: [:])
        }
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.header(name: name, value: value) }
        parser.onBody = { buffer in collector.body(&buffer) }
        parser.onPartComplete = { collector.partComplete() }
        var received: Int64 = 0
        do {
            for try await chunk in request.body {
                received += Int64(chunk.readableBytes)
                if received > limits.maxRequestBytes {
                    throw UploadTooLarge(limit: limits.maxRequestBytes, field: collector.currentField, fields: collector.form.fields)
                }
                do {
                    try parser.execute(chunk)
                } catch {
                    throw HTTPError(.badRequest, message: "The form could not be read.")
                }
                if let problem = collector.problem { throw problem }
                try await collector.flush()
                // A large upload whose chunks are already buffered never suspends on its own:
                // let the other requests (and the probes) have their turn between chunks.
                await Task.yield()
            }
            guard collector.sawEnd else { throw HTTPError(.badRequest, message: "The form ended before its last part.") }
            try await collector.flush()
        } catch {
            await collector.discard()
            throw error
        }
        return collector.form
    }
}

/// The parser's callbacks land here, one part at a time; the reader flushes file bytes to disk
/// between chunks. Used by one request's task only.
private final class PartCollector {
    /// A file part being written.
    final class OpenFile {
        let url: URL
        let handle: FileHandle
        var pending = ByteBuffer()
        var size: Int64 = 0
        var closed = false

        init(url: URL, handle: FileHandle) {
            self.url = url
            self.handle = handle
        }
    }

    let folder: URL
    let limits: UploadLimits
    var form = MultipartForm()
    /// Set when a callback met something the request must fail for (a field too long, too many).
    var problem: (any Error)?
    var sawEnd = false

    private var headers: [String: String] = [:]
    private var field: ContentDisposition.FormPart?
    private var text = ByteBuffer()
    private var file: OpenFile?
    /// Files to write and close at the next flush (a part may complete inside one chunk).
    private var toFlush: [OpenFile] = []
    /// Every file opened, so that a failure can delete them all.
    private var opened: [OpenFile] = []
    /// The current file part was refused: its bytes are read and dropped.
    private var dropping = false
    private var partsSeen = 0

    init(folder: URL, limits: UploadLimits) {
        self.folder = folder
        self.limits = limits
    }

    var currentField: String? { field?.name }

    func header(name: String, value: String) {
        headers[name.lowercased()] = value
    }

    func body(_ buffer: inout ByteBuffer) {
        if field == nil, file == nil, !dropping { startPart() }
        guard problem == nil, !dropping else { return }
        if let file {
            file.size += Int64(buffer.readableBytes)
            if file.size > limits.maxFileBytes {
                refuse(.tooLarge(limit: limits.maxFileBytes), open: file)
                return
            }
            file.pending.writeBuffer(&buffer)
            if file.pending.readableBytes >= MultipartFormReader.writeBufferBytes, !toFlush.contains(where: { $0 === file }) {
                toFlush.append(file)
            }
        } else {
            guard text.readableBytes + buffer.readableBytes <= limits.maxFieldBytes else {
                problem = HTTPError(.contentTooLarge, message: "The field \(field?.name ?? "") is too long.")
                return
            }
            text.writeBuffer(&buffer)
        }
    }

    func partComplete() {
        if field == nil, file == nil, !dropping { startPart() }
        defer {
            headers = [:]
            field = nil
            file = nil
            text = ByteBuffer()
            dropping = false
        }
        guard problem == nil, let part = field else { return }
        if let file, !dropping {
            file.closed = true
            if !toFlush.contains(where: { $0 === file }) { toFlush.append(file) }
            form.files.append(UploadedFile(field: part.name, fileName: part.fileName ?? "", url: file.url, size: file.size))
        } else if part.fileName == nil {
            form.fields[part.name, default: []].append(String(buffer: text))
        }
        // The end of the last part: multipart-kit calls this before it reads the closing "--".
        sawEnd = true
    }

    /// The headers of a part are all read once its first body byte (or its end) arrives.
    private func startPart() {
        sawEnd = false
        partsSeen += 1
        guard partsSeen <= limits.maxFields + limits.maxFiles else {
            problem = HTTPError(.badRequest, message: "The form has too many parts.")
            return
        }
        guard let disposition = headers["content-disposition"].flatMap(ContentDisposition.formPart) else {
            problem = HTTPError(.badRequest, message: "A part of the form has no name.")
            return
        }
        field = disposition
        guard let fileName = disposition.fileName else { return }
        // A file input left empty sends a part with filename="" and no bytes: nothing to keep.
        if fileName.isEmpty {
            dropping = true
            return
        }
        guard form.files.count < limits.maxFiles else {
            problem = HTTPError(.badRequest, message: "The form has more than \(limits.maxFiles) files.")
            return
        }
        let url = folder.appendingPathComponent("upload-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let handle = try? FileHandle(forWritingTo: url) else {
            problem = UploadFolderUnwritable(folder: folder)
            return
        }
        let open = OpenFile(url: url, handle: handle)
        opened.append(open)
        file = open
    }

    /// Drops the file in progress: its bytes so far are deleted at the next flush, the rest ignored.
    private func refuse(_ refusal: AttachmentRefusal, open: OpenFile) {
        form.refused.append(RefusedUpload(field: field?.name ?? "", fileName: field?.fileName ?? "", refusal: refusal))
        open.pending.clear()
        open.closed = true
        dropping = true
        file = nil
        if !toFlush.contains(where: { $0 === open }) { toFlush.append(open) }
    }

    /// Writes what is buffered, closes the finished files, deletes the refused ones.
    func flush() async throws {
        let batch = toFlush
        toFlush = []
        for open in batch {
            let bytes = open.pending
            open.pending = ByteBuffer()
            let keep = form.files.contains { $0.url == open.url } || (!open.closed && file === open)
            let handle = open.handle, url = open.url, closed = open.closed
            try await NIOThreadPool.singleton.runIfActive {
                if keep, bytes.readableBytes > 0 { try handle.write(contentsOf: Data(bytes.readableBytesView)) }
                if closed { try handle.close() }
                if !keep { try? FileManager.default.removeItem(at: url) }
            }
        }
    }

    /// The request failed: every file it wrote is deleted.
    func discard() async {
        let files = opened.map { ($0.handle, $0.url) }
        opened = []
        toFlush = []
        _ = try? await NIOThreadPool.singleton.runIfActive {
            for (handle, url) in files {
                try? handle.close()
                try? FileManager.default.removeItem(at: url)
            }
        }
    }
}

/// The uploads folder could not be written to: a server problem (500), logged by the error page.
struct UploadFolderUnwritable: Error, CustomStringConvertible {
    let folder: URL
    var description: String { "cannot write an upload into \(folder.path)" }
}
