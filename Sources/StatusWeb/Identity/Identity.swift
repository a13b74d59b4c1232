import HummingbirdAuth
import Portal

/// Who is asking, read once per request by an authenticator middleware: a signed-in user
/// (from the session cookie, on pages) or an API key (from the bearer token, on `/api/v1`).
public enum Identity: Sendable {
    case user(SignedInUser)
    case tenantKey(APIKey)
    case staffKey(StaffKey)

    /// What an identity may be asked for by a route group's guard.
    public enum Role: String, Hashable, Sendable, CaseIterable {
        /// Any signed-in person.
        case user
        /// An administrator of the session's current customer account.
        case tenantAdmin
        /// Vendor staff who run the products, incidents and maintenance.
        case `operator`
        /// Vendor staff who answer tickets and write articles.
        case agent
        /// Any of the vendor's staff: agents and operators.
        case staff
        case tenantKey
        case staffKey
        /// Either kind of key.
        case apiKey
    }

    public var user: SignedInUser? {
        if case .user(let user) = self { return user }
        return nil
    }
}

extension Identity: RoleProviding {
    public var roles: Set<Role> {
        switch self {
        case .tenantKey: return [.tenantKey, .apiKey]
        case .staffKey: return [.staffKey, .apiKey]
        case .user(let signedIn):
            var roles: Set<Role> = [.user]
            if signedIn.role == .admin { roles.insert(.tenantAdmin) }
            switch signedIn.user.staffRole {
            case .operator_: roles.formUnion([.operator, .staff])
            case .agent: roles.formUnion([.agent, .staff])
            case nil: break
            }
            return roles
        }
    }
}

/// A signed-in user with their session and the customer account they work in now.
public struct SignedInUser: Sendable {
    /// The cookie's secret (the store keeps only its hash): logout and password changes name it.
    public let sessionID: String
    public let session: Session
    public let user: User
    /// The session's current tenant, when the user belongs to one.
    public let tenant: Tenant?
    /// The user's role in `tenant`.
    public let role: Membership.Role?
    /// Every tenant the user belongs to, for "Changer de compte client".
    public let memberships: [(tenant: Tenant, role: Membership.Role)]
    /// The password is 90 days old or more: every signed-in page sends to the change form.
    public let passwordExpired: Bool
    /// Notifications not yet read, for the bell in the menu (0 when the site keeps none).
    public var unreadNotifications: Int = 0

    public var csrfToken: String { session.csrfToken }
}
