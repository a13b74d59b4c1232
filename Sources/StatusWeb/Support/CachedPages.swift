import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Portal
import StatusModel

/// Pages and feeds kept until a state changes: the store's version moves, the local day turns,
/// or a known episode starts or ends. The public pages, the feeds and `/api/v2/summary.json`
/// share one, so all go stale on the same events. A request reads no database while nothing
/// changed: this process's changes show in an in-memory count at once, and the stored version
/// (which other processes, probe workers, move) is read again at most every `recheckInterval`.
struct CachedPages<Store: StatusStore>: Sendable {
    let store: Store
    let cache: PageCache
    let calendar: DayCalendar
    let clock: @Sendable () -> Date

    /// How stale a change made by another process may be on a page.
    static var recheckInterval: Duration { .milliseconds(500) }

    /// Every cached answer varies on these: the encoding, the language, and the language cookie.
    static var vary: String { "Accept-Encoding, Accept-Language, Cookie" }

    /// The cached body for `key` while no state changed since it was rendered; renders it otherwise.
    func entry(key: PageCache.Key, render: (Date) async throws -> String) async throws -> PageCache.Entry {
        try await bytesEntry(key: key) { now in ByteBuffer(string: try await render(now)) }
    }

    /// The same for a body made as bytes (JSON).
    func bytesEntry(key: PageCache.Key, render: (Date) async throws -> ByteBuffer) async throws -> PageCache.Entry {
        let now = clock()
        let day = calendar.day(containing: now)
        let version = try await stateVersion()
        if let cached = cache.entry(for: key, version: version, day: day, now: now) { return cached }
        // The shared copy is always the anonymous visitor's, whoever's request renders it.
        let body = try await PageVisitor.$current.withValue(PageVisitor(path: key.path, user: nil)) { try await render(now) }
        let validUntil = try await store.nextScheduledChange(after: now)
        let entry = try PageCache.Entry(body: body, version: version, day: day, validUntil: validUntil)
        cache.store(entry, for: key)
        return entry
    }

    /// The state version, from memory unless this process changed something or the last read is old.
    private func stateVersion() async throws -> Int {
        let local = store.localStateChanges()
        let instant = ContinuousClock.now
        if let known = cache.knownVersion(localChanges: local, at: instant, interval: Self.recheckInterval) { return known }
        do {
            let version = try await store.stateVersion()
            cache.versionRead(version, localChanges: local, at: instant)
            return version
        } catch {
            cache.versionReadFailed()
            throw error
        }
    }

    /// An HTML page from the cache, or 304 when the browser already holds this version. A
    /// signed-in reader gets the same cached page with their own menu spliced into the header,
    /// and `reader`'s part (the product page's subscribe button) into the page's reader slot:
    /// the shared copy stays anonymous, whoever asks.
    func page(_ request: Request, key: PageCache.Key, pages: Pages, reader: ((SignedInUser) async throws -> String)? = nil,
              render: (Date) async throws -> String) async throws -> Response {
        let entry = try await entry(key: key, render: render)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        // A copy for one set of visible products is nobody else's: no shared cache may keep it.
        headers[.cacheControl] = key.audience.isEmpty ? "no-cache" : "private, no-cache"
        headers[.contentLanguage] = key.language.rawValue
        var response: Response
        if let user = PageVisitor.current?.user, entry.accountSlot != nil || entry.readerSlot != nil {
            headers[.cacheControl] = "private, no-cache"
            var parts: [(slot: Range<Int>, text: String)] = []
            if let slot = entry.accountSlot {
                let menu = try pages.renderer.render(AccountSlotView(page: PageChrome(language: key.language, catalog: pages.catalog, title: "")),
                                                     template: "account_slot")
                parts.append((slot, menu))
            }
            if let slot = entry.readerSlot, let reader { parts.append((slot, try await reader(user))) }
            response = try Self.respond(request, entry: entry, replacing: parts, headers: headers)
        } else {
            response = Self.respond(request, entry: entry, headers: headers)
        }
        pages.rememberLanguage(request, in: &response)
        return response
    }

    /// The header's account slot rendered alone, for one signed-in reader.
    private struct AccountSlotView {
        let page: PageChrome
    }

    /// The cached page with each slot's content replaced by its text (slots in the body's
    /// order): compressed per request (only signed-in readers pay for it), its ETag the page's
    /// extended by the replacements', so each reader's variant has its own and none matches the
    /// shared copy's.
    static func respond(_ request: Request, entry: PageCache.Entry, replacing parts: [(slot: Range<Int>, text: String)],
                        headers: HTTPFields) throws -> Response {
        var headers = headers
        headers[.vary] = vary
        let start = entry.identity.readerIndex
        var body = ByteBuffer()
        body.reserveCapacity(entry.identity.readableBytes + parts.reduce(0) { $0 + $1.text.utf8.count })
        var written = 0
        var spliced: [UInt8] = []
        for part in parts.sorted(by: { $0.slot.lowerBound < $1.slot.lowerBound }) where part.slot.lowerBound >= written {
            if let head = entry.identity.getSlice(at: start + written, length: part.slot.lowerBound - written) { body.writeImmutableBuffer(head) }
            body.writeString(part.text)
            spliced.append(contentsOf: part.text.utf8)
            spliced.append(0)
            written = part.slot.upperBound
        }
        if let tail = entry.identity.getSlice(at: start + written, length: entry.identity.readableBytes - written) {
            body.writeImmutableBuffer(tail)
        }
        let gzip = acceptsGzip(request.headers[.acceptEncoding])
        let variant = "\(entry.hash)-u\(PageCache.hash(spliced))"
        let etag = gzip ? "\"\(variant)-gzip\"" : "\"\(variant)\""
        headers[.eTag] = etag
        if let held = request.headers[.ifNoneMatch], matches(held, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        guard gzip else { return Response(status: .ok, headers: headers, body: .init(byteBuffer: body)) }
        headers[.contentEncoding] = "gzip"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: try gzipBody(entry: entry, plain: body, parts: parts)))
    }

    /// The variant's gzip body: the entry's stretches, compressed once, around each slot's text
    /// (a slot not replaced keeps the shared copy's bytes); the whole variant compressed when
    /// the entry has no splice.
    private static func gzipBody(entry: PageCache.Entry, plain: ByteBuffer, parts: [(slot: Range<Int>, text: String)]) throws -> ByteBuffer {
        guard let splice = entry.splice else {
            var source = plain
            return try source.compress(with: .gzip(configuration: .init(compressionLevel: .fastestCompression)))
        }
        let start = entry.identity.readerIndex
        let texts = [entry.accountSlot, entry.readerSlot].compactMap { $0 }.map { slot in
            parts.first { $0.slot == slot }.map { ByteBuffer(string: $0.text) }
                ?? entry.identity.getSlice(at: start + slot.lowerBound, length: slot.count) ?? ByteBuffer()
        }
        return try splice.body(with: texts)
    }

    /// The entry's gzip bytes when the request accepts gzip, its plain bytes otherwise, each with
    /// its own ETag; 304 when the client already holds that representation.
    static func respond(_ request: Request, entry: PageCache.Entry, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.vary] = vary
        let gzip = acceptsGzip(request.headers[.acceptEncoding])
        let etag = gzip ? entry.gzipETag : entry.etag
        headers[.eTag] = etag
        if let held = request.headers[.ifNoneMatch], matches(held, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        if gzip { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: gzip ? entry.gzip : entry.identity))
    }

    /// `If-None-Match` holds `etag` (weak comparison, as RFC 9110 asks for it) or `*`.
    static func matches(_ ifNoneMatch: String, etag: String) -> Bool {
        ifNoneMatch.split(separator: ",").contains { candidate in
            var tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag == etag || tag == "*"
        }
    }

    /// True when `Accept-Encoding` allows gzip: named (or `*`) with a quality above zero.
    static func acceptsGzip(_ acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        var gzip: Bool?
        var any: Bool?
        for item in acceptEncoding.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let name = parts.first?.trimmingCharacters(in: .whitespaces).lowercased() else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == "q" { quality = Double(pair[1]) ?? 0 }
            }
            switch name {
            case "gzip", "x-gzip": gzip = quality > 0
            case "*": any = quality > 0
            default: break
            }
        }
        return gzip ?? any ?? false
    }
}
