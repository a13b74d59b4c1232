import Foundation
import Notify

/// The account rules of the portal: invitations, activation, login, logout, password reset and
/// the 90-day password change. Pages call these; they hold no rule of their own.
public struct AccountService: Sendable {
    let store: any AccountStore
    let mails: AccountMails
    let bcryptCost: UInt8
    let clock: @Sendable () -> Date

    /// - Parameter bcryptCost: 12 or more in production; tests may go lower to stay fast.
    public init(store: any AccountStore, baseURL: String, siteName: String = "statusd", bcryptCost: UInt8 = 12,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.mails = AccountMails(baseURL: baseURL, siteName: siteName)
        self.bcryptCost = bcryptCost
        self.clock = clock
    }

    // MARK: Tenants

    public func memberships(userID: Int64) async throws -> [(tenant: Tenant, role: Membership.Role)] {
        try await store.memberships(userID: userID)
    }

    public func tenant(id: Int64) async throws -> Tenant? {
        try await store.tenant(id: id)
    }

    public func members(tenantID: Int64) async throws -> [(user: User, role: Membership.Role)] {
        try await store.members(tenantID: tenantID)
    }

    public func tenants() async throws -> [Tenant] {
        try await store.tenants()
    }

    /// A tenant and its first administrator, invited by mail (staff administration).
    public func createTenant(_ tenant: Tenant, firstAdmin email: String, language: String) async throws -> (Tenant, String?) {
        var errors = FormErrors()
        if tenant.code.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("code", "error_required") }
        if tenant.name.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("name", "error_required") }
        if !EmailAddress.isValid(email) { errors.add("admin", "error_email_invalid") }
        if errors.isEmpty, try await store.tenant(code: tenant.code) != nil { errors.add("code", "tenant_code_taken") }
        guard errors.isEmpty else { throw errors }
        let created = try await store.createTenant(tenant)
        let link = try await createAccount(email: User.normalize(email), tenantID: created.id, role: .admin, staffRole: nil, language: language)
        return (created, link)
    }

    /// The member `userID` of `tenantID`, or `NotInTenant`: every action on a user goes through this.
    private func member(_ userID: Int64, of tenantID: Int64) async throws -> (user: User, role: Membership.Role) {
        guard let found = try await store.members(tenantID: tenantID).first(where: { $0.user.id == userID }) else { throw NotInTenant() }
        return found
    }

    /// Grants or takes back the admin role; a tenant keeps at least one administrator.
    public func setRole(userID: Int64, tenantID: Int64, role: Membership.Role) async throws {
        _ = try await member(userID, of: tenantID)
        _ = try await store.setRole(userID: userID, tenantID: tenantID, role: role)
    }

    /// Removes a user from the tenant (the account stays: it may belong to other tenants).
    public func removeMember(userID: Int64, tenantID: Int64) async throws {
        _ = try await member(userID, of: tenantID)
        _ = try await store.removeMember(userID: userID, tenantID: tenantID)
    }

    /// A new activation mail for a pending member of the tenant.
    public func resendActivation(userID: Int64, tenantID: Int64) async throws -> Bool {
        _ = try await member(userID, of: tenantID)
        return try await resendActivation(userID: userID)
    }

    /// "Changer de compte client": only to a tenant the user belongs to.
    public func switchTenant(sessionID: String, userID: Int64, tenantID: Int64) async throws {
        guard try await store.memberships(userID: userID).contains(where: { $0.tenant.id == tenantID }) else { throw NotInTenant() }
        try await store.setSessionTenant(idHash: Secrets.hash(sessionID), tenantID: tenantID)
    }

    // MARK: Invitations

    /// The most addresses one invitation takes.
    public static var maxInvitations: Int { 100 }

    /// What became of each address of an invitation.
    public struct InvitationReport: Sendable, Hashable {
        public var invited: [String] = []
        /// Address and the message key saying why it was refused.
        public var refused: [Refusal] = []

        public struct Refusal: Sendable, Hashable {
            public var email: String
            public var reason: String
        }
    }

    /// Splits "a@x.fr, b@y.com" into addresses, without empties.
    public static func addresses(in text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Invites up to 100 addresses into a tenant: each valid new address gets an account and its
    /// activation mail; invalid or already used addresses are reported while the others go through.
    public func invite(_ text: String, tenantID: Int64, role: Membership.Role = .member, language: String) async throws -> InvitationReport {
        let addresses = Self.addresses(in: text)
        guard !addresses.isEmpty else { throw FormErrors("emails", "invite_error_empty") }
        guard addresses.count <= Self.maxInvitations else { throw FormErrors("emails", "invite_error_too_many") }
        var report = InvitationReport()
        var seen: Set<String> = []
        for address in addresses {
            let email = User.normalize(address)
            guard EmailAddress.isValid(email) else {
                report.refused.append(.init(email: address, reason: "invite_refused_invalid"))
                continue
            }
            guard seen.insert(email).inserted else { continue }
            if try await createAccount(email: email, tenantID: tenantID, role: role, staffRole: nil, language: language) != nil {
                report.invited.append(email)
            } else {
                report.refused.append(.init(email: email, reason: "invite_refused_taken"))
            }
        }
        return report
    }

    /// A staff account (operator or agent), from the command line; returns the activation link,
    /// or nil when the address already has an account.
    public func createStaffUser(email: String, role: User.StaffRole, language: String = "fr") async throws -> String? {
        let email = User.normalize(email)
        guard EmailAddress.isValid(email) else { throw FormErrors("email", "error_email_invalid") }
        return try await createAccount(email: email, tenantID: nil, role: .member, staffRole: role, language: language)
    }

    /// Creates the account, its token and its mail in one transaction; returns the link.
    private func createAccount(email: String, tenantID: Int64?, role: Membership.Role, staffRole: User.StaffRole?,
                               language: String) async throws -> String? {
        let now = clock()
        let user = User(email: email, language: language == "en" ? "en" : "fr", staffRole: staffRole, createdAt: now)
        let token = Secrets.token()
        let expiresAt = now.addingTimeInterval(AccountLifetimes.activation)
        let mail = mails.activation(to: user, token: token, expiresAt: expiresAt)
        let created = try await store.createInvitedUser(user, tenantID: tenantID, role: role, tokenHash: Secrets.hash(token),
                                                        tokenExpiresAt: expiresAt, mail: mail, now: now)
        return created == nil ? nil : "\(mails.baseURL)/activate/\(token)"
    }

    /// Sends a new activation link to a pending account; the link still ends 90 days after the
    /// account's creation.
    public func resendActivation(userID: Int64) async throws -> Bool {
        guard let user = try await store.user(id: userID), user.state == .pending else { return false }
        let expiresAt = user.createdAt.addingTimeInterval(AccountLifetimes.activation)
        guard expiresAt > clock() else { return false }
        let token = Secrets.token()
        try await store.issueToken(userID: user.id, purpose: .activation, tokenHash: Secrets.hash(token), expiresAt: expiresAt,
                                   mail: mails.activation(to: user, token: token, expiresAt: expiresAt), now: clock())
        return true
    }

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
        let hash = Secrets.hashPassword(form.password, cost: bcryptCost)
        guard try await store.consumeToken(tokenHash: Secrets.hash(token), purpose: .activation, now: clock(), update: user, passwordHash: hash) else {
            throw FormErrors("token", "activation_link_invalid")
        }
        return user
    }

    private func checkPassword(_ password: String, confirmation: String, into errors: inout FormErrors) {
        if let broken = PasswordPolicy.violations(of: password).first { errors.add("password", broken.rawValue) }
        if password != confirmation { errors.add("confirmation", "error_password_mismatch") }
    }

    // MARK: Login and sessions

    /// How a login attempt ended. Failures never say whether the account exists.
    public enum LoginOutcome: Sendable {
        case success(sessionID: String, user: User, mustChangePassword: Bool)
        case failed
        case throttled
    }

    public func login(email: String, password: String, clientAddress: String) async throws -> LoginOutcome {
        let now = clock()
        let email = User.normalize(email)
        let keys = ["account:\(email)", "address:\(clientAddress)"]
        let since = now.addingTimeInterval(-LoginThrottle.window)
        for key in keys where try await store.loginFailures(key: key, since: since) >= LoginThrottle.maxFailures {
            return .throttled
        }
        let found = try await store.user(email: email)
        guard let user = found, user.state == .active,
              let hash = try await store.passwordHash(userID: user.id), Secrets.verifyPassword(password, hash: hash)
        else {
            // Same work whether or not the account exists, so timing tells nothing either.
            if found == nil { _ = Secrets.verifyPassword(password, hash: DecoyPassword.hash) }
            try await store.recordLoginFailure(keys: keys, at: now)
            return .failed
        }
        let sessionID = try await startSession(for: user)
        return .success(sessionID: sessionID, user: user, mustChangePassword: passwordExpired(user))
    }

    /// Opens a session for a user whose identity was just proven (password, or a provider's ID
    /// token), in their first tenant; returns the id for the cookie (the store keeps its hash).
    public func startSession(for user: User) async throws -> String {
        let now = clock()
        let sessionID = Secrets.token()
        let tenants = try await store.memberships(userID: user.id)
        try await store.createSession(idHash: Secrets.hash(sessionID), Session(
            userID: user.id, tenantID: tenants.first?.tenant.id, csrfToken: Secrets.token(),
            createdAt: now, expiresAt: now.addingTimeInterval(AccountLifetimes.session)))
        return sessionID
    }


    /// The session of a cookie, with its user; nil when unknown, expired, or the user is disabled.
    public func session(id: String) async throws -> (session: Session, user: User)? {
        guard let session = try await store.session(idHash: Secrets.hash(id), now: clock()),
              let user = try await store.user(id: session.userID), user.state == .active else { return nil }
        return (session, user)
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

    /// The 90-day change: a new password under the policy, different from the current one.
    public func changeExpiredPassword(user: User, sessionID: String, password: String, confirmation: String) async throws {
        var errors = FormErrors()
        checkPassword(password, confirmation: confirmation, into: &errors)
        if errors.isEmpty, let current = try await store.passwordHash(userID: user.id), Secrets.verifyPassword(password, hash: current) {
            errors.add("password", "error_password_same")
        }
        guard errors.isEmpty else { throw errors }
        try await store.setPassword(userID: user.id, passwordHash: Secrets.hashPassword(password, cost: bcryptCost), at: clock())
        try await store.deleteSessions(userID: user.id, except: Secrets.hash(sessionID))
    }

    // MARK: Forgotten password

    /// Sends a reset link when the account exists and is active; says nothing either way.
    public func requestReset(email: String) async throws {
        guard let user = try await store.user(email: email), user.state == .active else { return }
        let token = Secrets.token()
        try await store.issueToken(userID: user.id, purpose: .reset, tokenHash: Secrets.hash(token),
                                   expiresAt: clock().addingTimeInterval(AccountLifetimes.reset),
                                   mail: mails.reset(to: user, token: token), now: clock())
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
        guard errors.isEmpty else { throw errors }
        let hash = Secrets.hashPassword(password, cost: bcryptCost)
        guard try await store.consumeToken(tokenHash: Secrets.hash(token), purpose: .reset, now: clock(), update: user, passwordHash: hash) else {
            throw FormErrors("token", "reset_link_invalid")
        }
        try await store.deleteSessions(userID: user.id, except: nil)
    }
}

/// A bcrypt hash of nothing anyone knows, checked against when the account does not exist.
enum DecoyPassword {
    static let hash = Secrets.hashPassword(Secrets.token(), cost: 12)
}
