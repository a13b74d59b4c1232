import Foundation
import HTTPTypes
import Hummingbird
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

    /// The session of an operator; anyone else gets 403 (or the login page).
    private func operatorSession(_ request: Request, accounts: AccountService) async throws -> Session {
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
