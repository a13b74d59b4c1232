import Foundation
import HTTPTypes
import Hummingbird
import Logging
import StatusModel

/// The public pages: the weather grid, product pages and their charts, the static files and
/// the health check.
struct PublicPagesController<Store: StatusStore>: Sendable {
    let store: Store
    let pages: Pages
    let cached: CachedPages<Store>
    let assets: StaticAssets
    let historyDays: Int
    let logger: Logger

    private var calendar: DayCalendar { cached.calendar }
    private var catalog: MessageCatalog { pages.catalog }

    func addRoutes(to routes: SiteRoutes) {
        let open = routes.pages(.anyone)
        open.get("/") { request, _ in try await grid(request) }
        open.get("/products/:slug") { request, context in try await product(request, slug: try context.parameters.require("slug")) }
        open.get("/products/:slug/response-times.svg") { request, context in
            try await responseTimeChart(request, slug: try context.parameters.require("slug"))
        }
        open.get(RouterPath(StaticAssets.stylesheetPath)) { request, _ in
            asset(request, body: assets.stylesheet, etag: assets.stylesheetETag, type: "text/css; charset=utf-8")
        }
        open.get(RouterPath(StaticAssets.portalScriptPath)) { request, _ in
            asset(request, body: assets.portalScript, etag: assets.portalScriptETag, type: "text/javascript; charset=utf-8")
        }
        open.get("/healthz") { _, _ in try await health() }
    }

    func grid(_ request: Request) async throws -> Response {
        let language = pages.language(of: request)
        return try await cached.page(request, key: .init(path: "/", language: language), pages: pages) { now in
            let days = calendar.days(endingWith: calendar.day(containing: now), count: historyDays)
            async let products = store.products()
            async let states = store.dayStates(days: days, now: now)
            let view = GridPage.build(products: try await products, states: try await states, days: days,
                                      language: language, catalog: catalog, calendar: calendar)
            return try pages.renderer.render(view, template: "grid")
        }
    }

    func product(_ request: Request, slug: String) async throws -> Response {
        let language = pages.language(of: request)
        // The product is looked up when the page is rendered, not on every request: a 404 is
        // never cached, and a product hidden or renamed moves the state version.
        return try await cached.page(request, key: .init(path: "/products/\(slug)", language: language), pages: pages) { now in
            guard let product = try await store.product(slug: slug), product.visibility == .public else {
                throw HTTPError(.notFound)
            }
            let days = calendar.days(endingWith: calendar.day(containing: now), count: historyDays)
            async let history = store.history(productSlug: slug, days: days, now: now)
            async let incidents = store.closedIncidents(productSlug: slug, limit: 5)
            async let reasons = store.currentProbeReasons(productSlug: slug)
            let view = ProductPage.build(product: product, history: try await history, incidents: try await incidents,
                                         reasons: try await reasons.map { ProbeFailure(code: $0).sentence(language.rawValue) },
                                         language: language, catalog: catalog, calendar: calendar)
            return try pages.renderer.render(view, template: "product")
        }
    }

    /// `?range=24h` (default) or `?range=days`: the last day, or the days of the grid.
    func responseTimeChart(_ request: Request, slug: String) async throws -> Response {
        guard let product = try await store.product(slug: slug), product.visibility == .public else { throw HTTPError(.notFound) }
        let language = pages.language(of: request)
        let now = cached.clock()
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

    private func asset(_ request: Request, body: String, etag: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        return Pages.conditional(request, body: body, etag: etag, headers: headers)
    }

    func health() async throws -> Response {
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
}
