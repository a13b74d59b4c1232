import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

extension StatusSite {
    /// Login in two steps, logout, the account page and the password pages.
    func addAccountRoutes(to router: Router<StatusRequestContext>, accounts: AccountService) {
        router.get("/login") { request, _ in
            let csrf = anonymousCSRF(request)
            return try portalPage(request, template: "login_email", titleKey: "login_title", csrf: csrf.token, cookies: csrf.cookie.map { [$0] } ?? [])
        }
        router.post("/login") { request, context in
            let fields = try await FormSupport.fields(request, context: context)
            try checkAnonymousCSRF(request, fields)
            let email = (fields["email"] ?? "").trimmingCharacters(in: .whitespaces)
            guard EmailAddress.isValid(email) else {
                return try portalPage(request, template: "login_email", titleKey: "login_title", csrf: fields["csrf"] ?? "",
                                      values: ["email": email], errors: FormErrors("email", "error_email_invalid"), status: .unprocessableContent)
            }
            // The same second step whether or not the account exists.
            return try portalPage(request, template: "login_password", titleKey: "login_title", csrf: fields["csrf"] ?? "", values: ["email": email])
        }
        router.post("/login/password") { request, context in
            let fields = try await FormSupport.fields(request, context: context)
            try checkAnonymousCSRF(request, fields)
            let email = fields["email"] ?? ""
            switch try await accounts.login(email: email, password: fields["password"] ?? "", clientAddress: context.clientAddress) {
            case .success(let sessionID, _, let mustChange):
                var response = FormSupport.redirect(to: mustChange ? "/password/change" : "/account")
                response.setCookie(FormSupport.cookie(FormSupport.sessionCookie, sessionID, secure: secureCookies))
                return response
            case .failed:
                return try portalPage(request, template: "login_password", titleKey: "login_title", csrf: fields["csrf"] ?? "",
                                      values: ["email": email], errors: FormErrors("password", "login_failed"), status: .unauthorized)
            case .throttled:
                return try portalPage(request, template: "login_password", titleKey: "login_title", csrf: fields["csrf"] ?? "",
                                      values: ["email": email], errors: FormErrors("password", "login_throttled"), status: .tooManyRequests)
            }
        }
        router.post("/logout") { request, context in
            let fields = try await FormSupport.fields(request, context: context)
            if let current = try await currentSession(request, accounts: accounts) {
                try checkSessionCSRF(current.session, fields)
                try await accounts.logout(sessionID: current.id)
            }
            var response = FormSupport.redirect(to: "/login")
            response.setCookie(FormSupport.cookie(FormSupport.sessionCookie, "", secure: secureCookies, maxAge: 0))
            return response
        }
        router.get("/account") { request, _ in
            guard let current = try await currentSession(request, accounts: accounts) else { return FormSupport.redirect(to: "/login") }
            if accounts.passwordExpired(current.user) { return FormSupport.redirect(to: "/password/change") }
            let tenants = try await accounts.memberships(userID: current.user.id)
            let admin = tenants.first { $0.tenant.id == current.session.tenantID }?.role == .admin
            return try portalPage(request, template: "account", titleKey: "account_title", csrf: current.session.csrfToken,
                                  values: ["email": current.user.email, "name": current.user.displayName,
                                           "tenant": tenants.first { $0.tenant.id == current.session.tenantID }.map { "\($0.tenant.name) (\($0.tenant.code))" } ?? ""],
                                  extra: ["admin": admin ? "yes" : "", "operator": current.user.staffRole == .operator_ ? "yes" : ""],
                                  items: tenants.count > 1 ? tenants.map { ["id": String($0.tenant.id), "name": "\($0.tenant.name) (\($0.tenant.code))"] } : [])
        }
        router.post("/account/tenant") { request, context in
            guard let current = try await currentSession(request, accounts: accounts) else { return FormSupport.redirect(to: "/login") }
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(current.session, fields)
            guard let tenantID = Int64(fields["tenant"] ?? "") else { throw HTTPError(.notFound) }
            do {
                try await accounts.switchTenant(sessionID: current.id, userID: current.user.id, tenantID: tenantID)
            } catch is NotInTenant {
                throw HTTPError(.notFound)
            }
            return FormSupport.redirect(to: "/account")
        }
        addPasswordRoutes(to: router, accounts: accounts)
        addTenantAdminRoutes(to: router, accounts: accounts)
        addStaffRoutes(to: router, accounts: accounts)
        addStaffKeyRoutes(to: router, accounts: accounts)
        if let outbox { addOutboxRoutes(to: router, accounts: accounts, outbox: outbox) }
    }
}
