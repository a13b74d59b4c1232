import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The service catalog of the portal: a tenant's users see it and request access
/// (`/services`); the tenant's administrators decide on `/admin/requests`
/// (`Admin/AdminRequestsController`). Tenant objects are read through the session's tenant.
struct ServiceRequestsController: Sendable {
    let services: ServiceCatalog
    let pages: Pages
    let calendar: DayCalendar

    func addRoutes(to routes: SiteRoutes) {
        let users = routes.pages(.signedIn)
        users.get("/services") { request, context in
            let caller = try context.requireTenant()
            return try await servicesPage(request, caller: caller)
        }
        users.post("/services/:id/request") { request, context in
            let caller = try context.requireTenant()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            let language = pages.language(of: request)
            do {
                let created = try await ServiceAnswers.run { try await services.request(serviceID: id, by: caller.user, tenantID: caller.tenant.id) }
                // A service without validation is accepted at once: the notice says which happened.
                let notice = created.state == .accepted ? "services_accepted_at_once" : "services_requested"
                return try await servicesPage(request, caller: caller, notice: pages.catalog.text(notice, language))
            } catch is DuplicateServiceRequest {
                return try await servicesPage(request, caller: caller,
                                              refused: pages.catalog.text("services_request_exists", language), status: .conflict)
            }
        }
        // The administrators' pages (decisions, grants) are in Portal/Admin/.
    }


    private func servicesPage(_ request: Request, caller: TenantCaller, notice: String = "", refused: String = "",
                              status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = pages.language(of: request)
        let entries = try await ServiceAnswers.run { try await services.catalog(for: caller.user, tenantID: caller.tenant.id) }
        let rows = entries.map { entry -> [String: String] in
            let state = entry.subscription?.state.rawValue ?? "none"
            let reason = entry.subscription?.state == .refused ? (entry.subscription?.reason ?? "") : ""
            var row: [String: String] = ["id": String(entry.service.id), "name": entry.service.name, "family": entry.service.family,
                                         "description": entry.service.description, "state": state, "reason": reason]
            row["stateText"] = pages.catalog.text("services_state_\(state)", language)
            row["retired"] = entry.service.isActive ? "" : "yes"
            row["canRequest"] = entry.canRequest ? "yes" : ""
            return Pages.dropEmpty(row)
        }
        return try pages.portal(request, template: "services", titleKey: "services_title", csrf: caller.session.csrfToken,
                              values: ["tenant": "\(caller.tenant.name) (\(caller.tenant.code))"],
                              extra: Pages.dropEmpty(["notice": notice, "refused": refused, "hasItems": rows.isEmpty ? "" : "yes"]),
                              items: rows, status: status)
    }
}

/// Runs a catalog rule and turns its refusals into HTTP answers: not the caller's to do is
/// 403; another tenant's request or an unknown service is 404, as if it did not exist.
enum ServiceAnswers {
    static func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch is NotAllowed {
            throw HTTPError(.forbidden)
        } catch is NotInTenant {
            throw HTTPError(.notFound)
        } catch is UnknownService {
            throw HTTPError(.notFound)
        }
    }
}
