import Foundation
import HTTPTypes
import Hummingbird
import Notify
import Portal
import StatusModel

extension StatusSite {
    /// Staff administration: operators create customer accounts and their first administrator.
    func addStaffRoutes(to router: Router<StatusRequestContext>, accounts: AccountService) {
        router.get("/staff/tenants") { request, _ in
            let staff = try await operatorSession(request, accounts: accounts)
            return try await staffPage(request, csrf: staff.csrfToken, accounts: accounts)
        }
        router.post("/staff/tenants") { request, context in
            let staff = try await operatorSession(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(staff, fields)
            let values = ["code": fields["code"] ?? "", "name": fields["name"] ?? "", "address": fields["address"] ?? "", "admin": fields["admin"] ?? ""]
            do {
                let tenant = Tenant(code: values["code", default: ""].trimmingCharacters(in: .whitespaces),
                                    name: values["name", default: ""].trimmingCharacters(in: .whitespaces), address: values["address", default: ""])
                let (_, link) = try await accounts.createTenant(tenant, firstAdmin: values["admin", default: ""], language: fields["language"] == "en" ? "en" : "fr")
                let language = language(of: request)
                return try await staffPage(request, csrf: staff.csrfToken, accounts: accounts,
                                           notice: catalog.text(link == nil ? "tenant_created_admin_exists" : "tenant_created", language))
            } catch let errors as FormErrors {
                return try await staffPage(request, csrf: staff.csrfToken, accounts: accounts, values: values, errors: errors, status: .unprocessableContent)
            }
        }
    }

    /// Operators see the mail outbox: counts by state and the dead letters, which they can send again.
    func addOutboxRoutes(to router: Router<StatusRequestContext>, accounts: AccountService, outbox: any OutboxStore) {
        router.get("/staff/outbox") { request, _ in
            let staff = try await operatorSession(request, accounts: accounts)
            return try await outboxPage(request, csrf: staff.csrfToken, outbox: outbox)
        }
        router.post("/staff/outbox/:id/requeue") { request, context in
            let staff = try await operatorSession(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(staff, fields)
            guard let id = Int64(try context.parameters.require("id")), try await outbox.requeue(id: id, now: clock()) else {
                throw HTTPError(.notFound)
            }
            return try await outboxPage(request, csrf: staff.csrfToken, outbox: outbox, notice: catalog.text("outbox_requeued", language(of: request)))
        }
    }

    private func outboxPage(_ request: Request, csrf: String, outbox: any OutboxStore, notice: String = "") async throws -> Response {
        let counts = try await outbox.countsByState()
        let dead = try await outbox.deadLetters(limit: 100)
        var values: [String: String] = [:]
        for (state, count) in counts { values[state.rawValue] = String(count) }
        return try portalPage(request, template: "staff_outbox", titleKey: "outbox_title", csrf: csrf, values: values,
                              extra: ["notice": notice],
                              items: dead.map { ["id": String($0.id), "to": $0.recipient, "subject": $0.mail.subject,
                                                 "error": $0.lastError ?? "", "attempts": String($0.attempts)] })
    }

    /// The session of an operator; anyone else gets 403 (or the login page).
    func operatorSession(_ request: Request, accounts: AccountService) async throws -> Session {
        guard let current = try await currentSession(request, accounts: accounts) else { throw HTTPError(.unauthorized) }
        guard current.user.staffRole == .operator_ else { throw HTTPError(.forbidden) }
        return current.session
    }

    private func staffPage(_ request: Request, csrf: String, accounts: AccountService, values: [String: String] = [:],
                           errors: FormErrors = FormErrors(), notice: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        let tenants = try await accounts.tenants()
        return try portalPage(request, template: "staff_tenants", titleKey: "staff_tenants_title", csrf: csrf, values: values, errors: errors,
                              extra: ["notice": notice],
                              items: tenants.map { ["code": $0.code, "name": $0.name, "address": $0.address] }, status: status)
    }
}
