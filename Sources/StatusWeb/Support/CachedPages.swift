import Foundation
import HTTPTypes
import Hummingbird
import StatusModel

/// Pages and feeds kept until a state changes: the store's version moves, the local day turns,
/// or a known episode starts or ends. The public pages and the feeds share one, so both go
/// stale on the same events.
struct CachedPages<Store: StatusStore>: Sendable {
    let store: Store
    let cache: PageCache
    let calendar: DayCalendar
    let clock: @Sendable () -> Date

    /// The cached body for `key` while no state changed since it was rendered; renders it otherwise.
    func entry(key: PageCache.Key, render: (Date) async throws -> String) async throws -> PageCache.Entry {
        let now = clock()
        let day = calendar.day(containing: now)
        let version = try await store.stateVersion()
        if let cached = await cache.entry(for: key, version: version, day: day, now: now) { return cached }
        let body = try await render(now)
        let validUntil = try await store.nextScheduledChange(after: now)
        let entry = PageCache.Entry(body: body, etag: PageCache.etag(for: body), version: version, day: day, validUntil: validUntil)
        await cache.store(entry, for: key)
        return entry
    }

    /// An HTML page from the cache, or 304 when the browser already holds this version.
    func page(_ request: Request, key: PageCache.Key, pages: Pages, render: (Date) async throws -> String) async throws -> Response {
        let entry = try await entry(key: key, render: render)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[.vary] = "Accept-Language, Cookie"
        headers[.contentLanguage] = key.language.rawValue
        var response = Pages.conditional(request, body: entry.body, etag: entry.etag, headers: headers)
        pages.rememberLanguage(request, in: &response)
        return response
    }
}
