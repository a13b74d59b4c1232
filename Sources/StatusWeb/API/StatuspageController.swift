import Foundation
import HTTPTypes
import Hummingbird
import StatusModel

/// `/api/v2/*.json`, Statuspage's public API.
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
        router.get("/api/v2/summary.json") { request, _ in
            let entry = try await cached.bytesEntry(key: .init(path: "/api/v2/summary.json", language: .en)) { _ in
                let context = try await statuspageContext()
                let unresolved = try await store.unresolvedIncidents()
                let windows = try await maintenances(from: context.now)
                return try statuspageBytes([
                    "page": AnyEncodable(context.page), "status": AnyEncodable(context.status(unresolved: unresolved)),
                    "components": AnyEncodable(context.components), "incidents": AnyEncodable(unresolved.map(context.incident)),
                    "scheduled_maintenances": AnyEncodable(windows.filter { $0.status(at: context.now) != .completed }.map(context.maintenance)),
                ])
            }
            return CachedPages<Store>.respond(request, entry: entry, headers: statuspageHeaders)
        }
        router.get("/api/v2/status.json") { _, _ in
            let context = try await statuspageContext()
            return try statuspageJSON(["page": AnyEncodable(context.page),
                                       "status": AnyEncodable(context.status(unresolved: try await store.unresolvedIncidents()))])
        }
        router.get("/api/v2/components.json") { _, _ in
            let context = try await statuspageContext()
            return try statuspageJSON(["page": AnyEncodable(context.page), "components": AnyEncodable(context.components)])
        }
        router.get("/api/v2/incidents.json") { _, _ in
            let context = try await statuspageContext()
            return try statuspageJSON(["page": AnyEncodable(context.page),
                                       "incidents": AnyEncodable(try await store.recentIncidents(limit: 50).map(context.incident))])
        }
        router.get("/api/v2/incidents/unresolved.json") { _, _ in
            let context = try await statuspageContext()
            return try statuspageJSON(["page": AnyEncodable(context.page),
                                       "incidents": AnyEncodable(try await store.unresolvedIncidents().map(context.incident))])
        }
        for (path, keep) in [("scheduled-maintenances", nil), ("scheduled-maintenances/upcoming", Maintenance.Status.scheduled),
                             ("scheduled-maintenances/active", .inProgress)] as [(String, Maintenance.Status?)] {
            router.get(RouterPath("/api/v2/\(path).json")) { _, _ in
                let context = try await statuspageContext()
                let windows = try await maintenances(from: keep == nil ? context.now.addingTimeInterval(-90 * 86_400) : context.now)
                    .filter { keep == nil || $0.status(at: context.now) == keep }
                return try statuspageJSON(["page": AnyEncodable(context.page),
                                           "scheduled_maintenances": AnyEncodable(windows.map(context.maintenance))])
            }
        }
    }

    private func statuspageContext() async throws -> StatuspageV2.Context {
        let now = clock()
        return StatuspageV2.Context(
            pageID: "statusd", pageName: catalog.text("site_name", .en), baseURL: baseURL, timeZone: calendar.timeZone, now: now,
            products: try await store.products(), conditions: try await store.conditions(now: now), stateChangedAt: now)
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

    private var statuspageHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "max-age=30"
        headers[.accessControlAllowOrigin] = "*"
        return headers
    }

    private func statuspageJSON(_ object: [String: AnyEncodable]) throws -> Response {
        Response(status: .ok, headers: statuspageHeaders, body: .init(byteBuffer: try statuspageBytes(object)))
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
