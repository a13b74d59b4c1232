import Hummingbird
import HummingbirdAuth

/// Who may enter a route group. Each group of every controller names one; `buildRouter`
/// records it per route, and the route-table test checks every route against it.
public enum Access: String, Sendable, CaseIterable {
    /// Anyone, signed in or not.
    case anyone
    /// A signed-in user whose password may have expired: the change form itself, and logout.
    case passwordChange
    /// A signed-in user with a password under 90 days old.
    case signedIn
    /// An administrator of the session's current customer account.
    case tenantAdmin
    /// An operator of the vendor (products, incidents, maintenance, tenants, services).
    case `operator`
    /// An agent of the vendor (tickets, knowledge base).
    case agent
    /// Any of the vendor's staff, agent or operator (writing the knowledge base).
    case staff
    /// A customer account's API key.
    case tenantKey
    /// An operator's staff API key.
    case staffKey
    /// Either kind of API key: what each sees is the store's rule (a ticket list, a ticket).
    case apiKey

    /// The role the guard asks for; nil lets everybody in.
    var role: Identity.Role? {
        switch self {
        case .anyone: nil
        case .passwordChange, .signedIn: .user
        case .tenantAdmin: .tenantAdmin
        case .operator: .operator
        case .agent: .agent
        case .staff: .staff
        case .tenantKey: .tenantKey
        case .staffKey: .staffKey
        case .apiKey: .apiKey
        }
    }

    /// The middleware that keeps everybody else out: no identity is a 401 (the login page, or a
    /// JSON 401 under `/api/`), the wrong one a 403; an expired password goes to the change form.
    func guards() -> [any MiddlewareProtocol<Request, Response, StatusRequestContext>] {
        guard let role else { return [] }
        var guards: [any MiddlewareProtocol<Request, Response, StatusRequestContext>] = []
        if self != .passwordChange, self != .tenantKey, self != .staffKey, self != .apiKey { guards.append(PasswordFreshnessMiddleware()) }
        let denied: APIError? = switch self {
        case .staffKey: .forbidden
        case .tenantKey: .tenantKeyRequired
        case .apiKey: .keyRequired
        default: nil
        }
        if let denied {
            guards.append(AuthorizationPolicyMiddleware(RolePolicy<Identity>(role), deniedError: denied, context: StatusRequestContext.self))
        } else {
            guards.append(AuthorizationPolicyMiddleware(RolePolicy<Identity>(role), context: StatusRequestContext.self))
        }
        return guards
    }
}

/// A signed-in user whose password is 90 days old goes to the change form from every page
/// behind a guard, until it is changed.
struct PasswordFreshnessMiddleware: RouterMiddleware {
    typealias Context = StatusRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let user = context.identity?.user, user.passwordExpired { return Forms.redirect(to: "/password/change") }
        return try await next(request, context)
    }
}
