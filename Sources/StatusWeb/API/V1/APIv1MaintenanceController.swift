import Foundation
import HTTPTypes
import Hummingbird
import StatusModel

/// Maintenance windows: the public schedule; operators schedule, change and cancel them.
struct APIv1MaintenanceController<Store: StatusStore>: Sendable {
    let support: APIv1Support<Store>
    let announcementsChanged: @Sendable () -> Void

    private var store: Store { support.store }
    private var calendar: DayCalendar { support.calendar }
    private func clock() -> Date { support.clock() }

    func addRoutes(to routes: SiteRoutes) {
        let api = routes.api(.anyone)
        let staff = routes.api(.staffKey)
        api.get("maintenance") { request, context in
            let now = clock()
            let from = try queryDate(request, "from") ?? now.addingTimeInterval(-7 * 86_400)
            let to = try queryDate(request, "to") ?? now.addingTimeInterval(90 * 86_400)
            // DateInterval traps on a reversed interval: refuse it as the client's mistake first.
            guard to >= from else { throw APIError(.badRequest, "end_before_start", "to must not be before from.", field: "to") }
            let shown = try await store.visibleProducts(for: context.audience).slugs
            let windows = try await store.maintenances(overlapping: DateInterval(start: from, end: to))
                .filter { $0.productSlugs.contains(where: { shown.contains($0) }) }.sorted { $0.start < $1.start }
            return APIv1.MaintenanceList(maintenance: windows.map {
                APIv1.MaintenanceView($0, now: now, timeZone: calendar.timeZone, shown: shown)
            })
        }
        api.get("maintenance/:id") { _, context in
            let shown = try await store.visibleProducts(for: context.audience).slugs
            guard let window = try await store.maintenance(id: try context.parameters.require("id")),
                  window.productSlugs.contains(where: { shown.contains($0) }) else { throw APIError.notFound("maintenance window") }
            return APIv1.MaintenanceView(window, now: clock(), timeZone: calendar.timeZone, shown: shown)
        }
        staff.post("maintenance") { request, _ in
            let body = try await APIv1JSON.decode(MaintenanceBody.self, from: request)
            guard let title = body.title else { throw APIError.missing("title") }
            guard let slugs = body.products else { throw APIError.missing("products") }
            let start = try APIv1JSON.date(body.start, field: "start")
            let end = try APIv1JSON.date(body.end, field: "end")
            let window = Maintenance(id: IncidentID.make(), title: title, message: body.message ?? "", productSlugs: slugs,
                                     start: start, end: end, repeatsWeekly: body.repeatsWeekly ?? false)
            return try await saveWindow(window, status: .created)
        }
        staff.patch("maintenance/:id") { request, context in
            guard var window = try await store.maintenance(id: try context.parameters.require("id")) else {
                throw APIError.notFound("maintenance window")
            }
            let body = try await APIv1JSON.decode(MaintenanceBody.self, from: request)
            window.title = body.title ?? window.title
            window.message = body.message ?? window.message
            window.productSlugs = body.products ?? window.productSlugs
            if body.start != nil { window.start = try APIv1JSON.date(body.start, field: "start") }
            if body.end != nil { window.end = try APIv1JSON.date(body.end, field: "end") }
            window.repeatsWeekly = body.repeatsWeekly ?? window.repeatsWeekly
            return try await saveWindow(window, status: .ok)
        }
        staff.delete("maintenance/:id") { request, context in
            guard try await store.deleteMaintenance(id: try context.parameters.require("id")) else { throw APIError.notFound("maintenance window") }
            announcementsChanged()
            return APIv1JSON.noContent()
        }
    }

    /// Checks a window against the rules and its products against the store, then saves it.
    private func saveWindow(_ window: Maintenance, status: HTTPResponse.Status) async throws -> EditedResponse<APIv1.MaintenanceView> {
        var window = window
        if let violation = AnnouncementRules.check(title: window.title, message: window.message, productSlugs: window.productSlugs)
            ?? AnnouncementRules.check(windowStart: window.start, end: window.end) {
            throw APIError(violation)
        }
        window.productSlugs = try await support.knownProductSlugs(window.productSlugs)
        try await store.save(window)
        announcementsChanged()
        let view = APIv1.MaintenanceView(window, now: clock(), timeZone: calendar.timeZone)
        return EditedResponse(status: status, headers: [.location: "/api/v1/maintenance/\(window.id)"], response: view)
    }

    /// An optional date of the query string; present but not ISO 8601 with an offset is 400.
    private func queryDate(_ request: Request, _ name: String) throws -> Date? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let date = APIv1JSON.parseDate(text) else {
            throw APIError.badParameter(name, "\(name) must be an ISO 8601 date and time with an offset, such as 2026-11-20T00:00:00Z.")
        }
        return date
    }
}

/// The body of `POST /api/v1/maintenance` and `PATCH /api/v1/maintenance/{id}`.
struct MaintenanceBody: Decodable {
    var title: String?
    var message: String?
    var products: [String]?
    var start: String?
    var end: String?
    var repeatsWeekly: Bool?
}
