import Foundation
import HTTPTypes
import Hummingbird
import StatusModel

/// `/feed.atom` and `/products/{slug}/feed.atom`: incidents and maintenance windows as Atom.
struct FeedController<Store: StatusStore>: Sendable {
    let store: Store
    let pages: Pages
    let cached: CachedPages<Store>
    /// The public address: feeds link to the pages with it.
    let baseURL: String

    func addRoutes(to routes: SiteRoutes) {
        let open = routes.pages(.anyone)
        open.get("/feed.atom") { request, context in
            try await feedResponse(request, path: StatusFeed.path(for: .allProducts), audience: context.audience) { .allProducts }
        }
        open.get("/products/:slug/feed.atom") { request, context in
            let slug = try context.parameters.require("slug")
            let audience = context.audience
            // Looked up when the feed is rendered, not on every request (a 404 is never cached);
            // a product the reader may not see is as unknown as a wrong slug.
            return try await feedResponse(request, path: "/products/\(slug)/feed.atom", audience: audience) {
                guard let product = try await store.visibleProduct(slug: slug, for: audience.withoutMine) else { throw HTTPError(.notFound) }
                return .product(product)
            }
        }
    }

    /// Cached like the pages: rendered again only once the store's state version moves; one copy
    /// per set of visible products (a feed reader with the session's cookie gets theirs).
    private func feedResponse(_ request: Request, path: String, audience: ProductAudience,
                              scope findScope: () async throws -> StatusFeed.Scope) async throws -> Response {
        let language = pages.language(of: request)
        let audience = audience.withoutMine
        let key = PageCache.Key(path: path, language: language, audience: audience)
        let entry = try await cached.entry(key: key) { now in
            let scope = try await findScope()
            async let products = store.visibleProducts(for: audience).products
            async let incidents = feedIncidents(scope: scope)
            // A year back covers the latest entries of any feed; upcoming windows are announced too.
            async let maintenances = store.maintenances(overlapping: DateInterval(start: now.addingTimeInterval(-365 * 86_400), end: .distantFuture))
            let feed = StatusFeed(scope: scope, products: try await products, language: language,
                                  catalog: pages.catalog, calendar: cached.calendar, baseURL: baseURL)
            return feed.feed(incidents: try await incidents, maintenances: try await maintenances, now: now).xml()
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/atom+xml; charset=utf-8"
        headers[.cacheControl] = audience.readsAsAnonymous ? "no-cache" : "private, no-cache"
        headers[.contentLanguage] = language.rawValue
        return CachedPages<Store>.respond(request, entry: entry, headers: headers)
    }

    /// Unresolved incidents, then enough of the latest closed ones to fill a feed even after those
    /// on hidden products are left out.
    private func feedIncidents(scope: StatusFeed.Scope) async throws -> [Incident] {
        switch scope {
        case .allProducts:
            return try await store.unresolvedIncidents() + store.recentIncidents(limit: 2 * StatusFeed.entryLimit)
        case .product(let product):
            return try await store.unresolvedIncidents() + store.closedIncidents(productSlug: product.slug, limit: StatusFeed.entryLimit)
        }
    }
}
