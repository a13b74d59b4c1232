import Foundation

/// A user's account at a provider, linked to their statusd account: signing in with it opens
/// that account whatever email the provider gives later.
public struct UserIdentity: Sendable, Hashable {
    public var userID: Int64
    public var providerID: String
    /// The provider's `sub`: unique per provider.
    public var subject: String
    /// The email the provider gave at the last sign-in (for display).
    public var email: String
    public var linkedAt: Date

    public init(userID: Int64, providerID: String, subject: String, email: String, linkedAt: Date) {
        self.userID = userID
        self.providerID = providerID
        self.subject = subject
        self.email = email
        self.linkedAt = linkedAt
    }
}

/// A sign-in on its way to the provider and back: kept 10 minutes, used once. The store keys
/// it by the state's hash, and keeps the hash of the browser key the web layer put in a cookie,
/// so a callback link opened in another browser (login CSRF) finds nothing to finish.
public struct PendingOpenIDLogin: Sendable, Hashable {
    public var stateHash: String
    public var browserKeyHash: String
    public var providerID: String
    public var nonce: String
    /// The PKCE verifier whose S256 challenge went with the authorization request.
    public var codeVerifier: String
    /// A path of this site to go to once signed in.
    public var returnTo: String
    public var expiresAt: Date

    public init(stateHash: String, browserKeyHash: String, providerID: String, nonce: String, codeVerifier: String,
                returnTo: String, expiresAt: Date) {
        self.stateHash = stateHash
        self.browserKeyHash = browserKeyHash
        self.providerID = providerID
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.returnTo = returnTo
        self.expiresAt = expiresAt
    }
}

/// What unlinking a provider did.
public enum UnlinkOutcome: Sendable, Hashable {
    case unlinked
    /// The user had no identity at that provider.
    case notLinked
    /// Refused: the user has no password and no other provider, so they could not sign in again.
    case lastWayToSignIn
}

/// Where OpenID Connect sign-ins keep their state: pending logins and linked identities.
public protocol OpenIDStore: Sendable {
    /// Keeps a pending login; drops the expired ones on the way.
    func savePendingLogin(_ login: PendingOpenIDLogin, now: Date) async throws
    /// Takes the pending login with this state hash out of the store (single use), expired or not;
    /// nil when there is none (unknown, or already used).
    func takePendingLogin(stateHash: String) async throws -> PendingOpenIDLogin?

    func identity(providerID: String, subject: String) async throws -> UserIdentity?
    /// A user's identities, by provider then link date.
    func identities(userID: Int64) async throws -> [UserIdentity]
    /// Links an identity to an active account; false when this provider's subject is already
    /// linked (to anyone).
    func link(_ identity: UserIdentity) async throws -> Bool
    /// Links an identity to a pending (invited) account and activates it in one transaction: the
    /// account becomes active, its activation links stop working, its empty names take the
    /// provider's. False, changing nothing, when the account is no longer pending or the subject
    /// is already linked.
    func linkActivating(_ identity: UserIdentity, firstName: String, lastName: String) async throws -> Bool
    /// Records the email a provider gave at the latest sign-in with this identity.
    func updateEmail(providerID: String, subject: String, email: String) async throws
    /// Removes the user's identities at `providerID`, unless that would leave them no way to sign
    /// in: no password and no identity left at one of `usableProviders` (checked in the same transaction).
    func unlink(userID: Int64, providerID: String, usableProviders: Set<String>) async throws -> UnlinkOutcome
}
