import Foundation
import HTTPTypes
import Hummingbird
import Notify
import StatusModel

/// Operators see the mail outbox: counts by state and the dead letters, which they can send again.
struct OutboxConsoleController: Sendable {
    let outbox: any OutboxStore
    let pages: Pages
    let clock: @Sendable () -> Date

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.operator)
        router.get("/staff/outbox") { request, context in
            let staff = try context.requireUser()
            return try await outboxPage(request, csrf: staff.csrfToken)
        }
        router.post("/staff/outbox/:id/requeue") { request, context in
            let staff = try context.requireUser()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            guard let id = Int64(try context.parameters.require("id")), try await outbox.requeue(id: id, now: clock()) else {
                throw HTTPError(.notFound)
            }
            return try await outboxPage(request, csrf: staff.csrfToken, notice: pages.catalog.text("outbox_requeued", pages.language(of: request)))
        }
    }

    private func outboxPage(_ request: Request, csrf: String, notice: String = "") async throws -> Response {
        let counts = try await outbox.countsByState()
        let dead = try await outbox.deadLetters(limit: 100)
        var values: [String: String] = [:]
        for (state, count) in counts { values[state.rawValue] = String(count) }
        return try pages.portal(request, template: "staff_outbox", titleKey: "outbox_title", csrf: csrf, values: values,
                              extra: ["notice": notice],
                              items: dead.map { ["id": String($0.id), "to": $0.recipient, "subject": $0.mail.subject,
                                                 "error": $0.lastError ?? "", "attempts": String($0.attempts)] })
    }

}
