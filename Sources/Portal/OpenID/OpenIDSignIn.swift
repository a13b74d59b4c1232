import Crypto
import Curl
import Foundation

/// "Continuer avec Google / Microsoft": the authorization code flow of OpenID Connect (with
/// PKCE, state and nonce) and the rules that map a provider's verified identity to a portal
/// account. The portal stays by invitation: a provider opens an account that exists, never a
/// new one. The web layer calls `begin` and `finish`; it holds no rule of its own.
public struct OpenIDSignIn: Sendable {
    /// The configured providers, in the order of their buttons.
    public let providers: [OpenIDProvider]
    let accounts: AccountService
    let store: any OpenIDStore
    let directory: OpenIDDirectory
    let http: OpenIDHTTP
    let baseURL: String
    let clock: @Sendable () -> Date

    /// How long a login may spend at the provider.
    public static let pendingLifetime: TimeInterval = 600
    /// The scopes asked for: the subject, the email and the names.
    public static let scope = "openid email profile"

    /// - Parameters:
    ///   - baseURL: the site's configured address (never a Host header); redirect URIs are built on it.
    ///   - curl: a loop of its own is best, so a slow provider never holds up probes.
    ///   - timeout: the limit of each request to a provider.
    public init(providers: [OpenIDProvider], accounts: AccountService, store: any OpenIDStore,
                baseURL: String, curl: CurlMulti = CurlMulti(), timeout: Duration = .seconds(10),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.providers = providers
        self.accounts = accounts
        self.store = store
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.clock = clock
        http = OpenIDHTTP(curl: curl, timeout: timeout)
        directory = OpenIDDirectory(http: http, clock: clock)
    }

    public func provider(id: String) -> OpenIDProvider? {
        providers.first { $0.id == id }
    }

    /// {base_url}/login/oidc/{id}/callback: where the provider sends the browser back, and what
    /// must be registered with it.
    public func redirectURI(providerID: String) -> String {
        "\(baseURL)/login/oidc/\(providerID)/callback"
    }

    // MARK: Begin

    /// Where to send the browser, and what it must bring back.
    public struct Start: Sendable, Hashable {
        /// The provider's authorization URL: answer with a 303 to it.
        public var authorizationURL: String
        /// Put it in a cookie (HttpOnly, Secure over https, SameSite=Lax so it comes back with the
        /// provider's redirect, Path=/login/oidc, Max-Age=600) and pass it to `finish`: it ties
        /// the callback to the browser that started the login.
        public var browserKey: String
        public var expiresAt: Date
    }

    /// Starts a sign-in with `providerID`: keeps a pending login (hashed state, nonce, PKCE
    /// verifier, 10 minutes, single use) and gives the provider's authorization URL.
    /// - Parameter returnTo: a path of this site to land on once signed in; anything else
    ///   (another site, "//host") becomes "/".
    /// - Throws: `OpenIDError` (unknown provider, provider unreachable or misconfigured), or a
    ///   database error.
    public func begin(providerID: String, returnTo: String?) async throws -> Start {
        guard let provider = provider(id: providerID) else {
            throw OpenIDError(.unknownProvider, "no sign-in provider \"\(providerID)\" is configured")
        }
        let metadata = try await directory.metadata(for: provider)
        let now = clock()
        let state = Secrets.token(), nonce = Secrets.token(), verifier = Secrets.token(), browserKey = Secrets.token()
        let expiresAt = now.addingTimeInterval(Self.pendingLifetime)
        try await store.savePendingLogin(PendingOpenIDLogin(
            stateHash: Secrets.hash(state), browserKeyHash: Secrets.hash(browserKey), providerID: provider.id, nonce: nonce,
            codeVerifier: verifier, returnTo: Self.localPath(returnTo), expiresAt: expiresAt), now: now)
        let query = FormEncoding.encode([
            ("response_type", "code"),
            ("client_id", provider.clientID),
            ("redirect_uri", redirectURI(providerID: provider.id)),
            ("scope", Self.scope),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", Self.codeChallenge(verifier)),
            ("code_challenge_method", "S256"),
        ])
        let separator = metadata.authorizationEndpoint.contains("?") ? "&" : "?"
        return Start(authorizationURL: metadata.authorizationEndpoint + separator + query, browserKey: browserKey, expiresAt: expiresAt)
    }

    /// PKCE's S256 challenge (RFC 7636): base64url(SHA-256(verifier)).
    static func codeChallenge(_ verifier: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data(verifier.utf8)))
    }

    /// `text` when it is a path of this site ("/services?x=1"), else "/": never another host.
    public static func localPath(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.hasPrefix("/\\"), text.count <= 2000,
              !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" }) else { return "/" }
        return text
    }

    // MARK: Finish

    /// How a sign-in through a provider ended.
    public enum Outcome: Sendable {
        /// Signed in: set the session cookie with `sessionID` and go to `returnTo`. `activated`
        /// when this sign-in activated an invited account; `linked` when it linked the provider
        /// to the account for the first time.
        case signedIn(sessionID: String, user: User, returnTo: String, activated: Bool, linked: Bool)
        /// The provider's verified email has no account here: the portal is by invitation.
        case unknownAccount(email: String)
        /// The account exists but is disabled.
        case accountDisabled
        /// The account was invited, but its invitation is over (90 days): ask for a new one.
        case invitationExpired
        /// The provider gave no email, or says it is not verified, and the identity is not linked yet.
        case emailNotVerified
        /// No pending login for this state: unknown, already used, older than 10 minutes, started
        /// in another browser, or for another provider. Start again.
        case loginExpired
        /// The provider failed, refused the code, or sent an ID token that does not verify.
        case failed(OpenIDError)
    }

    /// Finishes the sign-in the provider sent back: takes the pending login (once), exchanges the
    /// code at the token endpoint with the PKCE verifier, verifies the ID token, then applies the
    /// account rules. Throws only when the database fails.
    /// - Parameter browserKey: the cookie `begin` gave (nil when the browser did not send it).
    public func finish(providerID: String, code: String, state: String, browserKey: String?) async throws -> Outcome {
        guard let pending = try await store.takePendingLogin(stateHash: Secrets.hash(state)),
              pending.providerID == providerID, pending.expiresAt > clock(),
              let browserKey, IDTokenVerifier.constantTimeEqual(Secrets.hash(browserKey), pending.browserKeyHash)
        else { return .loginExpired }
        guard let provider = provider(id: providerID) else { return .failed(OpenIDError(.unknownProvider, "no provider \"\(providerID)\"")) }
        let identity: VerifiedIdentity
        do {
            identity = try await verifiedIdentity(provider: provider, code: code, pending: pending)
        } catch let error as OpenIDError {
            return .failed(error)
        }
        return try await signIn(identity, provider: provider, returnTo: pending.returnTo)
    }

    /// Forgets a pending login the provider sent back without a code (`error=access_denied`: the
    /// person said no). Unknown states are ignored; either way the login ends within 10 minutes.
    public func cancel(state: String) async throws {
        _ = try await store.takePendingLogin(stateHash: Secrets.hash(state))
    }

    /// The code exchanged for tokens, and the ID token verified.
    func verifiedIdentity(provider: OpenIDProvider, code: String, pending: PendingOpenIDLogin) async throws -> VerifiedIdentity {
        let metadata = try await directory.metadata(for: provider)
        var fields = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirectURI(providerID: provider.id)),
            ("code_verifier", pending.codeVerifier),
        ]
        var headers: [String] = []
        if metadata.usesSecretPost {
            fields += [("client_id", provider.clientID), ("client_secret", provider.clientSecret)]
        } else {
            // RFC 6749 2.3.1: id and secret are form-encoded before they are joined.
            let credentials = "\(FormEncoding.escape(provider.clientID)):\(FormEncoding.escape(provider.clientSecret))"
            headers.append("Authorization: Basic \(Data(credentials.utf8).base64EncodedString())")
            fields.append(("client_id", provider.clientID))
        }
        let response = await http.postForm(metadata.tokenEndpoint, fields: fields, headers: headers)
        guard response.succeeded else {
            throw OpenIDError(.providerUnreachable, "POST \(metadata.tokenEndpoint): \(response.errorMessage) (curl \(response.code))")
        }
        struct TokenAnswer: Decodable {
            var id_token: String?
            var error: String?
            var error_description: String?
        }
        let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(response.body))
        guard response.status == 200, let idToken = answer?.id_token else {
            let reason = [answer?.error, answer?.error_description].compactMap { $0 }.joined(separator: ": ")
            throw OpenIDError(.codeRefused, "the token endpoint answered HTTP \(response.status)\(reason.isEmpty ? " without an ID token" : " (\(reason))")")
        }
        let keys = try await directory.keys(for: provider, holding: IDTokenVerifier.keyID(of: idToken))
        return try await IDTokenVerifier.verify(idToken, keys: keys, expecting: .init(
            issuer: provider.issuer, clientID: provider.clientID, nonce: pending.nonce), now: clock())
    }

    /// The account rules: a linked identity opens its account whatever the email says now; else
    /// a verified email opens an active account (and links it) or activates an invited one.
    func signIn(_ identity: VerifiedIdentity, provider: OpenIDProvider, returnTo: String) async throws -> Outcome {
        let now = clock()
        if let linked = try await store.identity(providerID: provider.id, subject: identity.subject) {
            guard let user = try await accounts.store.user(id: linked.userID) else { return .unknownAccount(email: identity.email ?? "") }
            guard user.state == .active else { return user.state == .disabled ? .accountDisabled : .loginExpired }
            if let email = identity.email, email != linked.email {
                try await store.updateEmail(providerID: provider.id, subject: identity.subject, email: email)
            }
            return .signedIn(sessionID: try await accounts.startSession(for: user, via: provider.name), user: user, returnTo: returnTo, activated: false, linked: false)
        }
        guard let email = identity.usableEmail else { return .emailNotVerified }
        guard var user = try await accounts.store.user(email: email) else { return .unknownAccount(email: email) }
        let link = UserIdentity(userID: user.id, providerID: provider.id, subject: identity.subject, email: email, linkedAt: now)
        switch user.state {
        case .disabled:
            return .accountDisabled
        case .active:
            // False when a second callback of the same person linked it a moment ago: still them.
            _ = try await store.link(link)
            return .signedIn(sessionID: try await accounts.startSession(for: user, via: provider.name), user: user, returnTo: returnTo, activated: false, linked: true)
        case .pending:
            guard user.createdAt.addingTimeInterval(AccountLifetimes.activation) > now else { return .invitationExpired }
            let firstName = identity.givenName?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let lastName = identity.familyName?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard try await store.linkActivating(link, firstName: firstName, lastName: lastName),
                  let activated = try await accounts.store.user(id: user.id) else {
                // Activated by someone else in the meantime (a password, another provider): look again.
                user = try await accounts.store.user(id: user.id) ?? user
                return user.state == .active ? try await signIn(identity, provider: provider, returnTo: returnTo) : .loginExpired
            }
            return .signedIn(sessionID: try await accounts.startSession(for: activated, via: provider.name), user: activated, returnTo: returnTo,
                             activated: true, linked: true)
        }
    }

    // MARK: Linked providers

    /// A provider linked to an account, for the profile page ("Google — ada@gmail.com — Délier").
    public struct LinkedProvider: Sendable, Hashable {
        public var providerID: String
        /// The configured label; the id when the provider is no longer configured.
        public var name: String
        public var email: String
        public var linkedAt: Date
        /// False when the provider is no longer in the config (it can no longer sign anyone in).
        public var isConfigured: Bool
    }

    /// The providers linked to a user's account, one row per provider account.
    public func linkedProviders(userID: Int64) async throws -> [LinkedProvider] {
        try await store.identities(userID: userID).map { identity in
            let provider = provider(id: identity.providerID)
            return LinkedProvider(providerID: identity.providerID, name: provider?.name ?? identity.providerID, email: identity.email,
                                  linkedAt: identity.linkedAt, isConfigured: provider != nil)
        }
    }

    /// Unlinks a provider from the user's account; refused when the account has no password and
    /// no other configured provider, since the user could then never sign in again.
    public func unlink(userID: Int64, providerID: String) async throws -> UnlinkOutcome {
        try await store.unlink(userID: userID, providerID: providerID, usableProviders: Set(providers.map(\.id)))
    }
}
