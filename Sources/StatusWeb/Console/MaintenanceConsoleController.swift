import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The operators' console for maintenance: schedule a window (once or weekly), change it, cancel it.
struct MaintenanceConsoleController<Store: StatusStore>: Sendable {
    let console: ConsolePages<Store>
    let announcementsChanged: @Sendable () -> Void
    let clock: @Sendable () -> Date

    private var store: Store { console.store }
    private var pages: Pages { console.pages }
    private var calendar: DayCalendar { console.calendar }

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.operator)
        router.get("/staff/maintenance") { request, context in
            let staff = try context.requireUser()
            return try await maintenancePage(request, csrf: staff.csrfToken)
        }
        router.post("/staff/maintenance") { request, context in
            let staff = try context.requireUser()
            let form = try await Forms.read(MaintenanceForm.self, from: request, context: context)
            switch try await window(from: form, id: IncidentID.make()) {
            case .failure(let errors):
                return try await maintenancePage(request, csrf: staff.csrfToken, form: form, errors: errors.fields, status: .unprocessableContent)
            case .success(let window):
                try await store.save(window)
                announcementsChanged()
                return Forms.redirect(to: "/staff/maintenance?notice=maintenance_saved")
            }
        }
        router.get("/staff/maintenance/:id") { request, context in
            let staff = try context.requireUser()
            let window = try await requireWindow(context)
            return try await windowPage(request, csrf: staff.csrfToken, window: window)
        }
        router.post("/staff/maintenance/:id") { request, context in
            let staff = try context.requireUser()
            let existing = try await requireWindow(context)
            let form = try await Forms.read(MaintenanceForm.self, from: request, context: context)
            switch try await window(from: form, id: existing.id) {
            case .failure(let errors):
                return try await windowPage(request, csrf: staff.csrfToken, window: existing, form: form, errors: errors.fields,
                                            status: .unprocessableContent)
            case .success(let window):
                try await store.save(window)
                announcementsChanged()
                return Forms.redirect(to: "/staff/maintenance?notice=maintenance_saved")
            }
        }
        router.post("/staff/maintenance/:id/cancel") { request, context in
            _ = try context.requireUser()
            let window = try await requireWindow(context)
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            _ = try await store.deleteMaintenance(id: window.id)
            announcementsChanged()
            return Forms.redirect(to: "/staff/maintenance?notice=maintenance_cancelled")
        }
    }

    struct FieldErrors: Error {
        let fields: [String: String]
    }

    private func window(from form: MaintenanceForm, id: String) async throws -> Result<Maintenance, FieldErrors> {
        let draft = AnnouncementDraft(title: form.title.orEmpty, message: form.message.orEmpty, productSlugs: form.chosenProducts)
        let start = localDateTime(form.start.orEmpty), end = localDateTime(form.end.orEmpty)
        let errors = draft.errors(knownSlugs: try await console.productSlugs(), messageRequired: false)
            .merging(AnnouncementDraft.windowErrors(start: start, end: end)) { first, _ in first }
        guard errors.isEmpty, let start, let end else { return .failure(FieldErrors(fields: errors)) }
        return .success(Maintenance(id: id, title: draft.title, message: draft.message, productSlugs: draft.productSlugs,
                                    start: start, end: end, repeatsWeekly: form.repeatsWeekly))
    }

    private func requireWindow(_ context: StatusRequestContext) async throws -> Maintenance {
        guard let window = try await store.maintenance(id: try context.parameters.require("id")) else { throw HTTPError(.notFound) }
        return window
    }

    /// A `datetime-local` field's value ("2026-12-01T22:00"), read in the deployment's time zone.
    func localDateTime(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = text.count > 16 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }

    func localDateTimeValue(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }

    /// `form`: the window refused, shown again as typed; nil shows an empty form.
    private func maintenancePage(_ request: Request, csrf: String, form: MaintenanceForm? = nil, errors: [String: String] = [:],
                                 status: HTTPResponse.Status = .ok) async throws -> Response {
        var view = try await console.view(request, titleKey: "console_maintenance_title", csrf: csrf, values: form?.keptValues ?? [:],
                                          chosen: form?.chosenProducts ?? [], errors: errors)
        let now = clock()
        let windows = try await store.maintenances(overlapping: DateInterval(start: now.addingTimeInterval(-30 * 86_400), end: now.addingTimeInterval(400 * 86_400)))
        let names = try await console.productNames()
        view.windows = windows.sorted { $0.start > $1.start }.map { windowRow($0, names: names, language: pages.language(of: request), now: now) }
        return try console.page(view, template: "console_maintenance", status: status)
    }

    /// `form`: the change refused, shown again as typed; nil shows the window as saved.
    private func windowPage(_ request: Request, csrf: String, window: Maintenance, form: MaintenanceForm? = nil,
                            errors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let shown = form ?? MaintenanceForm(title: window.title, message: window.message, start: localDateTimeValue(window.start),
                                            end: localDateTimeValue(window.end), weekly: window.repeatsWeekly ? "on" : nil,
                                            products: window.productSlugs)
        var view = try await console.view(request, titleKey: "console_window_title", csrf: csrf, values: shown.keptValues,
                                          chosen: shown.chosenProducts, errors: errors)
        view.window = windowRow(window, names: try await console.productNames(), language: pages.language(of: request), now: clock())
        return try console.page(view, template: "console_window", status: status)
    }

    private func windowRow(_ window: Maintenance, names: [String: String], language: Language, now: Date) -> ConsoleView.WindowRow {
        let format = DayFormatter(language: language, calendar: calendar)
        let status = window.status(at: now)
        return .init(id: window.id, title: window.title, message: window.message,
                     products: window.productSlugs.map { names[$0] ?? $0 }.joined(separator: ", "),
                     start: format.instant(window.start), end: format.instant(window.end), status: status.rawValue,
                     statusWord: pages.catalog.text("maintenance_status_\(status.rawValue)", language), weekly: window.repeatsWeekly)
    }
}
