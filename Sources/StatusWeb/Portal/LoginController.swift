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
            let next = Self.returnPath(request.uri.queryParameters.get("next").map { String($0) })
            return try pages.anonymousForm(request, template: "login_email", titleKey: "login_title", values: ["next": next ?? ""],
                                           providers: providers)
        }
        open.post("/login") { request, context in
            let form = try await Forms.read(PortalForm.self, from: request, context: context)
            let email = form.email.trimmed
            let next = Self.returnPath(form.next) ?? ""
            guard EmailAddress.isValid(email) else {
                return try pages.portal(request, template: "login_email", titleKey: "login_title", csrf: form.csrf.orEmpty,
                                        values: ["email": email, "next": next], errors: FormErrors("email", "error_email_invalid"),
                                        providers: providers, status: .unprocessableContent)
            }
            // The same second step whether or not the account exists.
            return try pages.portal(request, template: "login_password", titleKey: "login_title", csrf: form.csrf.orEmpty,
                                    values: ["email": email, "next": next])
        }
        open.post("/login/password") { request, context in
            let form = try await Forms.read(PortalForm.self, from: request, context: context)
            let email = form.email.orEmpty
            let next = Self.returnPath(form.next)
            switch try await accounts.login(email: email, password: form.password.orEmpty, clientAddress: context.clientAddress) {
            case .success(let sessionID, _, let mustChange):
                // A customer lands on their home page; staff, who have none, go on from there to their account.
                var response = Forms.redirect(to: mustChange ? "/password/change" : next ?? "/home")
                response.setCookie(Forms.cookie(SessionAuthenticator.cookieName, sessionID, secure: pages.secureCookies))
                return response
            case .failed:
                return try pages.portal(request, template: "login_password", titleKey: "login_title", csrf: form.csrf.orEmpty,
                                        values: ["email": email, "next": next ?? ""], errors: FormErrors("password", "login_failed"),
                                        status: .unauthorized)
            case .throttled:
                return try pages.portal(request, template: "login_password", titleKey: "login_title", csrf: form.csrf.orEmpty,
                                        values: ["email": email, "next": next ?? ""], errors: FormErrors("password", "login_throttled"),
                                        status: .tooManyRequests)
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

    /// `next` when it is a page of this site to come back to after sign-in ("/products/loop"),
    /// nil otherwise: another host ("//evil.test", "https://…"), odd characters, or the login
    /// and logout pages themselves.
    static func returnPath(_ next: String?) -> String? {
        guard let next, !next.isEmpty, OpenIDSignIn.localPath(next) == next,
              next != "/login", !next.hasPrefix("/login/"), !next.hasPrefix("/logout") else { return nil }
        return next
    }
}
