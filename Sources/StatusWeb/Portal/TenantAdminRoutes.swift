import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

extension StatusSite {
    /// The administration of the current tenant, for its administrators only: its users and
    /// the invitation form. Everything is read through the session's tenant, never the URL's.
    func addTenantAdminRoutes(to router: Router<StatusRequestContext>, accounts: AccountService) {
        router.get("/admin/users") { request, _ in
            let admin = try await tenantAdmin(request, accounts: accounts)
            return try await adminPage(request, admin: admin, accounts: accounts)
        }
        router.post("/admin/users/invite") { request, context in
            let admin = try await tenantAdmin(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(admin.session, fields)
            let text = fields["emails"] ?? ""
            do {
                let report = try await accounts.invite(text, tenantID: admin.tenantID, language: fields["language"] == "en" ? "en" : "fr")
                let language = language(of: request)
                let refused = report.refused.map { "\($0.email) : \(catalog.text($0.reason, language))" }.joined(separator: " · ")
                return try await adminPage(request, admin: admin, accounts: accounts,
                                           notice: catalog.text("invite_done", language, report.invited.count), refused: refused)
            } catch let errors as FormErrors {
                return try await adminPage(request, admin: admin, accounts: accounts, errors: errors, typed: text, status: .unprocessableContent)
            }
        }
    }

    /// The session of an administrator of its current tenant: anonymous users go to the login
    /// page, members get 403.
    private func tenantAdmin(_ request: Request, accounts: AccountService) async throws -> (session: Session, user: User, tenantID: Int64, tenant: Tenant) {
        guard let current = try await currentSession(request, accounts: accounts) else {
            throw HTTPError(.unauthorized, message: "Log in first.")
        }
        guard let tenantID = current.session.tenantID,
              let membership = try await accounts.memberships(userID: current.user.id).first(where: { $0.tenant.id == tenantID }),
              membership.role == .admin else { throw HTTPError(.forbidden, message: "Reserved to the administrators of this customer account.") }
        return (current.session, current.user, tenantID, membership.tenant)
    }

    private func adminPage(_ request: Request, admin: (session: Session, user: User, tenantID: Int64, tenant: Tenant), accounts: AccountService,
                           notice: String = "", refused: String = "", errors: FormErrors = FormErrors(), typed: String = "",
                           status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = language(of: request)
        let members = try await accounts.members(tenantID: admin.tenantID)
        let rows = members.map { member in
            ["email": member.user.email, "name": member.user.displayName, "state": member.user.state.rawValue,
             "stateText": catalog.text("user_state_\(member.user.state.rawValue)", language),
             "role": catalog.text("role_\(member.role.rawValue)", language)]
        }
        return try portalPage(request, template: "admin_users", titleKey: "admin_users_title", csrf: admin.session.csrfToken,
                              values: ["emails": typed, "tenant": "\(admin.tenant.name) (\(admin.tenant.code))",
                                       "count": String(members.count),
                                       "admins": String(members.filter { $0.role == .admin }.count),
                                       "pending": String(members.filter { $0.user.state == .pending }.count)],
                              errors: errors, extra: ["notice": notice, "refused": refused], items: rows,
                              status: status)
    }
}
