import Crypto
import Foundation
import Portal
import Testing
import TestSupport

@Suite("Blob store: content-addressed files under the data folder")
struct BlobStoreTests {
    static func reference(_ bytes: Data, type: String = "text/plain") -> BlobReference {
        BlobReference(sha256: SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined(), size: Int64(bytes.count), contentType: type)
    }

    @Test("A blob lands at blobs/ab/cd/<sha256> with its bytes, and the upload's temporary file is gone")
    func storesUnderItsHash() async throws {
        let data = try TemporaryFolder("statusd-blobs")
        let store = try FileBlobStore(dataFolder: data.url)
        let bytes = Data("le guide de démarrage".utf8)
        let upload = store.uploadsFolder.appendingPathComponent("one")
        try bytes.write(to: upload)
        let reference = Self.reference(bytes)

        try await store.adopt(temporaryFile: upload, as: reference)

        let sha = reference.sha256
        let stored = try #require(try await store.file(for: reference))
        #expect(stored.path.hasSuffix("blobs/\(sha.prefix(2))/\(sha.dropFirst(2).prefix(2))/\(sha)"))
        #expect(try Data(contentsOf: stored) == bytes)
        #expect(!FileManager.default.fileExists(atPath: upload.path))
        #expect(TemporaryFolder.files(under: store.uploadsFolder).isEmpty)
    }

    @Test("The same bytes uploaded twice, even at once, are stored once, whole")
    func deduplicates() async throws {
        let data = try TemporaryFolder("statusd-blobs")
        let store = try FileBlobStore(dataFolder: data.url)
        let bytes = Data((0..<200_000).map { UInt8($0 % 251) })
        let reference = Self.reference(bytes, type: "application/octet-stream")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<4 {
                let upload = store.uploadsFolder.appendingPathComponent("upload-\(index)")
                try bytes.write(to: upload)
                group.addTask { try await store.adopt(temporaryFile: upload, as: reference) }
            }
            try await group.waitForAll()
        }
        let files = TemporaryFolder.files(under: data.url.appendingPathComponent("blobs"))
        #expect(files == ["\(reference.sha256.prefix(2))/\(reference.sha256.dropFirst(2).prefix(2))/\(reference.sha256)"])
        #expect(try Data(contentsOf: try #require(try await store.file(for: reference))) == bytes)
    }

    @Test("A name that is not a SHA-256 in hex is never looked up: no path climbs out of the store",
          arguments: ["../../../../etc/passwd", "/etc/passwd", String(repeating: "A", count: 64), String(repeating: "a", count: 63),
                      String(repeating: "a", count: 62) + "/.", "", String(repeating: "g", count: 64)])
    func refusesPathTricks(name: String) async throws {
        let data = try TemporaryFolder("statusd-blobs")
        let store = try FileBlobStore(dataFolder: data.url)
        #expect(try await store.file(for: BlobReference(sha256: name, size: 1, contentType: "text/plain")) == nil)
        let upload = try data.file("x", "x")
        await #expect(throws: BlobStoreError.self) {
            try await store.adopt(temporaryFile: upload, as: BlobReference(sha256: name, size: 1, contentType: "text/plain"))
        }
    }

    @Test("A blob not stored is nil, not an error")
    func missingBlob() async throws {
        let data = try TemporaryFolder("statusd-blobs")
        let store = try FileBlobStore(dataFolder: data.url)
        #expect(try await store.file(for: Self.reference(Data("never stored".utf8))) == nil)
    }

    @Test("Uploads a stopped process left behind are removed at start; recent ones are kept")
    func staleUploads() async throws {
        let data = try TemporaryFolder("statusd-blobs")
        let store = try FileBlobStore(dataFolder: data.url)
        let old = store.uploadsFolder.appendingPathComponent("old")
        try Data("half".utf8).write(to: old)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: old.path)
        try Data("now".utf8).write(to: store.uploadsFolder.appendingPathComponent("recent"))
        #expect(try store.removeStaleUploads(olderThan: 3600) == 1)
        #expect(TemporaryFolder.files(under: store.uploadsFolder) == ["recent"])
    }
}
