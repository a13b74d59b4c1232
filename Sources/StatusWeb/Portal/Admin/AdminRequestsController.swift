import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// "Demandes d'abonnements": the tenant's requests, pending first, and the administrators'
/// decisions (accept, refuse with a reason, suspend, reactivate). The refusal's reason is asked
/// in a dialog, or on a page of its own without a script. Another tenant's request is a 404.
struct AdminRequestsController: Sendable {
    let services: ServiceCatalog
    let admin: AdminPages
    let calendar: DayCalendar

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.tenantAdmin)
        router.get("/admin/requests") { request, context in
            try await requestsPage(request, caller: try context.requireTenant())
        }
        router.get("/admin/requests/:id/refuse") { request, context in
            let caller = try context.requireTenant()
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            return try await refusalForm(request, caller: caller, id: id)
        }
        router.post("/admin/requests/:id/:action") { request, context in
            guard let decision = ServiceDecision(rawValue: try context.parameters.require("action")) else { throw HTTPError(.notFound) }
            return try await decide(decision, request, context)
        }
        // Its own route: the router does not fall back from the refusal page's path to `:action`.
        router.post("/admin/requests/:id/refuse") { request, context in
            try await decide(.refuse, request, context)
        }
    }

    private func decide(_ decision: ServiceDecision, _ request: Request, _ context: StatusRequestContext) async throws -> Response {
        let caller = try context.requireTenant()
        let fields = try await Forms.read(AdminForm.self, from: request, context: context)
        guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
        let reason = fields.reason.orEmpty
        do {
            let decided = try await ServiceAnswers.run {
                try await services.decideWithReason(decision, subscriptionID: id, reason: reason, by: caller.user, tenantID: caller.tenantID)
            }
            return try await requestsPage(request, caller: caller,
                                          notice: "\(admin.text("services_done_\(decision.rawValue)", request)) \(decided.service.name)")
        } catch let errors as FormErrors {
            return try await refusalForm(request, caller: caller, id: id, reason: reason, errors: errors, status: .unprocessableContent)
        } catch is SubscriptionStateChanged {
            return try await requestsPage(request, caller: caller, refused: admin.text("services_state_changed", request), status: .conflict)
        }
    }

    struct Row {
        let id: String, service: String, family: String, requester: String, email: String, state: String, stateText: String
        let requestedAt: String
        let reason: String?
        let pending: Bool, accepted: Bool, suspended: Bool
    }

    struct RequestsContent {
        let items: [Row]
        let hasItems: Bool
        let pendingCount: String
    }

    private func requestsPage(_ request: Request, caller: TenantCaller, notice: String? = nil, refused: String? = nil,
                              status: HTTPResponse.Status = .ok) async throws -> Response {
        let requests = try await ServiceAnswers.run { try await services.requests(tenantID: caller.tenantID, by: caller.user) }
        let dates = DayFormatter(language: admin.language(request), calendar: calendar)
        let rows = requests.map { item in
            let state = item.subscription.state
            return Row(id: String(item.id), service: item.service.name, family: item.service.family, requester: item.requester.displayName,
                       email: item.requester.email, state: state.rawValue, stateText: admin.text("services_state_\(state.rawValue)", request),
                       requestedAt: dates.instant(item.subscription.requestedAt),
                       reason: state == .refused && !item.subscription.reason.isEmpty ? item.subscription.reason : nil,
                       pending: state == .pending, accepted: state == .accepted, suspended: state == .suspended)
        }
        let content = RequestsContent(items: rows, hasItems: !rows.isEmpty, pendingCount: String(rows.filter(\.pending).count))
        return try admin.render(request, admin: caller, section: .requests, titleKey: "admin_requests_title", template: "admin_requests",
                                content: content, notice: notice, refused: refused, status: status)
    }

    struct RefusalContent {
        let id: String
        let service: String
        let requester: String
        let reason: String
        let error: String?
    }

    /// The refusal's own page: without a script, and again with the message when the reason is missing or too long.
    private func refusalForm(_ request: Request, caller: TenantCaller, id: Int64, reason: String = "", errors: FormErrors = FormErrors(),
                             status: HTTPResponse.Status = .ok) async throws -> Response {
        let requests = try await ServiceAnswers.run { try await services.requests(tenantID: caller.tenantID, by: caller.user) }
        guard let item = requests.first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
        guard item.subscription.state == .pending else {
            return try await requestsPage(request, caller: caller, refused: admin.text("services_state_changed", request), status: .conflict)
        }
        let content = RefusalContent(id: String(id), service: item.service.name, requester: "\(item.requester.displayName) (\(item.requester.email))",
                                     reason: reason, error: errors["reason"].map { admin.text($0, request) })
        return try admin.render(request, admin: caller, section: .requests, titleKey: "admin_refuse_title", template: "admin_refuse",
                                content: content, status: status)
    }
}
