import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// Sign-in in two steps (the address, then the password) and sign-out.
struct LoginController: Sendable {
    let accounts: AccountService
    let pages: Pages
    /// "Continuer avec …" under the form; none when no provider is configured.
    let providers: [OpenIDProvider]

    func addRoutes(to routes: SiteRoutes) {
        let open = routes.pages(.anyone)
        open.get("/login") { request, _ in
            try pages.anonymousForm(request, template: "login_email", titleKey: "login_title", providers: providers)
        }
        open.post("/login") { request, context in
            let form = try await Forms.read(PortalForm.self, from: request, context: context)
            let email = form.email.trimmed
            guard EmailAddress.isValid(email) else {
                return try pages.portal(request, template: "login_email", titleKey: "login_title", csrf: form.csrf.orEmpty,
                                        values: ["email": email], errors: FormErrors("email", "error_email_invalid"), providers: providers,
                                        status: .unprocessableContent)
            }
            // The same second step whether or not the account exists.
            return try pages.portal(request, template: "login_password", titleKey: "login_title", csrf: form.csrf.orEmpty, values: ["email": email])
        }
        open.post("/login/password") { request, context in
            let form = try await Forms.read(PortalForm.self, from: request, context: context)
            let email = form.email.orEmpty
            switch try await accounts.login(email: email, password: form.password.orEmpty, clientAddress: context.clientAddress) {
            case .success(let sessionID, _, let mustChange):
                var response = Forms.redirect(to: mustChange ? "/password/change" : "/account")
                response.setCookie(Forms.cookie(SessionAuthenticator.cookieName, sessionID, secure: pages.secureCookies))
                return response
            case .failed:
                return try pages.portal(request, template: "login_password", titleKey: "login_title", csrf: form.csrf.orEmpty,
                                        values: ["email": email], errors: FormErrors("password", "login_failed"), status: .unauthorized)
            case .throttled:
                return try pages.portal(request, template: "login_password", titleKey: "login_title", csrf: form.csrf.orEmpty,
                                        values: ["email": email], errors: FormErrors("password", "login_throttled"), status: .tooManyRequests)
            }
        }
        routes.pages(.passwordChange).post("/logout") { request, context in
            let signedIn = try context.requireUser()
            _ = try await Forms.read(PortalForm.self, from: request, context: context)
            try await accounts.logout(sessionID: signedIn.sessionID)
            var response = Forms.redirect(to: "/login")
            response.setCookie(Forms.cookie(SessionAuthenticator.cookieName, "", secure: pages.secureCookies, maxAge: 0))
            return response
        }
    }
}
