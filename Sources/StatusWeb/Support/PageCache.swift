import CompressNIO
import Foundation
import NIOCore
import StatusModel
import Synchronization

/// Rendered pages kept as encoded bytes until a state changes: the store's version moves, the
/// local day turns, or a known episode starts or ends (a scheduled maintenance beginning).
/// Each entry holds its body twice, as is and gzip-compressed, both made once per change.
final class PageCache: Sendable {
    struct Key: Hashable {
        let path: String
        let language: Language
        /// Whose copy: `ProductAudience.cacheName`, "" for the anonymous one. Readers who see the
        /// same products in the same sections share a copy; the public copy's key is unchanged.
        let audience: String

        init(path: String, language: Language, audience: ProductAudience = .anonymous) {
            self.path = path
            self.language = language
            self.audience = audience.cacheName
        }
    }

    /// One rendered page in both representations, with their validators.
    struct Entry: Sendable {
        let identity: ByteBuffer
        let gzip: ByteBuffer
        /// The bytes of the header's account slot (between `<!--account-->` and
        /// `<!--/account-->`), which a signed-in reader's menu replaces; nil for bodies without one.
        let accountSlot: Range<Int>?
        /// The bytes of the page's own per-reader part (between `<!--reader-->` and
        /// `<!--/reader-->`, after the account slot): the product page's "S'inscrire aux mises
        /// à jour", which a signed-in reader gets as their own button; nil for bodies without one.
        let readerSlot: Range<Int>?
        /// The gzip body around the slots, compressed once, for signed-in readers' variants; nil without slots.
        let splice: GzipSplice?
        /// The body's hash, which a signed-in reader's variant extends into its own ETag.
        let hash: String
        /// Strong validators: the gzip one differs, since its bytes do.
        let etag: String
        let gzipETag: String
        let version: Int
        let day: LocalDay
        let validUntil: Date?

        init(body: ByteBuffer, version: Int, day: LocalDay, validUntil: Date?) throws {
            identity = body
            var source = body
            gzip = try source.compress(with: .gzip(configuration: .init(compressionLevel: .bestCompression)))
            let hash = PageCache.hash(body.readableBytesView)
            self.hash = hash
            let accountSlot = Self.slot(in: body, start: Self.slotStart, end: Self.slotEnd)
            self.accountSlot = accountSlot
            let readerSlot = Self.slot(in: body, start: Self.readerStart, end: Self.readerEnd, from: accountSlot?.upperBound ?? 0)
            self.readerSlot = readerSlot
            let slots = [accountSlot, readerSlot].compactMap { $0 }
            splice = slots.isEmpty ? nil : try GzipSplice(page: body, slots: slots)
            etag = "\"\(hash)\""
            gzipETag = "\"\(hash)-gzip\""
            self.version = version
            self.day = day
            self.validUntil = validUntil
        }

        /// The text of the page (for tests and the callers that read it back).
        var body: String { String(buffer: identity) }

        static let slotStart = Array("<!--account-->".utf8)
        static let slotEnd = Array("<!--/account-->".utf8)
        static let readerStart = Array("<!--reader-->".utf8)
        static let readerEnd = Array("<!--/reader-->".utf8)

        /// Where a slot's content lies. The header comes before any product or user text, and
        /// those are escaped anyway (no `<!--` in them), so the first markers are the template's.
        static func slot(in body: ByteBuffer, start startMarker: [UInt8], end endMarker: [UInt8], from offset: Int = 0) -> Range<Int>? {
            let bytes = body.readableBytesView
            guard let start = firstIndex(of: startMarker, in: bytes, from: offset) else { return nil }
            let contentStart = start + startMarker.count
            guard let end = firstIndex(of: endMarker, in: bytes, from: contentStart) else { return nil }
            return contentStart..<end
        }

        private static func firstIndex(of needle: [UInt8], in bytes: ByteBufferView, from offset: Int = 0) -> Int? {
            let base = bytes.startIndex
            guard bytes.count >= needle.count else { return nil }
            var index = offset
            while index + needle.count <= bytes.count {
                if bytes[base + index] == needle[0], zip(needle.indices, needle).allSatisfy({ bytes[base + index + $0.0] == $0.1 }) {
                    return index
                }
                index += 1
            }
            return nil
        }
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var renders = 0
    }

    private let state = Mutex(State())
    private let versionCheck = Mutex(VersionCheck())

    /// How many pages were rendered rather than served from the cache.
    var renders: Int { state.withLock { $0.renders } }

    func entry(for key: Key, version: Int, day: LocalDay, now: Date) -> Entry? {
        state.withLock { state in
            guard let entry = state.entries[key], entry.version == version, entry.day == day else { return nil }
            if let validUntil = entry.validUntil, now >= validUntil { return nil }
            return entry
        }
    }

    func store(_ entry: Entry, for key: Key) {
        state.withLock { state in
            state.renders += 1
            state.entries[key] = entry
        }
    }

    /// A strong validator derived from the body: equal bodies get equal tags across restarts.
    static func etag(for body: String) -> String {
        "\"\(hash(body.utf8))\""
    }

    static func etag(forBytes bytes: [UInt8]) -> String {
        "\"\(hash(bytes))\""
    }

    /// FNV-1a over the bytes, in hexadecimal.
    static func hash(_ bytes: some Sequence<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

extension PageCache {
    /// What the cache knows of the store's state version, and when it last read it.
    struct VersionCheck {
        var version: Int?
        var localChanges = 0
        var readAt: ContinuousClock.Instant?
        var reading = false
    }

    /// The version read last, while it is fresh and this process changed nothing since; nil
    /// tells the caller to read it. While one request reads, the others keep the known version.
    func knownVersion(localChanges: Int, at instant: ContinuousClock.Instant, interval: Duration) -> Int? {
        versionCheck.withLock { check in
            guard let version = check.version, check.localChanges == localChanges, let readAt = check.readAt else {
                check.reading = true
                return nil
            }
            if instant - readAt < interval || check.reading { return version }
            check.reading = true
            return nil
        }
    }

    func versionRead(_ version: Int, localChanges: Int, at instant: ContinuousClock.Instant) {
        versionCheck.withLock { check in
            check.reading = false
            if let readAt = check.readAt, readAt > instant { return }
            check.version = version
            check.localChanges = localChanges
            check.readAt = instant
        }
    }

    func versionReadFailed() {
        versionCheck.withLock { $0.reading = false }
    }
}
