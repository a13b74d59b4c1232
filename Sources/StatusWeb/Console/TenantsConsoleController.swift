import Foundation
import HTTPTypes
import Hummingbird
import Notify
import Portal
import StatusModel

/// Staff administration: operators create customer accounts and their first administrator.
struct TenantsConsoleController: Sendable {
    let accounts: AccountService
    let pages: Pages

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.operator)
        router.get("/staff/tenants") { request, context in
            let staff = try context.requireUser()
            return try await staffPage(request, csrf: staff.csrfToken)
        }
        router.post("/staff/tenants") { request, context in
            let staff = try context.requireUser()
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            let values = ["code": fields.code.orEmpty, "name": fields.name.orEmpty, "address": fields.address.orEmpty, "admin": fields.admin.orEmpty]
            do {
                let tenant = Tenant(code: values["code", default: ""].trimmingCharacters(in: .whitespaces),
                                    name: values["name", default: ""].trimmingCharacters(in: .whitespaces), address: values["address", default: ""])
                let (_, firstAdmin) = try await accounts.createTenant(tenant, firstAdmin: values["admin", default: ""],
                                                                     language: fields.language == "en" ? "en" : "fr", invitedBy: Inviter(staff.user))
                // Say what was done with the address: a new invitation, or an account given the role.
                let notice = switch firstAdmin {
                case .invited: "tenant_created"
                case .existingAccountMadeAdmin: "tenant_created_admin_made_admin"
                case .pendingAccountInvitedAgain: "tenant_created_admin_invited_again"
                }
                return try await staffPage(request, csrf: staff.csrfToken, notice: pages.catalog.text(notice, pages.language(of: request)))
            } catch let errors as FormErrors {
                return try await staffPage(request, csrf: staff.csrfToken, values: values, errors: errors, status: .unprocessableContent)
            }
        }
    }

    private func staffPage(_ request: Request, csrf: String, values: [String: String] = [:],
                           errors: FormErrors = FormErrors(), notice: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        let tenants = try await accounts.tenants()
        return try pages.portal(request, template: "staff_tenants", titleKey: "staff_tenants_title", csrf: csrf, values: values, errors: errors,
                              extra: ["notice": notice],
                              items: tenants.map { ["code": $0.code, "name": $0.name, "address": $0.address] }, status: status)
    }
}
