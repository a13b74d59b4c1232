import Foundation
import StatusModel

/// Rendered pages kept until a state changes: the store's version moves, the local day turns,
/// or a known episode starts or ends (a scheduled maintenance beginning).
actor PageCache {
    struct Key: Hashable {
        let path: String
        let language: Language
    }

    struct Entry {
        let body: String
        let etag: String
        let version: Int
        let day: LocalDay
        let validUntil: Date?
    }

    private var entries: [Key: Entry] = [:]
    /// How many pages were rendered rather than served from the cache.
    private(set) var renders = 0

    func entry(for key: Key, version: Int, day: LocalDay, now: Date) -> Entry? {
        guard let entry = entries[key], entry.version == version, entry.day == day else { return nil }
        if let validUntil = entry.validUntil, now >= validUntil { return nil }
        return entry
    }

    func store(_ entry: Entry, for key: Key) {
        renders += 1
        entries[key] = entry
    }

    /// A strong validator derived from the body: equal bodies get equal tags across restarts.
    static func etag(for body: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return "\"\(String(hash, radix: 16))\""
    }
}
