import Foundation
import HTTPTypes
import Hummingbird
import StatusModel

/// `/products/{slug}/badge.svg` (the current condition) and `/products/{slug}/uptime.svg`,
/// for READMEs and intranet pages.
struct BadgeController<Store: StatusStore>: Sendable {
    let store: Store
    let pages: Pages
    let calendar: DayCalendar
    let historyDays: Int
    let clock: @Sendable () -> Date

    private var catalog: MessageCatalog { pages.catalog }

    func addRoutes(to routes: SiteRoutes) {
        let open = routes.pages(.anyone)
        open.get("/products/:slug/badge.svg") { request, context in
            let product = try await visibleProduct(try context.parameters.require("slug"), context.audience)
            let language = pages.language(of: request)
            let condition = try await store.conditions(now: clock())[product.slug] ?? .operational
            let colour: Badge.Colour = switch condition {
            case .operational: .green
            case .maintenance: .blue
            case .degraded: .ochre
            case .outage: .red
            }
            let badge = Badge(label: product.name, message: catalog.text("badge_\(condition.rawValue)", language), colour: colour)
            return badgeResponse(request, badge, language: language, shared: product.visibility == .public)
        }
        open.get("/products/:slug/uptime.svg") { request, context in
            let product = try await visibleProduct(try context.parameters.require("slug"), context.audience)
            let language = pages.language(of: request)
            guard let dayCount = uptimeDays(request) else {
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; charset=utf-8"
                headers[.cacheControl] = "no-store"
                return Response(status: .badRequest, headers: headers,
                                body: .init(byteBuffer: ByteBuffer(string: catalog.text("badge_bad_days", language) + "\n")))
            }
            let now = clock()
            let days = calendar.days(endingWith: calendar.day(containing: now), count: dayCount)
            let uptime = try await store.history(productSlug: product.slug, days: days, now: now).uptime
            let badge = Badge(label: catalog.text("badge_uptime", language),
                              message: uptime.map { ProductPage.formatPercent($0, language) } ?? catalog.text("badge_no_data", language),
                              colour: uptime.map(Self.uptimeColour) ?? .grey)
            return badgeResponse(request, badge, language: language, shared: product.visibility == .public)
        }
    }

    /// A product the reader may not see answers 404, as an unknown slug does.
    private func visibleProduct(_ slug: String, _ audience: ProductAudience) async throws -> Product {
        guard let product = try await store.visibleProduct(slug: slug, for: audience) else { throw HTTPError(.notFound) }
        return product
    }

    /// `?days=N` from 1 to 90, the grid's length when absent; nil for anything else.
    private func uptimeDays(_ request: Request) -> Int? {
        guard let raw = request.uri.queryParameters.get("days") else { return historyDays }
        guard let days = Int(raw), (1...90).contains(days) else { return nil }
        return days
    }

    /// Three nines and better look healthy; below 99 % a customer would have noticed.
    private static func uptimeColour(_ fraction: Double) -> Badge.Colour {
        switch fraction {
        case 0.999...: .green
        case 0.99..<0.999: .ochre
        default: .red
        }
    }

    /// Badges are embedded in other sites and fetched often: a short cache, then a cheap 304.
    /// `shared`: a public product's badge, which any cache may keep; another is its reader's alone.
    private func badgeResponse(_ request: Request, _ badge: Badge, language: Language, shared: Bool) -> Response {
        let svg = badge.svg()
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml; charset=utf-8"
        headers[.cacheControl] = shared ? "max-age=60" : "private, max-age=60"
        headers[.vary] = "Accept-Language, Cookie"
        headers[.contentLanguage] = language.rawValue
        return Pages.conditional(request, body: svg, etag: PageCache.etag(for: svg), headers: headers)
    }
}
