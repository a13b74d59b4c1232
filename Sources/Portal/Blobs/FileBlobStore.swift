import Foundation
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Blobs as files under the data folder, each named by its SHA-256: `<data>/blobs/ab/cd/abcd…`.
/// A blob appears whole or not at all (its bytes are synced, then renamed into place), and the
/// same bytes uploaded twice are stored once.
public struct FileBlobStore: BlobStore {
    /// `<data>/blobs`.
    public let root: URL
    /// `<data>/blobs/uploads`: inside the store's folder, so on its file system, and rename is atomic.
    public let uploadsFolder: URL

    /// Makes the folders when they are missing.
    public init(dataFolder: URL) throws {
        root = dataFolder.appendingPathComponent("blobs", isDirectory: true)
        uploadsFolder = root.appendingPathComponent("uploads", isDirectory: true)
        try FileManager.default.createDirectory(at: uploadsFolder, withIntermediateDirectories: true)
    }

    public func adopt(temporaryFile: URL, as reference: BlobReference) async throws {
        guard let target = location(of: reference.sha256) else { throw BlobStoreError.badName(reference.sha256) }
        try await NIOThreadPool.singleton.runIfActive {
            let attributes = try FileManager.default.attributesOfItem(atPath: temporaryFile.path)
            guard (attributes[.size] as? NSNumber)?.int64Value == reference.size else {
                throw BlobStoreError.sizeMismatch(expected: reference.size)
            }
            if FileManager.default.fileExists(atPath: target.path) {
                // Same name, same bytes: the copy already stored is kept.
                try? FileManager.default.removeItem(at: temporaryFile)
                return
            }
            let folder = target.deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Self.sync(path: temporaryFile.path, directory: false)
            // rename(2) replaces atomically: two uploads of the same bytes racing both end with one whole file.
            guard rename(temporaryFile.path, target.path) == 0 else { throw BlobStoreError.system("rename", errno) }
            try Self.sync(path: folder.path, directory: true)
        }
    }

    public func file(for reference: BlobReference) async throws -> URL? {
        guard let url = location(of: reference.sha256) else { return nil }
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The path of a blob, or nil unless `sha256` is 64 lower-case hex digits: a name can
    /// never climb out of the store ("../", "/etc/passwd").
    func location(of sha256: String) -> URL? {
        guard Self.isSHA256(sha256) else { return nil }
        let characters = Array(sha256)
        return root.appendingPathComponent(String(characters[0..<2]), isDirectory: true)
            .appendingPathComponent(String(characters[2..<4]), isDirectory: true)
            .appendingPathComponent(sha256, isDirectory: false)
    }

    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Deletes uploads left in `uploadsFolder` by a process that stopped in the middle of one;
    /// run at start, with an age that no upload in progress can have.
    public func removeStaleUploads(olderThan age: TimeInterval, now: Date = Date()) throws -> Int {
        let names = try FileManager.default.contentsOfDirectory(atPath: uploadsFolder.path)
        var removed = 0
        for name in names {
            let url = uploadsFolder.appendingPathComponent(name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
            if let modified, now.timeIntervalSince(modified) > age, (try? FileManager.default.removeItem(at: url)) != nil {
                removed += 1
            }
        }
        return removed
    }

    /// fsync: the bytes (or the folder's new entry) are on disk before anyone is told they are stored.
    static func sync(path: String, directory: Bool) throws {
        let descriptor = open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY)
        guard descriptor >= 0 else { throw BlobStoreError.system("open", errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw BlobStoreError.system("fsync", errno) }
    }
}

/// Why the blob store could not keep a file (a bug or the disk, never the uploader's fault).
public struct BlobStoreError: Error, CustomStringConvertible, Sendable {
    private enum Code: Sendable {
        case badName(String)
        case sizeMismatch(Int64)
        case system(String, Int32)
    }

    private let code: Code

    static func badName(_ name: String) -> Self { Self(code: .badName(name)) }
    static func sizeMismatch(expected: Int64) -> Self { Self(code: .sizeMismatch(expected)) }
    static func system(_ call: String, _ number: Int32) -> Self { Self(code: .system(call, number)) }

    public var description: String {
        switch code {
        case .badName(let name): "\"\(name.prefix(80))\" is not a SHA-256 in hex"
        case .sizeMismatch(let size): "the file is not the \(size) bytes it was hashed as"
        case .system(let call, let number): "\(call) failed: \(String(cString: strerror(number)))"
        }
    }
}
