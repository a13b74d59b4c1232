import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// Who asks, in which tenant: the logged-in user of the session's tenant and their role there.
struct TenantCaller {
    let session: Session
    let user: User
    let tenant: Tenant
    let role: Membership.Role
}

extension StatusSite {
    /// The service catalog of the portal: a tenant's users see it and request access
    /// (`/services`), the tenant's administrators decide (`/admin/services`), operators manage
    /// the catalog (`/staff/services`). Tenant objects are read through the session's tenant.
    func addServiceRoutes(to router: Router<StatusRequestContext>, accounts: AccountService, services: ServiceCatalog) {
        router.get("/services") { request, _ in
            guard let current = try await currentSession(request, accounts: accounts) else { return FormSupport.redirect(to: "/login") }
            if accounts.passwordExpired(current.user) { return FormSupport.redirect(to: "/password/change") }
            let caller = try await tenantCaller(request, accounts: accounts)
            return try await servicesPage(request, caller: caller, services: services)
        }
        router.post("/services/:id/request") { request, context in
            let caller = try await tenantCaller(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(caller.session, fields)
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            let language = language(of: request)
            do {
                _ = try await serviceAnswer { try await services.request(serviceID: id, by: caller.user, tenantID: caller.tenant.id) }
                return try await servicesPage(request, caller: caller, services: services, notice: catalog.text("services_requested", language))
            } catch is DuplicateServiceRequest {
                return try await servicesPage(request, caller: caller, services: services,
                                              refused: catalog.text("services_request_exists", language), status: .conflict)
            }
        }
        router.get("/admin/services") { request, _ in
            let admin = try await serviceAdmin(request, accounts: accounts)
            return try await adminServicesPage(request, admin: admin, services: services)
        }
        router.post("/admin/services/:id/:action") { request, context in
            let admin = try await serviceAdmin(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(admin.session, fields)
            guard let id = Int64(try context.parameters.require("id")),
                  let decision = ServiceDecision(rawValue: try context.parameters.require("action")) else { throw HTTPError(.notFound) }
            let language = language(of: request)
            let reason = fields["reason"] ?? ""
            do {
                let decided = try await serviceAnswer {
                    try await services.decide(decision, subscriptionID: id, reason: reason, by: admin.user, tenantID: admin.tenant.id)
                }
                return try await adminServicesPage(request, admin: admin, services: services,
                                                   notice: "\(catalog.text("services_done_\(decision.rawValue)", language)) \(decided.service.name)")
            } catch let errors as FormErrors {
                return try await adminServicesPage(request, admin: admin, services: services, errors: errors, reasonFor: id, reason: reason,
                                                   status: .unprocessableContent)
            } catch is SubscriptionStateChanged {
                return try await adminServicesPage(request, admin: admin, services: services,
                                                   refused: catalog.text("services_state_changed", language), status: .conflict)
            }
        }
        addStaffServiceRoutes(to: router, accounts: accounts, services: services)
    }

    /// Runs a catalog rule and turns its refusals into HTTP answers: not the caller's to do is
    /// 403; another tenant's request or an unknown service is 404, as if it did not exist.
    func serviceAnswer<T>(_ body: () async throws -> T) async throws -> T {
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

    /// Leaves out the empty texts: a template's `{{#flag}}` section shows for any string, even
    /// an empty one, and a missing key reads as false.
    static func shown(_ texts: [String: String]) -> [String: String] {
        texts.filter { !$0.value.isEmpty }
    }

    /// The logged-in user in the session's tenant; anonymous users go to the login page, a
    /// user without a tenant (staff) gets 403.
    func tenantCaller(_ request: Request, accounts: AccountService) async throws -> TenantCaller {
        guard let current = try await currentSession(request, accounts: accounts) else { throw HTTPError(.unauthorized) }
        guard let tenantID = current.session.tenantID,
              let membership = try await accounts.memberships(userID: current.user.id).first(where: { $0.tenant.id == tenantID })
        else { throw HTTPError(.forbidden) }
        return TenantCaller(session: current.session, user: current.user, tenant: membership.tenant, role: membership.role)
    }

    /// An administrator of the session's tenant; members get 403.
    private func serviceAdmin(_ request: Request, accounts: AccountService) async throws -> TenantCaller {
        let caller = try await tenantCaller(request, accounts: accounts)
        guard caller.role == .admin else { throw HTTPError(.forbidden) }
        return caller
    }

    private func servicesPage(_ request: Request, caller: TenantCaller, services: ServiceCatalog, notice: String = "", refused: String = "",
                              status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = language(of: request)
        let entries = try await serviceAnswer { try await services.catalog(for: caller.user, tenantID: caller.tenant.id) }
        let rows = entries.map { entry -> [String: String] in
            let state = entry.subscription?.state.rawValue ?? "none"
            let reason = entry.subscription?.state == .refused ? (entry.subscription?.reason ?? "") : ""
            var row: [String: String] = ["id": String(entry.service.id), "name": entry.service.name, "family": entry.service.family,
                                         "description": entry.service.description, "state": state, "reason": reason]
            row["stateText"] = catalog.text("services_state_\(state)", language)
            row["retired"] = entry.service.isActive ? "" : "yes"
            row["canRequest"] = entry.canRequest ? "yes" : ""
            return Self.shown(row)
        }
        return try portalPage(request, template: "services", titleKey: "services_title", csrf: caller.session.csrfToken,
                              values: ["tenant": "\(caller.tenant.name) (\(caller.tenant.code))"],
                              extra: Self.shown(["notice": notice, "refused": refused, "hasItems": rows.isEmpty ? "" : "yes"]),
                              items: rows, status: status)
    }

    private func adminServicesPage(_ request: Request, admin: TenantCaller, services: ServiceCatalog, notice: String = "", refused: String = "",
                                   errors: FormErrors = FormErrors(), reasonFor: Int64? = nil, reason: String = "",
                                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = language(of: request)
        let requests = try await serviceAnswer { try await services.requests(tenantID: admin.tenant.id, by: admin.user) }
        let counts = try await services.counts(tenantID: admin.tenant.id)
        let dates = DayFormatter(language: language, calendar: calendar)
        let reasonError = errors["reason"].map { catalog.text($0, language) } ?? ""
        let rows = requests.map { item -> [String: String] in
            let state = item.subscription.state
            let typed = item.id == reasonFor
            var row: [String: String] = ["id": String(item.id), "service": item.service.name, "family": item.service.family,
                                         "requester": item.requester.displayName, "email": item.requester.email, "state": state.rawValue]
            row["requestedAt"] = dates.instant(item.subscription.requestedAt)
            row["stateText"] = catalog.text("services_state_\(state.rawValue)", language)
            row["reason"] = state == .refused ? item.subscription.reason : ""
            row["pending"] = state == .pending ? "yes" : ""
            row["accepted"] = state == .accepted ? "yes" : ""
            row["suspended"] = state == .suspended ? "yes" : ""
            row["reasonValue"] = typed ? reason : ""
            row["reasonError"] = typed ? reasonError : ""
            return Self.shown(row)
        }
        return try portalPage(request, template: "admin_services", titleKey: "admin_services_title", csrf: admin.session.csrfToken,
                              values: ["tenant": "\(admin.tenant.name) (\(admin.tenant.code))", "services": String(counts.services),
                                       "newRequests": String(counts.pendingRequests)],
                              errors: errors, extra: Self.shown(["notice": notice, "refused": refused, "hasItems": rows.isEmpty ? "" : "yes"]),
                              items: rows, status: status)
    }
}
