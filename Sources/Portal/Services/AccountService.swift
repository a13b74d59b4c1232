import Foundation
import Notify
import StatusModel

/// The account rules of the portal: invitations, activation, login, logout, password reset and
/// the 90-day password change. Pages call these; they hold no rule of their own.
public struct AccountService: Sendable {
    let store: any AccountStore
    let mails: AccountMails
    /// bcrypt, off the caller's executor; tests read its counters.
    public let passwords: PasswordHasher
    let clock: @Sendable () -> Date
    /// The users' trail ("Activités"): sign-ins, password changes and resets, profile edits.
    let activity: ActivityLog?

    /// - Parameters:
    ///   - bcryptCost: 12 or more in production; tests may go lower to stay fast. Ignored when
    ///     `passwords` is given.
    ///   - passwords: the hasher to use (tests pass one to read its counters); by default one
    ///     of `bcryptCost`.
    public init(store: any AccountStore, baseURL: String, siteName: StatusConfig.Branding.Text = StatusConfig.Branding.defaultName, bcryptCost: UInt8 = 12,
                passwords: PasswordHasher? = nil, clock: @escaping @Sendable () -> Date = { Date() }, activity: ActivityLog? = nil) {
        self.store = store
        self.activity = activity
        self.mails = AccountMails(baseURL: baseURL, siteName: siteName)
        self.passwords = passwords ?? PasswordHasher(cost: bcryptCost)
        self.clock = clock
    }

    /// Names a user of the portal in invitation mails (an operator creating a tenant).
    public func inviter(userID: Int64) async throws -> Inviter {
        guard let user = try await store.user(id: userID) else { throw NotInTenant() }
        return Inviter(user)
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

    /// What became of a new tenant's first administrator.
    public enum FirstAdministrator: Sendable, Hashable {
        /// The address had no account: a new one was made and mailed its activation link (this one).
        case invited(activationLink: String)
        /// The address had an active account: it is the tenant's administrator now, and was
        /// mailed that it was given access (it reaches the tenant with "Changer de compte client").
        case existingAccountMadeAdmin
        /// The address had an account not activated yet: it is the tenant's administrator now,
        /// and was mailed a new activation link (this one; it still ends 90 days after the
        /// account's creation).
        case pendingAccountInvitedAgain(activationLink: String)
    }

    /// A tenant and its first administrator, by mail (staff administration, the command line).
    /// When the address already has an account, that account becomes the administrator. An
    /// address whose account is disabled, or pending past its 90 days, is refused
    /// (`FormErrors` on "admin", "tenant_admin_unusable") before the tenant is made.
    public func createTenant(_ tenant: Tenant, firstAdmin email: String, language: String,
                             invitedBy inviter: Inviter) async throws -> (Tenant, FirstAdministrator) {
        var errors = FormErrors()
        let email = User.normalize(email)
        if tenant.code.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("code", "error_required") }
        if tenant.name.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("name", "error_required") }
        if !EmailAddress.isValid(email) { errors.add("admin", "error_email_invalid") }
        if errors.isEmpty, try await store.tenant(code: tenant.code) != nil { errors.add("code", "tenant_code_taken") }
        if errors.isEmpty, let existing = try await store.user(email: email), !canJoin(existing) { errors.add("admin", "tenant_admin_unusable") }
        guard errors.isEmpty else { throw errors }
        let created = try await store.createTenant(tenant)
        switch try await enroll(email, into: created, role: .admin, language: language, inviter: inviter) {
        case .created(let link): return (created, .invited(activationLink: link))
        case .addedExisting: return (created, .existingAccountMadeAdmin)
        case .invitedAgain(let link): return (created, .pendingAccountInvitedAgain(activationLink: link))
        case .alreadyMember, .unusable:
            // Only when the account changed between the check and now: the tenant has no
            // administrator yet, which the operator sees.
            throw FormErrors("admin", "tenant_admin_unusable")
        }
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
        /// Every address that is now a member and was mailed: new accounts, and the two lists below.
        public var invited: [String] = []
        /// Of `invited`: active accounts (of another tenant, or removed from this one) given
        /// access, mailed that they were.
        public var addedExisting: [String] = []
        /// Of `invited`: accounts not activated yet, mailed their activation link again.
        public var invitedAgain: [String] = []
        /// Address and the message key saying why it was refused: "invite_refused_invalid",
        /// "invite_refused_member" (already a member of this tenant), "invite_refused_unusable"
        /// (a disabled account, or one not activated within its 90 days).
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

    /// Invites up to 100 addresses into a tenant, as `role`; every mail names the tenant, the
    /// role and `inviter`. A new address gets an account and its activation mail; an active
    /// account that is not a member of this tenant (of another one, or removed from this one)
    /// becomes a member and is mailed so; a pending account becomes a member and gets its
    /// activation mail again. Refused, while the others go through: invalid addresses, members
    /// of this tenant already, disabled accounts and pending ones past their 90 days.
    public func invite(_ text: String, tenantID: Int64, role: Membership.Role = .member, language: String,
                       invitedBy inviter: Inviter) async throws -> InvitationReport {
        let addresses = Self.addresses(in: text)
        guard !addresses.isEmpty else { throw FormErrors("emails", "invite_error_empty") }
        guard addresses.count <= Self.maxInvitations else { throw FormErrors("emails", "invite_error_too_many") }
        guard let tenant = try await store.tenant(id: tenantID) else { throw NotInTenant() }
        var report = InvitationReport()
        var seen: Set<String> = []
        for address in addresses {
            let email = User.normalize(address)
            guard EmailAddress.isValid(email) else {
                report.refused.append(.init(email: address, reason: "invite_refused_invalid"))
                continue
            }
            guard seen.insert(email).inserted else { continue }
            switch try await enroll(email, into: tenant, role: role, language: language, inviter: inviter) {
            case .created:
                report.invited.append(email)
            case .addedExisting:
                report.invited.append(email)
                report.addedExisting.append(email)
            case .invitedAgain:
                report.invited.append(email)
                report.invitedAgain.append(email)
            case .alreadyMember:
                report.refused.append(.init(email: email, reason: "invite_refused_member"))
            case .unusable:
                report.refused.append(.init(email: email, reason: "invite_refused_unusable"))
            }
        }
        return report
    }

    /// What one address of an invitation became.
    private enum Enrollment {
        case created(link: String)
        case addedExisting
        case invitedAgain(link: String)
        case alreadyMember
        case unusable
    }

    /// True when an existing account may be given a new membership: active, or pending within
    /// its 90 days (a new activation link is still allowed).
    private func canJoin(_ user: User) -> Bool {
        switch user.state {
        case .active: true
        case .pending: user.createdAt.addingTimeInterval(AccountLifetimes.activation) > clock()
        case .disabled: false
        }
    }

    /// Makes `email` a member of `tenant` as `role`, with the mail that says so, in one
    /// transaction each time.
    private func enroll(_ email: String, into tenant: Tenant, role: Membership.Role, language: String,
                        inviter: Inviter) async throws -> Enrollment {
        let invitation = AccountMails.Invitation(tenant: tenant, inviter: inviter, role: role)
        // Twice at most: when another invitation creates the same address between the look-up
        // and the insert, the second turn finds its account.
        for _ in 0..<2 {
            let now = clock()
            if let user = try await store.user(email: email) {
                if try await store.memberships(userID: user.id).contains(where: { $0.tenant.id == tenant.id }) { return .alreadyMember }
                guard canJoin(user) else { return .unusable }
                switch user.state {
                case .active:
                    let added = try await store.addMember(userID: user.id, tenantID: tenant.id, role: role, activation: nil,
                                                          mail: mails.accessGranted(to: user, invitation: invitation), now: now)
                    return added ? .addedExisting : .alreadyMember
                case .pending:
                    let token = Secrets.token()
                    let expiresAt = user.createdAt.addingTimeInterval(AccountLifetimes.activation)
                    let added = try await store.addMember(
                        userID: user.id, tenantID: tenant.id, role: role, activation: NewToken(hash: Secrets.hash(token), expiresAt: expiresAt),
                        mail: mails.activation(to: user, token: token, expiresAt: expiresAt, invitation: invitation), now: now)
                    return added ? .invitedAgain(link: activationLink(token)) : .alreadyMember
                case .disabled:
                    return .unusable
                }
            }
            let user = User(email: email, language: language == "en" ? "en" : "fr", createdAt: now)
            let token = Secrets.token()
            let expiresAt = now.addingTimeInterval(AccountLifetimes.activation)
            let mail = mails.activation(to: user, token: token, expiresAt: expiresAt, invitation: invitation)
            if try await store.createInvitedUser(user, tenantID: tenant.id, role: role, tokenHash: Secrets.hash(token),
                                                 tokenExpiresAt: expiresAt, mail: mail, now: now) != nil {
                return .created(link: activationLink(token))
            }
        }
        return .unusable
    }

    private func activationLink(_ token: String) -> String { "\(mails.baseURL)/activate/\(token)" }

    /// A staff account (operator or agent), from the command line; returns the activation link,
    /// or nil when the address already has an account.
    public func createStaffUser(email: String, role: User.StaffRole, language: String = "fr") async throws -> String? {
        let email = User.normalize(email)
        guard EmailAddress.isValid(email) else { throw FormErrors("email", "error_email_invalid") }
        return try await createAccount(email: email, tenantID: nil, role: .member, staffRole: role, language: language)
    }

    /// Creates a staff account, its token and its mail in one transaction; returns the link.
    private func createAccount(email: String, tenantID: Int64?, role: Membership.Role, staffRole: User.StaffRole?,
                               language: String) async throws -> String? {
        let now = clock()
        let user = User(email: email, language: language == "en" ? "en" : "fr", staffRole: staffRole, createdAt: now)
        let token = Secrets.token()
        let expiresAt = now.addingTimeInterval(AccountLifetimes.activation)
        let mail = mails.activation(to: user, token: token, expiresAt: expiresAt)
        let created = try await store.createInvitedUser(user, tenantID: tenantID, role: role, tokenHash: Secrets.hash(token),
                                                        tokenExpiresAt: expiresAt, mail: mail, now: now)
        return created == nil ? nil : activationLink(token)
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
}
