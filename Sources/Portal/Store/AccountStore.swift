import Foundation
import Notify

/// What the account rules need from storage. Every write that causes a mail takes the mail
/// with it, so the store writes both in one transaction.
public protocol AccountStore: Sendable {
    func createTenant(_ tenant: Tenant) async throws -> Tenant
    func tenant(code: String) async throws -> Tenant?
    func tenant(id: Int64) async throws -> Tenant?
    /// Every tenant, by name (staff only).
    func tenants() async throws -> [Tenant]
    /// The tenants a user belongs to, with their role in each, by name.
    func memberships(userID: Int64) async throws -> [(tenant: Tenant, role: Membership.Role)]
    /// A tenant's users with their role, by email.
    func members(tenantID: Int64) async throws -> [(user: User, role: Membership.Role)]

    /// Changes a member's role or removes them; the store refuses (returns false) when it would
    /// leave the tenant without an administrator, checking in the same transaction.
    func setRole(userID: Int64, tenantID: Int64, role: Membership.Role) async throws -> Bool
    func removeMember(userID: Int64, tenantID: Int64) async throws -> Bool
    /// Points a session at another tenant of its user.
    func setSessionTenant(idHash: String, tenantID: Int64) async throws

    func user(id: Int64) async throws -> User?
    func user(email: String) async throws -> User?
    func passwordHash(userID: Int64) async throws -> String?
    /// Replaces what the profile's "Général" tab edits: names, phone and language; false when
    /// there is no such user.
    func updateProfile(userID: Int64, firstName: String, lastName: String, phone: String, language: String) async throws -> Bool

    /// Creates a pending account (a member of `tenantID` with `role` when given), its activation
    /// token and the activation mail. Nil when the address already has an account.
    func createInvitedUser(_ user: User, tenantID: Int64?, role: Membership.Role, tokenHash: String,
                           tokenExpiresAt: Date, mail: Mail, now: Date) async throws -> User?
    /// Makes the existing account `userID` a member of `tenantID` with `role` and queues `mail`,
    /// in one transaction; with `activation` (a pending account invited again), its open
    /// activation tokens are replaced by that one too. False, with nothing written, when the
    /// account is already a member of the tenant.
    func addMember(userID: Int64, tenantID: Int64, role: Membership.Role, activation: NewToken?, mail: Mail, now: Date) async throws -> Bool
    /// Replaces the user's open tokens of `purpose` by a new one and queues its mail.
    func issueToken(userID: Int64, purpose: TokenPurpose, tokenHash: String, expiresAt: Date, mail: Mail, now: Date) async throws
    /// The same, unless a token of `purpose` was issued to the user at `since` or later (used or
    /// not): then nothing is written and the answer is false. Checked in the same transaction,
    /// so two requests at once send one mail.
    func issueToken(userID: Int64, purpose: TokenPurpose, tokenHash: String, expiresAt: Date, mail: Mail, now: Date,
                    unlessIssuedSince since: Date) async throws -> Bool
    /// The user of a token that is unused and not expired at `now`.
    func tokenUser(tokenHash: String, purpose: TokenPurpose, now: Date) async throws -> User?
    /// Marks the token used and applies `update` to its user in one transaction; false when the
    /// token was already used or expired (two clicks, two tabs).
    func consumeToken(tokenHash: String, purpose: TokenPurpose, now: Date, update: User, passwordHash: String) async throws -> Bool

    func setPassword(userID: Int64, passwordHash: String, at: Date) async throws

    /// The contact of imported tickets (`statusd import tickets`), in one transaction; see `ImportedContact`.
    func importContact(_ user: User, tenantID: Int64) async throws -> ImportedContact

    func createSession(idHash: String, _ session: Session) async throws
    func session(idHash: String, now: Date) async throws -> Session?
    /// The live session, its user and the user's memberships, in one read: what every signed-in
    /// request needs before its handler runs.
    func signedIn(idHash: String, now: Date) async throws -> SessionReading?
    func deleteSession(idHash: String) async throws
    /// Ends every session of a user but `except` (after a password reset, all of them).
    func deleteSessions(userID: Int64, except idHash: String?) async throws

    func createGroup(tenantID: Int64, name: String) async throws -> UserGroup
    func groups(tenantID: Int64) async throws -> [UserGroup]
    /// Adds or removes a member of `tenantID` to one of its groups; false when the group or the
    /// user is not the tenant's.
    func setGroupMember(groupID: Int64, userID: Int64, tenantID: Int64, member: Bool) async throws -> Bool

    func createAPIKey(tenantID: Int64, name: String, hash: String, prefix: String, at: Date) async throws -> APIKey
    func apiKeys(tenantID: Int64) async throws -> [APIKey]
    /// Revokes a key of `tenantID`; false when that tenant has no such key.
    func revokeAPIKey(id: Int64, tenantID: Int64, at: Date) async throws -> Bool
    /// The live key with this hash.
    func apiKey(hash: String) async throws -> APIKey?

    func recordLoginFailure(keys: [String], at: Date) async throws
    func loginFailures(key: String, since: Date) async throws -> Int
    /// Forgets the failures of `key` (after a success).
    func clearLoginFailures(key: String) async throws
}

/// A single-use token to store with a change: the hash of its secret and when it ends.
public struct NewToken: Sendable, Hashable {
    public var hash: String
    public var expiresAt: Date

    public init(hash: String, expiresAt: Date) {
        self.hash = hash
        self.expiresAt = expiresAt
    }
}

/// What became of the contact address of imported tickets. An import never mails anyone and
/// never gives a live account access to a tenant: it makes pending accounts only, which the
/// tenant's administrators activate like any invitation ("Renvoyer le lien d'activation").
public enum ImportedContact: Sendable, Hashable {
    /// The address's account is a member of the tenant already (in any state).
    case member(User)
    /// The address had no account: a pending one was made, a member of the tenant, without token or mail.
    case created(User)
    /// The address had a pending account (of another tenant): it was made a member of this one too.
    case joined(User)
    /// The address's account is active or disabled and not a member of the tenant: nothing written.
    case refused(User)
}

/// A session as a request reads it: the session, its user and the customer accounts they belong to.
public struct SessionReading: Sendable {
    public var session: Session
    public var user: User
    public var memberships: [(tenant: Tenant, role: Membership.Role)]

    public init(session: Session, user: User, memberships: [(tenant: Tenant, role: Membership.Role)]) {
        self.session = session
        self.user = user
        self.memberships = memberships
    }
}
