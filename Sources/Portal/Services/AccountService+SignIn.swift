import Foundation
import Notify

/// Activation, sign-in, sessions and passwords: the half of the account rules a person meets
/// at the door.
extension AccountService {
    // MARK: Activation

    /// The account an activation link opens; nil when the link is unknown, used or expired.
    public func pendingUser(activationToken token: String) async throws -> User? {
        try await store.tokenUser(tokenHash: Secrets.hash(token), purpose: .activation, now: clock())
    }

    /// What the activation form sends.
    public struct ActivationForm: Sendable {
        public var firstName: String
        public var lastName: String
        public var phone: String
        public var password: String
        public var confirmation: String

        public init(firstName: String, lastName: String, phone: String, password: String, confirmation: String) {
            self.firstName = firstName
            self.lastName = lastName
            self.phone = phone
            self.password = password
            self.confirmation = confirmation
        }
    }

    /// Activates the account; throws `FormErrors` (field by field) when the form is wrong.
    public func activate(token: String, form: ActivationForm) async throws -> User {
        guard var user = try await pendingUser(activationToken: token) else { throw FormErrors("token", "activation_link_invalid") }
        var errors = FormErrors()
        if form.firstName.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("firstName", "error_required") }
        if form.lastName.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("lastName", "error_required") }
        if form.phone.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("phone", "error_required") }
        checkPassword(form.password, confirmation: form.confirmation, into: &errors)
        guard errors.isEmpty else { throw errors }
        user.firstName = form.firstName.trimmingCharacters(in: .whitespaces)
        user.lastName = form.lastName.trimmingCharacters(in: .whitespaces)
        user.phone = form.phone.trimmingCharacters(in: .whitespaces)
        user.state = .active
        user.hasPassword = true
        let hash = try await passwords.hash(form.password)
        guard try await store.consumeToken(tokenHash: Secrets.hash(token), purpose: .activation, now: clock(), update: user, passwordHash: hash) else {
            throw FormErrors("token", "activation_link_invalid")
        }
        return user
    }

    /// Every rule of the policy the password misses, on "password"; a confirmation that differs, on "confirmation".
    func checkPassword(_ password: String, confirmation: String, into errors: inout FormErrors) {
        for broken in PasswordPolicy.violations(of: password) { errors.add("password", broken.rawValue) }
        if password != confirmation { errors.add("confirmation", "error_password_mismatch") }
    }

    // MARK: Login and sessions

    /// How a login attempt ended. Failures never say whether the account exists.
    public enum LoginOutcome: Sendable {
        case success(sessionID: String, user: User, mustChangePassword: Bool)
        case failed
        case throttled
    }

    /// Signs in, throttled as `LoginThrottle` says, keyed on `clientAddress` as the caller
    /// resolved it. Every attempt that is not throttled runs exactly one bcrypt verification,
    /// against a decoy when the account is unknown, pending or disabled, so a refusal takes the
    /// same time whatever the account; a throttled one runs none.
    public func login(email: String, password: String, clientAddress: String) async throws -> LoginOutcome {
        let now = clock()
        let email = User.normalize(email)
        let counters = LoginThrottle.counters(email: email, clientAddress: clientAddress)
        let since = now.addingTimeInterval(-LoginThrottle.window)
        for counter in counters where try await store.loginFailures(key: counter.key, since: since) >= counter.limit {
            return .throttled
        }
        let found = try await store.user(email: email)
        var usable: String?
        if let found, found.state == .active { usable = try await store.passwordHash(userID: found.id) }
        let verified = try await passwords.verify(password, hashOrDecoy: usable)
        guard verified, let user = found else {
            try await store.recordLoginFailure(keys: counters.map(\.key), at: now)
            return .failed
        }
        try await store.clearLoginFailures(key: LoginThrottle.pairKey(email: email, clientAddress: clientAddress))
        let sessionID = try await startSession(for: user, via: nil)
        return .success(sessionID: sessionID, user: user, mustChangePassword: passwordExpired(user))
    }

    /// Opens a session for a user whose identity was just proven (password, or a provider's ID
    /// token), in their first tenant; returns the id for the cookie (the store keeps its hash).
    /// `provider` names the provider that proved it (nil: the password), for the user's trail.
    public func startSession(for user: User, via provider: String? = nil) async throws -> String {
        let now = clock()
        let sessionID = Secrets.token()
        let tenants = try await store.memberships(userID: user.id)
        try await store.createSession(idHash: Secrets.hash(sessionID), Session(
            userID: user.id, tenantID: tenants.first?.tenant.id, csrfToken: Secrets.token(),
            createdAt: now, expiresAt: now.addingTimeInterval(AccountLifetimes.session)))
        await activity?.record(userID: user.id, .signedIn, detail: provider ?? "")
        return sessionID
    }

    /// The session of a cookie, with its user; nil when unknown, expired, or the user is disabled.
    public func session(id: String) async throws -> (session: Session, user: User)? {
        guard let session = try await store.session(idHash: Secrets.hash(id), now: clock()),
              let user = try await store.user(id: session.userID), user.state == .active else { return nil }
        return (session, user)
    }

    /// The same with the user's memberships, in one read of the store: what the session
    /// authenticator asks on every signed-in request.
    public func signedIn(sessionID: String) async throws -> SessionReading? {
        guard let reading = try await store.signedIn(idHash: Secrets.hash(sessionID), now: clock()),
              reading.user.state == .active else { return nil }
        return reading
    }

    public func logout(sessionID: String) async throws {
        try await store.deleteSession(idHash: Secrets.hash(sessionID))
    }

    /// True when the password is 90 days old or more: the user must set a new one first. An
    /// account without a password (signing in through a provider only) has none to expire.
    public func passwordExpired(_ user: User) -> Bool {
        guard user.hasPassword else { return false }
        guard let changed = user.passwordChangedAt else { return true }
        return clock().timeIntervalSince(changed) >= AccountLifetimes.password
    }

    /// Changes the password of a signed-in user, the 90-day change included: the current
    /// password first ("current": "error_password_current_wrong"; after 5 wrong ones in 15
    /// minutes, "login_throttled" without checking), a new one under the policy (every rule it
    /// misses, on "password") and different from the current one ("error_password_same"), and
    /// its confirmation. Every other session of the user ends.
    public func changePassword(user: User, sessionID: String, currentPassword: String, password: String, confirmation: String) async throws {
        let now = clock()
        let throttleKey = "change:\(user.id)"
        guard try await store.loginFailures(key: throttleKey, since: now.addingTimeInterval(-LoginThrottle.window)) < LoginThrottle.maxFailures else {
            throw FormErrors("current", "login_throttled")
        }
        var errors = FormErrors()
        let stored = try await store.passwordHash(userID: user.id)
        let currentIsRight = try await passwords.verify(currentPassword, hashOrDecoy: stored)
        if !currentIsRight {
            errors.add("current", "error_password_current_wrong")
            try await store.recordLoginFailure(keys: [throttleKey], at: now)
        }
        checkPassword(password, confirmation: confirmation, into: &errors)
        // The current password was just checked: the same text is the same password.
        if currentIsRight, password == currentPassword { errors.add("password", "error_password_same") }
        guard errors.isEmpty else { throw errors }
        try await store.setPassword(userID: user.id, passwordHash: try await passwords.hash(password), at: now)
        try await store.deleteSessions(userID: user.id, except: Secrets.hash(sessionID))
        try await store.clearLoginFailures(key: throttleKey)
        await activity?.record(userID: user.id, .passwordChanged)
    }

    /// The 90-day change: `changePassword`, current password included.
    public func changeExpiredPassword(user: User, sessionID: String, currentPassword: String, password: String, confirmation: String) async throws {
        try await changePassword(user: user, sessionID: sessionID, currentPassword: currentPassword, password: password, confirmation: confirmation)
    }

    // MARK: Forgotten password

    /// Sends a reset link when the account exists and is active, at most one per address per
    /// `ResetRequests.interval` (10 minutes); says nothing either way.
    public func requestReset(email: String) async throws {
        guard let user = try await store.user(email: email), user.state == .active else { return }
        let now = clock()
        let token = Secrets.token()
        _ = try await store.issueToken(userID: user.id, purpose: .reset, tokenHash: Secrets.hash(token),
                                       expiresAt: now.addingTimeInterval(AccountLifetimes.reset),
                                       mail: mails.reset(to: user, token: token), now: now,
                                       unlessIssuedSince: now.addingTimeInterval(-ResetRequests.interval))
    }

    public func resetLinkIsValid(_ token: String) async throws -> Bool {
        try await store.tokenUser(tokenHash: Secrets.hash(token), purpose: .reset, now: clock()) != nil
    }

    /// Sets the new password and ends every session of the user.
    public func resetPassword(token: String, password: String, confirmation: String) async throws {
        guard let user = try await store.tokenUser(tokenHash: Secrets.hash(token), purpose: .reset, now: clock()) else {
            throw FormErrors("token", "reset_link_invalid")
        }
        var errors = FormErrors()
        checkPassword(password, confirmation: confirmation, into: &errors)
        if errors.isEmpty, let current = try await store.passwordHash(userID: user.id), try await passwords.verify(password, hash: current) {
            errors.add("password", "error_password_same")
        }
        guard errors.isEmpty else { throw errors }
        let hash = try await passwords.hash(password)
        guard try await store.consumeToken(tokenHash: Secrets.hash(token), purpose: .reset, now: clock(), update: user, passwordHash: hash) else {
            throw FormErrors("token", "reset_link_invalid")
        }
        try await store.deleteSessions(userID: user.id, except: nil)
        await activity?.record(userID: user.id, .passwordReset)
    }
}
