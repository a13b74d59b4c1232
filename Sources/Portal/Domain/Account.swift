import Foundation

/// A customer account ("compte client"): code, name, address.
public struct Tenant: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    /// The customer's number, such as 90266482; unique.
    public var code: String
    public var name: String
    public var address: String

    public init(id: Int64 = 0, code: String, name: String, address: String = "") {
        self.id = id
        self.code = code
        self.name = name
        self.address = address
    }
}

/// A person: one email is one account.
public struct User: Sendable, Hashable, Codable, Identifiable {
    /// Where the account stands: "À activer", "Activé", or disabled.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case pending, active, disabled
    }

    /// The vendor's staff roles; customers have none.
    public enum StaffRole: String, Sendable, Hashable, Codable, CaseIterable {
        case operator_ = "operator"
        case agent
    }

    public var id: Int64
    /// Stored lower-cased: addresses differ only by case are the same account.
    public var email: String
    public var firstName: String
    public var lastName: String
    public var phone: String
    public var language: String
    public var state: State
    public var staffRole: StaffRole?
    public var createdAt: Date
    /// Nil while no password was ever set: an invited account, or one that signs in only
    /// through a provider (OpenID Connect), which the 90-day rule then leaves alone.
    public var passwordChangedAt: Date?
    /// Whether the account has a password; false for accounts that sign in only through a provider.
    public var hasPassword: Bool

    public init(id: Int64 = 0, email: String, firstName: String = "", lastName: String = "", phone: String = "",
                language: String = "fr", state: State = .pending, staffRole: StaffRole? = nil, createdAt: Date,
                passwordChangedAt: Date? = nil, hasPassword: Bool? = nil) {
        self.id = id
        self.email = User.normalize(email)
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.language = language
        self.state = state
        self.staffRole = staffRole
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt
        self.hasPassword = hasPassword ?? (passwordChangedAt != nil)
    }

    public static func normalize(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    public var displayName: String {
        let name = "\(firstName) \(lastName)".trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? email : name
    }
}

/// A user's role in one tenant.
public struct Membership: Sendable, Hashable, Codable {
    /// Admins manage the tenant's users; members use the portal.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case admin, member
    }

    public var userID: Int64
    public var tenantID: Int64
    public var role: Role

    public init(userID: Int64, tenantID: Int64, role: Role) {
        self.userID = userID
        self.tenantID = tenantID
        self.role = role
    }
}

/// A logged-in browser: the store keeps only a hash of its id, so several web nodes share it.
public struct Session: Sendable, Hashable {
    public var userID: Int64
    /// The tenant the user works in now ("Changer de compte client" changes it).
    public var tenantID: Int64?
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(userID: Int64, tenantID: Int64?, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.userID = userID
        self.tenantID = tenantID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// What a single-use link is for.
public enum TokenPurpose: String, Sendable, Hashable, Codable {
    case activation, reset
}

/// A tenant's key for the API: named, shown once, stored hashed, revocable.
public struct APIKey: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var tenantID: Int64
    public var name: String
    /// The first characters of the key, so people can tell their keys apart.
    public var prefix: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: Int64, tenantID: Int64, name: String, prefix: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A named group of a tenant's users ("Comptabilité", "Support niveau 2").
public struct UserGroup: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var tenantID: Int64
    public var name: String
    public var memberIDs: [Int64]

    public init(id: Int64, tenantID: Int64, name: String, memberIDs: [Int64] = []) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.memberIDs = memberIDs
    }
}

/// Who invites someone into a tenant, as invitation mails name them: a user of the portal (a
/// tenant's administrator, an operator), or a description ("l'équipe support", from the
/// command line).
public struct Inviter: Sendable, Hashable {
    public var name: String
    public var email: String?

    public init(name: String, email: String? = nil) {
        self.name = name
        self.email = email
    }

    public init(_ user: User) {
        self.init(name: user.displayName, email: user.email)
    }

    /// "Ada Lovelace (ada@vendor.fr)", or the name alone when there is no address or it is the name.
    var label: String {
        guard let email, !email.isEmpty, email != name else { return name }
        return name.isEmpty ? email : "\(name) (\(email))"
    }
}
