import Foundation
import HTTPTypes
import Hummingbird
import StatusModel

/// `/api/v2/*.json`, Statuspage's public API, as the reader's session sees it: components are
/// the products they see, and an incident or a window shows with those of its products only
/// (not at all when they see none).
struct StatuspageController<Store: StatusStore>: Sendable {
    let store: Store
    let catalog: MessageCatalog
    let calendar: DayCalendar
    /// The public address, for the page's links.
    let baseURL: String
    let clock: @Sendable () -> Date
    /// `summary.json`, the one every widget polls, is kept as bytes with the pages.
    let cached: CachedPages<Store>

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.anyone)
        router.get("/api/v2/summary.json") { request, caller in
            let audience = caller.audience.withoutMine
            let entry = try await cached.bytesEntry(key: .init(path: "/api/v2/summary.json", language: .en, audience: audience)) { _ in
                let context = try await statuspageContext(audience)
                let unresolved = try await store.unresolvedIncidents().filter(context.shows)
                let windows = try await maintenances(from: context.now).filter(context.shows)
                return try statuspageBytes([
                    "page": AnyEncodable(context.page), "status": AnyEncodable(context.status(unresolved: unresolved)),
                    "components": AnyEncodable(context.components), "incidents": AnyEncodable(unresolved.map(context.incident)),
                    "scheduled_maintenances": AnyEncodable(windows.filter { $0.status(at: context.now) != .completed }.map(context.maintenance)),
                ])
            }
            return CachedPages<Store>.respond(request, entry: entry, headers: statuspageHeaders(audience))
        }
        router.get("/api/v2/status.json") { _, caller in
            let context = try await statuspageContext(caller.audience)
            return try statuspageJSON(audience: context.audience, ["page": AnyEncodable(context.page),
                                       "status": AnyEncodable(context.status(unresolved: try await store.unresolvedIncidents().filter(context.shows)))])
        }
        router.get("/api/v2/components.json") { _, caller in
            let context = try await statuspageContext(caller.audience)
            return try statuspageJSON(audience: context.audience, ["page": AnyEncodable(context.page), "components": AnyEncodable(context.components)])
        }
        router.get("/api/v2/incidents.json") { _, caller in
            let context = try await statuspageContext(caller.audience)
            // Those the reader sees none of are left out, so ask for more than the page.
            let incidents = try await store.recentIncidents(limit: 250).filter(context.shows).prefix(50)
            return try statuspageJSON(audience: context.audience, ["page": AnyEncodable(context.page), "incidents": AnyEncodable(incidents.map(context.incident))])
        }
        router.get("/api/v2/incidents/unresolved.json") { _, caller in
            let context = try await statuspageContext(caller.audience)
            return try statuspageJSON(audience: context.audience, ["page": AnyEncodable(context.page),
                                       "incidents": AnyEncodable(try await store.unresolvedIncidents().filter(context.shows).map(context.incident))])
        }
        for (path, keep) in [("scheduled-maintenances", nil), ("scheduled-maintenances/upcoming", Maintenance.Status.scheduled),
                             ("scheduled-maintenances/active", .inProgress)] as [(String, Maintenance.Status?)] {
            router.get(RouterPath("/api/v2/\(path).json")) { _, caller in
                let context = try await statuspageContext(caller.audience)
                let windows = try await maintenances(from: keep == nil ? context.now.addingTimeInterval(-90 * 86_400) : context.now)
                    .filter { (keep == nil || $0.status(at: context.now) == keep) && context.shows($0) }
                return try statuspageJSON(audience: context.audience, ["page": AnyEncodable(context.page),
                                           "scheduled_maintenances": AnyEncodable(windows.map(context.maintenance))])
            }
        }
    }

    private func statuspageContext(_ audience: ProductAudience) async throws -> StatuspageV2.Context {
        let now = clock()
        return StatuspageV2.Context(
            pageID: "statusd", pageName: catalog.text("site_name", .en), baseURL: baseURL, timeZone: calendar.timeZone, now: now,
            products: try await store.visibleProducts(for: audience).products, conditions: try await store.conditions(now: now), stateChangedAt: now,
            audience: audience)
    }

    /// Windows ending after `start`, newest first as Statuspage lists them.
    private func maintenances(from start: Date) async throws -> [Maintenance] {
        try await store.maintenances(overlapping: DateInterval(start: start, end: .distantFuture)).sorted { $0.start > $1.start }
    }

    private func statuspageBytes(_ object: [String: AnyEncodable]) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ByteBuffer(bytes: try encoder.encode(object))
    }

    /// The public answer may be kept by any cache and read from any site; a signed-in reader's
    /// is theirs: private, and not offered to other origins (which could read it with the cookie).
    private func statuspageHeaders(_ audience: ProductAudience) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if audience.readsAsAnonymous {
            headers[.cacheControl] = "max-age=30"
            headers[.accessControlAllowOrigin] = "*"
        } else {
            headers[.cacheControl] = "private, max-age=30"
        }
        headers[.vary] = "Cookie"
        return headers
    }

    private func statuspageJSON(audience: ProductAudience, _ object: [String: AnyEncodable]) throws -> Response {
        Response(status: .ok, headers: statuspageHeaders(audience), body: .init(byteBuffer: try statuspageBytes(object)))
    }
}

/// Lets one dictionary hold the different parts of an answer.
struct AnyEncodable: Encodable {
    private let encodeValue: (any Encoder) throws -> Void

    init(_ value: some Encodable) {
        encodeValue = value.encode
    }

    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}
