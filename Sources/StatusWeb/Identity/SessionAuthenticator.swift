import Foundation
import Hummingbird
import HummingbirdAuth
import Portal

/// Reads the session cookie once per request and puts the signed-in user in the context.
/// Requests without the cookie (the public pages' usual case) cost no database read.
struct SessionAuthenticator: AuthenticatorMiddleware {
    typealias Context = StatusRequestContext
    static let cookieName = "sid"
    let accounts: AccountService
    /// The bell's count (one COUNT per signed-in request); nil when the site keeps no notifications.
    var notifier: Notifier? = nil

    func authenticate(request: Request, context: Context) async throws -> Identity? {
        guard let id = request.cookies[Self.cookieName]?.value, !id.isEmpty,
              let found = try await accounts.signedIn(sessionID: id) else { return nil }
        let memberships = found.memberships
        let current = memberships.first { $0.tenant.id == found.session.tenantID }
        return .user(SignedInUser(sessionID: id, session: found.session, user: found.user, tenant: current?.tenant,
                                  role: current?.role, memberships: memberships,
                                  passwordExpired: accounts.passwordExpired(found.user),
                                  unreadNotifications: try await notifier?.unreadCount(userID: found.user.id) ?? 0))
    }
}

/// Reads `Authorization: Bearer …` on `/api/v1`: a staff key or a tenant's key. It is the
/// API group's only authenticator (the session one serves the pages' group), so a browser's
/// session cookie never authorizes an API call, which takes no CSRF token. An unknown key is
/// no identity: guarded routes answer 401.
struct BearerKeyAuthenticator: AuthenticatorMiddleware {
    typealias Context = StatusRequestContext
    let accounts: AccountService?

    func authenticate(request: Request, context: Context) async throws -> Identity? {
        guard let accounts, let bearer = request.headers.bearer?.token.trimmingCharacters(in: .whitespaces), !bearer.isEmpty else { return nil }
        do {
            if let key = try await accounts.authenticateStaff(bearer: bearer) { return .staffKey(key) }
        } catch StaffKeyError.unavailable {
            return nil
        }
        return try await accounts.authenticate(bearer: bearer).map(Identity.tenantKey)
    }
}
