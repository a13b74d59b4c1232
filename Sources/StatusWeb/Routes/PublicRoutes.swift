import Foundation
import HTTPTypes
import Hummingbird
import Logging
import StatusModel

extension StatusSite {
    /// The public pages: the weather grid, product pages, the stylesheet and the health check.
    func addPublicRoutes(to router: Router<StatusRequestContext>) {
        router.get("/") { request, _ in try await gridResponse(request) }
        router.get("/products/:slug") { request, context in
            try await productResponse(request, slug: try context.parameters.require("slug"))
        }
        router.get("/products/:slug/response-times.svg") { request, context in
            try await responseTimeChart(request, slug: try context.parameters.require("slug"))
        }
        router.get(RouterPath(StaticAssets.stylesheetPath)) { request, _ in stylesheetResponse(request) }
        router.get(RouterPath(StaticAssets.portalScriptPath)) { request, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/javascript; charset=utf-8"
            headers[.cacheControl] = "public, max-age=3600"
            return conditional(request, body: assets.portalScript, etag: assets.portalScriptETag, headers: headers)
        }
        router.get("/healthz") { _, _ in try await healthResponse() }
    }

    func gridResponse(_ request: Request) async throws -> Response {
        let language = language(of: request)
        return try await cachedPage(request, key: .init(path: "/", language: language)) { now in
            let days = calendar.days(endingWith: calendar.day(containing: now), count: historyDays)
            async let products = store.products()
            async let states = store.dayStates(days: days, now: now)
            let view = GridPage.build(products: try await products, states: try await states, days: days,
                                      language: language, catalog: catalog, calendar: calendar)
            return try renderer.render(view, template: "grid")
        }
    }

    func productResponse(_ request: Request, slug: String) async throws -> Response {
        guard let product = try await store.product(slug: slug), product.visibility == .public else {
            throw HTTPError(.notFound)
        }
        let language = language(of: request)
        return try await cachedPage(request, key: .init(path: "/products/\(slug)", language: language)) { now in
            let days = calendar.days(endingWith: calendar.day(containing: now), count: historyDays)
            async let history = store.history(productSlug: slug, days: days, now: now)
            async let incidents = store.closedIncidents(productSlug: slug, limit: 5)
            async let reasons = store.currentProbeReasons(productSlug: slug)
            let view = ProductPage.build(product: product, history: try await history, incidents: try await incidents,
                                         reasons: try await reasons.map { ProbeFailure(code: $0).sentence(language.rawValue) },
                                         language: language, catalog: catalog, calendar: calendar)
            return try renderer.render(view, template: "product")
        }
    }

    /// `?range=24h` (default) or `?range=days`: the last day, or the days of the grid.
    func responseTimeChart(_ request: Request, slug: String) async throws -> Response {
        guard let product = try await store.product(slug: slug), product.visibility == .public else { throw HTTPError(.notFound) }
        let language = language(of: request)
        let now = clock()
        let days = request.uri.queryParameters.get("range") == "days"
        let start = days ? calendar.interval(of: calendar.adding(-(historyDays - 1), to: calendar.day(containing: now))).start
                         : now.addingTimeInterval(-24 * 3600)
        let timings = try await store.hourlyTimings(productSlug: slug, since: start)
        let title = catalog.text(days ? "chart_days_title" : "chart_day_title", language, historyDays) + " · " + product.name
        let chart = ResponseTimeChart(timings: timings, start: start, end: now, title: title,
                                      noDataText: catalog.text("chart_no_data", language))
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml"
        headers[.cacheControl] = "max-age=60"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: chart.svg())))
    }

    func stylesheetResponse(_ request: Request) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/css; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return conditional(request, body: assets.stylesheet, etag: assets.stylesheetETag, headers: headers)
    }

    func healthResponse() async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        do {
            _ = try await store.stateVersion()
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        } catch {
            logger.error("health check failed: the database does not answer", metadata: ["error": "\(error)"])
            return Response(status: .serviceUnavailable, headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: #"{"status":"unavailable","reason":"database"}"#)))
        }
    }

    // MARK: Helpers

    /// Serves a page from the cache while no state changed, rendering it otherwise; answers 304
    /// when the browser already holds this version.
    private func cachedPage(_ request: Request, key: PageCache.Key, render: (Date) async throws -> String) async throws -> Response {
        let entry = try await cachedEntry(key: key, render: render)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[.vary] = "Accept-Language, Cookie"
        headers[.contentLanguage] = key.language.rawValue
        var response = conditional(request, body: entry.body, etag: entry.etag, headers: headers)
        rememberLanguage(request, in: &response)
        return response
    }

    /// The cached body for `key` while no state changed since it was rendered; renders it otherwise.
    /// Pages and feeds share it so both go stale on the same events.
    func cachedEntry(key: PageCache.Key, render: (Date) async throws -> String) async throws -> PageCache.Entry {
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

    func conditional(_ request: Request, body: String, etag: String, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.eTag] = etag
        if let tags = request.headers[.ifNoneMatch], tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0.trimmingCharacters(in: .whitespaces) == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A language chosen with `?lang=` is kept in a cookie for the next pages.
    func rememberLanguage(_ request: Request, in response: inout Response) {
        guard let chosen = request.uri.queryParameters.get("lang"), let language = Language(rawValue: chosen.lowercased()) else { return }
        response.setCookie(Cookie(name: "lang", value: language.rawValue, maxAge: 365 * 86_400, path: "/",
                                  secure: secureCookies, httpOnly: true, sameSite: .lax))
    }

    func language(of request: Request) -> Language {
        Language.negotiate(
            query: request.uri.queryParameters.get("lang"),
            cookie: request.cookies["lang"]?.value,
            acceptLanguage: request.headers[.acceptLanguage]
        )
    }
}
