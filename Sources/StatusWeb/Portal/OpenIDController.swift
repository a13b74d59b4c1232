import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// "Continuer avec Google / Microsoft": sign-in (and activation of an invited account) through
/// an OpenID Connect provider, and the providers linked to an account. The rules (PKCE, state,
/// nonce, the ID token, which account an email opens) are Portal's; this only carries them.
struct OpenIDController: Sendable {
    /// The cookie that ties a provider's answer to the browser that started the sign-in.
    static let browserCookie = "oidc"
    static let browserCookiePath = "/login/oidc"

    let signIn: OpenIDSignIn
    let pages: Pages

    func addRoutes(to routes: SiteRoutes) {
        let open = routes.pages(.anyone)
        // A form's POST, not a link: starting a sign-in writes a pending login.
        open.post("/login/oidc/:provider") { request, context in
            let form = try await Forms.read(PortalForm.self, from: request, context: context)
            let providerID = try context.parameters.require("provider")
            guard signIn.provider(id: providerID) != nil else { throw HTTPError(.notFound) }
            do {
                let start = try await signIn.begin(providerID: providerID, returnTo: form.returnTo)
                var response = Forms.redirect(to: start.authorizationURL)
                response.setCookie(Cookie(name: Self.browserCookie, value: start.browserKey, maxAge: Int(OpenIDSignIn.pendingLifetime),
                                          path: Self.browserCookiePath, secure: pages.secureCookies, httpOnly: true, sameSite: .lax))
                return response
            } catch let error as OpenIDError {
                return try refused(request, "oidc_provider_unavailable", status: error.kind == .unknownProvider ? .notFound : .badGateway)
            }
        }
        // The provider sends the browser back here (a GET, by the protocol); the state, its
        // single use and the browser's cookie are what make it safe.
        open.get("/login/oidc/:provider/callback") { request, context in
            let providerID = try context.parameters.require("provider")
            let query = request.uri.queryParameters
            let state = query.get("state").map { String($0) } ?? ""
            guard let code = query.get("code").map({ String($0) }), !code.isEmpty else {
                if !state.isEmpty { try await signIn.cancel(state: state) }
                return try refused(request, "oidc_cancelled", status: .unauthorized)
            }
            let outcome = try await signIn.finish(providerID: providerID, code: code, state: state,
                                                  browserKey: request.cookies[Self.browserCookie]?.value)
            switch outcome {
            case .signedIn(let sessionID, _, let returnTo, _, _):
                var response = Forms.redirect(to: returnTo == "/" ? "/account" : returnTo)
                response.setCookie(Forms.cookie(SessionAuthenticator.cookieName, sessionID, secure: pages.secureCookies))
                response.setCookie(Cookie(name: Self.browserCookie, value: "", maxAge: 0, path: Self.browserCookiePath,
                                          secure: pages.secureCookies, httpOnly: true, sameSite: .lax))
                return response
            case .unknownAccount(let email):
                let text = pages.catalog.text("oidc_unknown_account", pages.language(of: request), email)
                return try refused(request, text, status: .forbidden)
            case .accountDisabled: return try refused(request, "oidc_account_disabled", status: .forbidden)
            case .invitationExpired: return try refused(request, "oidc_invitation_expired", status: .forbidden)
            case .emailNotVerified: return try refused(request, "oidc_email_not_verified", status: .forbidden)
            case .loginExpired: return try refused(request, "oidc_login_expired", status: .badRequest)
            case .failed: return try refused(request, "oidc_provider_failed", status: .badGateway)
            }
        }
        routes.pages(.signedIn).post("/account/providers/:provider/unlink") { request, context in
            let user = try context.requireUser()
            _ = try await Forms.read(PortalForm.self, from: request, context: context)
            switch try await signIn.unlink(userID: user.user.id, providerID: try context.parameters.require("provider")) {
            case .unlinked: return Forms.redirect(to: "/account?notice=provider_unlinked")
            case .notLinked: throw HTTPError(.notFound)
            case .lastWayToSignIn: return Forms.redirect(to: "/account?notice=provider_last")
            }
        }
    }

    /// The sign-in page again, saying why (a catalog key, or a sentence already).
    private func refused(_ request: Request, _ message: String, status: HTTPResponse.Status) throws -> Response {
        let csrf = Forms.anonymousCSRF(request, secure: pages.secureCookies)
        return try pages.portal(request, template: "login_email", titleKey: "login_title", csrf: csrf.token,
                                errors: FormErrors("provider", message), providers: signIn.providers, status: status,
                                cookies: csrf.cookie.map { [$0] } ?? [])
    }
}
