import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// "Services": what the tenant's users hold, per service its holders; administrators subscribe
/// users or a whole group at once and take a service away (confirmed). Another tenant's user,
/// group or subscription is a 404 and nothing changes.
struct AdminServicesController: Sendable {
    let services: ServiceCatalog
    let accounts: AccountService
    let admin: AdminPages

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.tenantAdmin)
        router.get("/admin/services") { request, context in
            try await servicesPage(request, caller: try context.requireTenant())
        }
        router.post("/admin/services/grant") { request, context in
            let caller = try context.requireTenant()
            let fields = try await Forms.read(AdminForm.self, from: request, context: context)
            let users = try AdminForm.ids(fields.users)
            return try await grant(request, caller: caller, service: fields.service, form: "users") {
                try await services.grant(serviceID: $0, userIDs: users, by: caller.user, tenantID: caller.tenantID)
            }
        }
        router.post("/admin/services/grant-group") { request, context in
            let caller = try context.requireTenant()
            let fields = try await Forms.read(AdminForm.self, from: request, context: context)
            guard let group = Int64(fields.group.orEmpty) else {
                return try await servicesPage(request, caller: caller, errors: FormErrors("group", "error_required"), status: .unprocessableContent)
            }
            return try await grant(request, caller: caller, service: fields.service, form: "group") {
                try await services.grant(serviceID: $0, groupID: group, by: caller.user, tenantID: caller.tenantID)
            }
        }
        router.post("/admin/services/:id/:action") { request, context in
            let caller = try context.requireTenant()
            let fields = try await Forms.read(AdminForm.self, from: request, context: context)
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            let action = try context.parameters.require("action")
            // The decisions lived here before "Demandes d'abonnements" had its page: a form still
            // open in a tab goes there, method and body kept.
            if ServiceDecision(rawValue: action) != nil {
                var headers = HTTPFields()
                headers[.location] = "/admin/requests/\(id)/\(action)"
                return Response(status: .permanentRedirect, headers: headers)
            }
            guard action == "withdraw" else { throw HTTPError(.notFound) }
            let held = try await ServiceAnswers.run { try await services.requests(tenantID: caller.tenantID, by: caller.user) }
            guard let subscription = held.first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
            guard fields.isConfirmed else {
                return try admin.confirm(request, admin: caller, section: .services, AdminConfirmation(
                    question: admin.text("admin_withdraw_question", request, subscription.service.name, subscription.requester.email),
                    action: "/admin/services/\(id)/withdraw", button: admin.text("admin_withdraw", request), back: "/admin/services"))
            }
            do {
                let withdrawn = try await ServiceAnswers.run { try await services.withdraw(subscriptionID: id, by: caller.user, tenantID: caller.tenantID) }
                return try await servicesPage(request, caller: caller, notice: admin.text("admin_withdraw_done", request, withdrawn.service.name,
                                                                                           withdrawn.requester.email))
            } catch is SubscriptionStateChanged {
                return try await servicesPage(request, caller: caller, refused: admin.text("services_state_changed", request), status: .conflict)
            }
        }
    }

    private func grant(_ request: Request, caller: TenantCaller, service: String?, form: String,
                       _ body: (Int64) async throws -> ServiceCatalog.GrantReport) async throws -> Response {
        guard let text = service, !text.isEmpty else {
            return try await servicesPage(request, caller: caller, errors: FormErrors(form == "users" ? "service" : "groupService", "error_required"),
                                          status: .unprocessableContent)
        }
        guard let serviceID = Int64(text) else { throw HTTPError(.notFound) }
        do {
            let report = try await ServiceAnswers.run { try await body(serviceID) }
            var notice = admin.text("admin_grant_done", request, report.granted.count, report.service.name)
            if !report.alreadyHeld.isEmpty { notice += " " + admin.text("admin_grant_already", request, report.alreadyHeld.count) }
            return try await servicesPage(request, caller: caller, notice: notice)
        } catch let errors as FormErrors {
            return try await servicesPage(request, caller: caller, errors: errors, status: .unprocessableContent)
        }
    }

    struct Choice {
        let id: String
        let label: String
    }

    struct Holder {
        let id: String
        let name: String
        let email: String
        let state: String
        let stateText: String
        let question: String
    }

    struct Held {
        let id: String
        let name: String
        let family: String
        let count: String
        let holders: [Holder]
    }

    struct ServicesContent {
        let catalog: [Choice]
        let users: [Choice]
        let groups: [Choice]
        let hasGroups: Bool
        let held: [Held]
        let hasHeld: Bool
        let errors: [String: String]
    }

    private func servicesPage(_ request: Request, caller: TenantCaller, notice: String? = nil, refused: String? = nil,
                              errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let holdings = try await ServiceAnswers.run { try await services.holdings(tenantID: caller.tenantID, by: caller.user) }
        let held = holdings.map { holding in
            Held(id: String(holding.service.id), name: holding.service.name, family: holding.service.family, count: String(holding.holders.count),
                 holders: holding.holders.map { item in
                     Holder(id: String(item.id), name: item.requester.displayName, email: item.requester.email,
                            state: item.subscription.state.rawValue,
                            stateText: admin.text("services_state_\(item.subscription.state.rawValue)", request),
                            question: admin.text("admin_withdraw_question", request, holding.service.name, item.requester.email))
                 })
        }
        let members = try await accounts.members(tenantID: caller.tenantID)
        let groups = try await accounts.groups(tenantID: caller.tenantID)
        var translated: [String: String] = [:]
        for (field, keys) in errors.messages { translated[field] = keys.map { admin.text($0, request) }.joined(separator: ", ") }
        let content = ServicesContent(
            catalog: try await services.activeServices().map { Choice(id: String($0.id), label: "\($0.name) (\($0.family))") },
            users: members.map { Choice(id: String($0.user.id), label: "\($0.user.displayName) (\($0.user.email))") },
            groups: groups.map { Choice(id: String($0.id), label: admin.text("admin_group_choice", request, $0.name, $0.memberIDs.count)) },
            hasGroups: !groups.isEmpty, held: held, hasHeld: !held.isEmpty, errors: translated)
        return try admin.render(request, admin: caller, section: .services, titleKey: "admin_services_page_title", template: "admin_services",
                                content: content, notice: notice, refused: refused, status: status)
    }
}
