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
    /// The product page's one-click subscribe for signed-in readers; nil without subscriptions.
    var follow: ProductFollow? = nil

    private var calendar: DayCalendar { cached.calendar }
    private var catalog: MessageCatalog { pages.catalog }

    func addRoutes(to routes: SiteRoutes) {
        let open = routes.pages(.anyone)
        open.get("/") { request, context in try await grid(request, audience: context.audience) }
        open.get("/products/:slug") { request, context in
            try await product(request, slug: try context.parameters.require("slug"), audience: context.audience)
        }
        open.get("/products/:slug/response-times.svg") { request, context in
            try await responseTimeChart(request, slug: try context.parameters.require("slug"), audience: context.audience)
        }
        open.get(RouterPath(StaticAssets.stylesheetPath)) { request, _ in
            asset(request, body: assets.stylesheet, etag: assets.stylesheetETag, type: "text/css; charset=utf-8")
        }
        open.get(RouterPath(StaticAssets.portalScriptPath)) { request, _ in
            asset(request, body: assets.portalScript, etag: assets.portalScriptETag, type: "text/javascript; charset=utf-8")
        }
        if let logo = catalog.brand.logo {
            open.get(RouterPath(logo.path)) { request, _ in brandLogo(request, logo) }
        }
        open.get("/healthz") { _, _ in try await health() }
    }

    /// One copy per set of visible products, "Mes services" and language: every customer of a
    /// tenant with the same own services shares it; anonymous visitors share the public one.
    func grid(_ request: Request, audience: ProductAudience) async throws -> Response {
        let language = pages.language(of: request)
        return try await cached.page(request, key: .init(path: "/", language: language, audience: audience), pages: pages) { now in
            let days = calendar.days(endingWith: calendar.day(containing: now), count: historyDays)
            async let products = store.products()
            async let states = store.dayStates(days: days, now: now)
            async let facts = happeningNow(now: now)
            let allProducts = try await products
            let happening = HappeningNow.build(facts: try await facts, products: allProducts, audience: audience, now: now,
                                               language: language, catalog: catalog, calendar: calendar)
            let view = GridPage.build(products: allProducts, states: try await states, days: days, now: happening, audience: audience,
                                      language: language, catalog: catalog, calendar: calendar)
            return try pages.renderer.render(view, template: "grid")
        }
    }

    /// A product the reader may not see answers 404 as an unknown slug does. The copy is kept
    /// per set of visible products (what "happening now" names); the subscribe button is the
    /// reader's own, spliced in.
    func product(_ request: Request, slug: String, audience: ProductAudience) async throws -> Response {
        let language = pages.language(of: request)
        let audience = audience.withoutMine
        // The product is looked up when the page is rendered, not on every request: a 404 is
        // never cached, and a product hidden or renamed moves the state version.
        let key = PageCache.Key(path: "/products/\(slug)", language: language, audience: audience)
        return try await cached.page(request, key: key, pages: pages, reader: follow.map { follow in
            { user in try await follow.slot(for: user, productSlug: slug, language: language) }
        }) { now in
            guard let product = try await store.visibleProduct(slug: slug, for: audience) else {
                throw HTTPError(.notFound)
            }
            let today = calendar.day(containing: now)
            let days = calendar.days(endingWith: today, count: historyDays)
            // The bar's days, today whole: a window later today is one of today's events.
            let window = DateInterval(start: calendar.interval(of: days.first ?? today).start, end: max(now, calendar.interval(of: today).end))
            async let history = store.history(productSlug: slug, days: days, now: now)
            async let incidents = store.closedIncidents(productSlug: slug, limit: ProductPage.closedLimit)
            async let reasons = store.currentProbeReasons(productSlug: slug)
            async let facts = happeningNow(now: now, productSlug: slug)
            async let products = store.products()
            async let events = dayEvents(productSlug: slug, days: days, window: window, now: now, language: language)
            let finished = try await store.maintenances(overlapping: DateInterval(start: window.start, end: now))
                .filter { $0.productSlugs.contains(slug) && $0.status(at: now) == .completed }
            let happening = HappeningNow.build(facts: try await facts, products: try await products, only: slug, audience: audience, now: now,
                                               language: language, catalog: catalog, calendar: calendar)
            let view = ProductPage.build(product: product, history: try await history, incidents: try await incidents, finished: finished,
                                         reasons: try await reasons.map { ProbeFailure(code: $0).sentence(language.rawValue) },
                                         now: happening, dayEvents: try await events,
                                         language: language, catalog: catalog, calendar: calendar)
            return try pages.renderer.render(view, template: "product")
        }
    }

    /// Open incidents, windows running or due within the week, and every product's condition
    /// with the probes' causes of those in trouble.
    private func happeningNow(now: Date, productSlug: String? = nil) async throws -> HappeningNow.Facts {
        async let incidents = store.unresolvedIncidents()
        async let windows = store.maintenances(overlapping: HappeningNow.horizon(now: now, calendar: calendar))
        let conditions = try await store.conditions(now: now)
        var reasons: [String: [String]] = [:]
        for (slug, condition) in conditions where condition == .outage || condition == .degraded {
            guard productSlug == nil || productSlug == slug else { continue }
            reasons[slug] = try await store.currentProbeReasons(productSlug: slug)
        }
        return HappeningNow.Facts(incidents: try await incidents, maintenances: try await windows,
                                  conditions: conditions, probeReasons: reasons)
    }

    /// The events of each day of a product's bar, from its episodes and what they stand for.
    private func dayEvents(productSlug: String, days: [LocalDay], window: DateInterval, now: Date,
                           language: Language) async throws -> [LocalDay: [DayEvent]] {
        let episodes = try await store.episodes(productSlug: productSlug, overlapping: window)
        var incidents: [String: Incident] = [:]
        var windows: [String: Maintenance] = [:]
        for episode in episodes {
            switch episode.cause {
            case .incident where incidents[episode.source] == nil:
                incidents[episode.source] = try await store.incident(id: episode.source)
            case .maintenance where windows[episode.source] == nil:
                windows[episode.source] = try await store.maintenance(id: episode.source)
            default: break
            }
        }
        return DayEvents.build(days: days, episodes: episodes, incidents: incidents, maintenances: windows,
                               now: now, language: language, catalog: catalog, calendar: calendar)
    }

    /// `?range=24h` (default) or `?range=days`: the last day, or the days of the grid.
    func responseTimeChart(_ request: Request, slug: String, audience: ProductAudience) async throws -> Response {
        guard let product = try await store.visibleProduct(slug: slug, for: audience) else { throw HTTPError(.notFound) }
        let language = pages.language(of: request)
        let now = cached.clock()
        let days = request.uri.queryParameters.get("range") == "days"
        let start = days ? calendar.interval(of: calendar.adding(-(historyDays - 1), to: calendar.day(containing: now))).start
                         : now.addingTimeInterval(-24 * 3600)
        let timings = try await store.hourlyTimings(productSlug: slug, since: start)
        let title = catalog.text(days ? "chart_days_title" : "chart_day_title", language, historyDays) + " · " + product.name
        let chart = ResponseTimeChart(timings: timings, start: start, end: now, title: title,
                                      noDataText: catalog.text("chart_no_data", language),
                                      timeZone: calendar.timeZone, locale: language.locale)
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml"
        // A product only some readers see is charted for them alone: no shared cache keeps it.
        headers[.cacheControl] = product.visibility == .public ? "max-age=60" : "private, max-age=60"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: chart.svg())))
    }

    private func asset(_ request: Request, body: String, etag: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        return Pages.conditional(request, body: body, etag: etag, headers: headers)
    }

    /// The logo under a path that names its content: kept a year by browsers, never re-asked.
    private func brandLogo(_ request: Request, _ logo: SiteBrand.Logo) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = logo.mediaType
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        headers[.eTag] = logo.etag
        if let held = request.headers[.ifNoneMatch], CachedPages<Store>.matches(held, etag: logo.etag) {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: logo.body))
    }

    func health() async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        // Which database, so that an operator behind a load balancer sees what each node runs on.
        let kind = store.databaseKind
        do {
            _ = try await store.stateVersion()
            return Response(status: .ok, headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok","database":"\#(kind)"}"#)))
        } catch {
            logger.error("health check failed: the database does not answer", metadata: ["error": "\(error)", "database": "\(kind)"])
            return Response(status: .serviceUnavailable, headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: #"{"status":"unavailable","reason":"database","database":"\#(kind)"}"#)))
        }
    }
}
