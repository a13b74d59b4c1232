import Curl
import Foundation
import GRDB
import Portal
import StatusModel
import Testing
import TestSupport

/// A browser's part of the code flow against a real provider: what the web layer's redirects
/// and the person at the provider's page would do.
struct ProviderBrowser {
    let mock: OpenIDProviderMock
    let curl = CurlMulti()

    /// What the provider's ID tokens will say about `subject`.
    func setUser(_ subject: String, claims: [String: any Sendable]) async throws {
        var request = CurlRequest(url: mock.userURL(subject: subject))
        request.method = "PUT"
        request.headers = ["Content-Type: application/json"]
        request.body = Array(try JSONSerialization.data(withJSONObject: claims))
        let response = await curl.perform(request)
        #expect(response.status == 204, "PUT /users: \(response.errorMessage) \(response.bodyText)")
    }

    /// Follows the authorization URL to the provider's form, submits it as `subject`, and gives
    /// the callback's code and state from the provider's redirect.
    func authorize(_ url: String, as subject: String) async throws -> (code: String, state: String, callback: String) {
        let page = await curl.perform(.get(url, accept: "text/html"))
        #expect(page.status == 200, "GET \(url): \(page.status) \(page.errorMessage)")
        #expect(page.bodyText.contains("name=\"sub\""), "the provider's authorization form asks for a subject")
        let submitted = await curl.perform(.postForm(url, fields: [("sub", subject)], accept: "text/html"))
        let callback = try #require(submitted.redirectURL, "the provider answered \(submitted.status), not a redirect: \(mock.log.suffix(1500))")
        let items = URLComponents(string: callback)?.queryItems ?? []
        let code = try #require(items.first { $0.name == "code" }?.value, "no code in \(callback)")
        let state = try #require(items.first { $0.name == "state" }?.value, "no state in \(callback)")
        return (code, state, callback)
    }
}

/// Sign-in with a provider, end to end against oidc-provider-mock on loopback: begin, the
/// provider's form, the callback, the code exchange, the ID token, the account rules.
@Suite("OpenID Connect: sign-in against a real provider")
struct OpenIDSignInTests {
    let fixture: PortalFixture
    let mock: OpenIDProviderMock
    let browser: ProviderBrowser
    let signIn: OpenIDSignIn
    let store: SQLiteOpenIDStore

    init() async throws {
        fixture = try PortalFixture()
        // The provider's tokens are dated by the real clock: the test clock starts there.
        fixture.clock.advance(Date().timeIntervalSince(fixture.clock.now))
        mock = try await OpenIDProviderMock()
        browser = ProviderBrowser(mock: mock)
        store = SQLiteOpenIDStore(database: fixture.database)
        let clock = fixture.clock
        signIn = OpenIDSignIn(
            providers: [OpenIDProvider(id: "mock", name: "Mock", issuer: mock.issuer, clientID: "statusd-test", clientSecret: "test-secret")],
            accounts: fixture.accounts, store: store, baseURL: PortalFixture.baseURL, clock: { clock.now })
    }

    /// begin → the provider → finish, as `subject` with these claims.
    func signInThroughProvider(_ subject: String, email: String, verified: Bool? = true, returnTo: String? = "/services",
                               extra: [String: any Sendable] = [:]) async throws -> OpenIDSignIn.Outcome {
        var claims: [String: any Sendable] = ["email": email].merging(extra) { $1 }
        if let verified { claims["email_verified"] = verified }
        try await browser.setUser(subject, claims: claims)
        let start = try await signIn.begin(providerID: "mock", returnTo: returnTo)
        let answer = try await browser.authorize(start.authorizationURL, as: subject)
        #expect(answer.callback.hasPrefix("\(PortalFixture.baseURL)/login/oidc/mock/callback?"))
        return try await signIn.finish(providerID: "mock", code: answer.code, state: answer.state, browserKey: start.browserKey)
    }

    @Test("An invited user activates their account through the provider and gets a session")
    func invitedUserActivates() async throws {
        let tenant = try await fixture.tenant()
        _ = try await fixture.accounts.invite("grace@example.com", tenantID: tenant.id, language: "fr", invitedBy: Inviter(name: "Test"))
        let outcome = try await signInThroughProvider("sub-grace", email: "Grace@Example.com",
                                                      extra: ["given_name": "Grace", "family_name": "Hopper"])
        guard case .signedIn(let sessionID, let user, let returnTo, let activated, let linked) = outcome else {
            Issue.record("expected a sign-in, got \(outcome); provider said: \(mock.log.suffix(1500))")
            return
        }
        #expect(activated && linked)
        #expect(returnTo == "/services")
        #expect(user.state == .active)
        #expect(user.firstName == "Grace" && user.lastName == "Hopper")
        #expect(!user.hasPassword && user.passwordChangedAt == nil)
        // No password to expire: the 90-day rule does not send them to /password/change.
        #expect(!fixture.accounts.passwordExpired(user))
        let session = try #require(try await fixture.accounts.session(id: sessionID))
        #expect(session.user.id == user.id)
        #expect(session.session.tenantID == tenant.id)
        // The invitation's link no longer opens the account.
        let token = try #require(try await fixture.token(sentTo: "grace@example.com", path: "activate"))
        #expect(try await fixture.accounts.pendingUser(activationToken: token) == nil)
        #expect(try await signIn.linkedProviders(userID: user.id).map(\.name) == ["Mock"])
    }

    @Test("A known active user signs in and the provider is linked on first use")
    func activeUserSignsIn() async throws {
        let tenant = try await fixture.tenant()
        let ada = try await fixture.activeUser("ada@example.com", tenant: tenant)
        let outcome = try await signInThroughProvider("sub-ada", email: "ada@example.com")
        guard case .signedIn(let sessionID, let user, _, let activated, let linked) = outcome else {
            Issue.record("expected a sign-in, got \(outcome)")
            return
        }
        #expect(user.id == ada.id && !activated && linked)
        #expect(try await fixture.accounts.session(id: sessionID)?.user.id == ada.id)
        let links = try await signIn.linkedProviders(userID: ada.id)
        #expect(links.map(\.providerID) == ["mock"] && links.first?.email == "ada@example.com")
    }

    @Test("An email without an account is refused: the portal is by invitation")
    func unknownEmailRefused() async throws {
        let outcome = try await signInThroughProvider("sub-eve", email: "eve@example.com")
        guard case .unknownAccount(let email) = outcome else {
            Issue.record("expected unknownAccount, got \(outcome)")
            return
        }
        #expect(email == "eve@example.com")
        #expect(try await fixture.store.user(email: "eve@example.com") == nil)
    }

    @Test("A linked identity signs in even after the provider's email changed")
    func linkedSubjectAfterEmailChange() async throws {
        let tenant = try await fixture.tenant()
        let ada = try await fixture.activeUser("ada@example.com", tenant: tenant)
        _ = try await signInThroughProvider("sub-ada", email: "ada@example.com")
        let outcome = try await signInThroughProvider("sub-ada", email: "ada.lovelace@newmail.example")
        guard case .signedIn(_, let user, _, _, let linked) = outcome else {
            Issue.record("expected a sign-in, got \(outcome)")
            return
        }
        #expect(user.id == ada.id && !linked)
        #expect(try await signIn.linkedProviders(userID: ada.id).first?.email == "ada.lovelace@newmail.example")
    }

    @Test("A disabled account is refused, and so is an email the provider says is unverified")
    func disabledAndUnverified() async throws {
        let tenant = try await fixture.tenant()
        let bob = try await fixture.activeUser("bob@example.com", tenant: tenant)
        try await fixture.database.writer.write { db in
            try db.execute(sql: "UPDATE user SET state = 'disabled' WHERE id = ?", arguments: [bob.id])
        }
        let disabled = try await signInThroughProvider("sub-bob", email: "bob@example.com")
        guard case .accountDisabled = disabled else {
            Issue.record("expected accountDisabled, got \(disabled)")
            return
        }
        _ = try await fixture.activeUser("carol@example.com", tenant: tenant)
        let unverified = try await signInThroughProvider("sub-carol", email: "carol@example.com", verified: false)
        guard case .emailNotVerified = unverified else {
            Issue.record("expected emailNotVerified, got \(unverified)")
            return
        }
    }

    @Test("A callback works once, in the browser that began it, within ten minutes")
    func pendingLoginRules() async throws {
        let tenant = try await fixture.tenant()
        _ = try await fixture.activeUser("ada@example.com", tenant: tenant)
        try await browser.setUser("sub-ada", claims: ["email": "ada@example.com", "email_verified": true])

        // Another browser (no cookie, or someone else's) cannot finish it: login CSRF.
        let first = try await signIn.begin(providerID: "mock", returnTo: "/")
        let answer = try await browser.authorize(first.authorizationURL, as: "sub-ada")
        guard case .loginExpired = try await signIn.finish(providerID: "mock", code: answer.code, state: answer.state, browserKey: "forged") else {
            Issue.record("a callback without its browser key must not sign in")
            return
        }
        // Nor can the right browser after that: the pending login was used up.
        guard case .loginExpired = try await signIn.finish(providerID: "mock", code: answer.code, state: answer.state,
                                                           browserKey: first.browserKey) else {
            Issue.record("a state works once")
            return
        }

        // A login left at the provider for more than ten minutes is over.
        let late = try await signIn.begin(providerID: "mock", returnTo: "/")
        let lateAnswer = try await browser.authorize(late.authorizationURL, as: "sub-ada")
        fixture.clock.advance(OpenIDSignIn.pendingLifetime + 1)
        guard case .loginExpired = try await signIn.finish(providerID: "mock", code: lateAnswer.code, state: lateAnswer.state,
                                                           browserKey: late.browserKey) else {
            Issue.record("a pending login expires after ten minutes")
            return
        }
    }

    @Test("The authorization request carries PKCE S256, state, nonce, scope and the callback")
    func authorizationRequest() async throws {
        let start = try await signIn.begin(providerID: "mock", returnTo: "https://evil.example.com/")
        let components = try #require(URLComponents(string: start.authorizationURL))
        #expect(start.authorizationURL.hasPrefix("\(mock.issuer)/oauth2/authorize?"))
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(items["response_type"] == "code")
        #expect(items["client_id"] == "statusd-test")
        #expect(items["scope"] == "openid email profile")
        #expect(items["redirect_uri"] == "\(PortalFixture.baseURL)/login/oidc/mock/callback")
        #expect(items["code_challenge_method"] == "S256")
        #expect((items["code_challenge"] ?? "").count == 43)
        #expect((items["state"] ?? "").count >= 43 && (items["nonce"] ?? "").count >= 43)
        // Another site as the landing page becomes the home page once signed in.
        let tenant = try await fixture.tenant()
        _ = try await fixture.activeUser("ada@example.com", tenant: tenant)
        try await browser.setUser("sub-ada", claims: ["email": "ada@example.com"])
        let answer = try await browser.authorize(start.authorizationURL, as: "sub-ada")
        guard case .signedIn(_, _, let returnTo, _, _) = try await signIn.finish(
            providerID: "mock", code: answer.code, state: answer.state, browserKey: start.browserKey) else {
            Issue.record("expected a sign-in")
            return
        }
        #expect(returnTo == "/")
    }

    @Test("An unknown provider, one whose discovery names another issuer, or one without discovery cannot begin")
    func providerChecks() async throws {
        await #expect(throws: OpenIDError.self) { try await signIn.begin(providerID: "nope", returnTo: nil) }
        let lying = OpenIDSignIn(
            providers: [OpenIDProvider(id: "mock", name: "Mock", issuer: "\(mock.issuer)/lying", clientID: "c", clientSecret: "s")],
            accounts: fixture.accounts, store: store, baseURL: PortalFixture.baseURL)
        do {
            _ = try await lying.begin(providerID: "mock", returnTo: nil)
            Issue.record("a discovery document naming another issuer must be refused")
        } catch let error as OpenIDError {
            #expect(error.kind == .providerMisconfigured)
            #expect(error.message.contains("elsewhere.example.com"))
        }
        let missing = OpenIDSignIn(
            providers: [OpenIDProvider(id: "mock", name: "Mock", issuer: "\(mock.issuer)/nothing-here", clientID: "c", clientSecret: "s")],
            accounts: fixture.accounts, store: store, baseURL: PortalFixture.baseURL)
        do {
            _ = try await missing.begin(providerID: "mock", returnTo: nil)
            Issue.record("a provider without a discovery document cannot begin")
        } catch let error as OpenIDError {
            #expect(error.kind == .providerUnreachable)
        }
    }

    @Test("A code the provider already exchanged is refused, and a provider that is down fails cleanly")
    func providerRefusals() async throws {
        let tenant = try await fixture.tenant()
        _ = try await fixture.activeUser("ada@example.com", tenant: tenant)
        try await browser.setUser("sub-ada", claims: ["email": "ada@example.com", "email_verified": true])
        let first = try await signIn.begin(providerID: "mock", returnTo: "/")
        let answer = try await browser.authorize(first.authorizationURL, as: "sub-ada")
        guard case .signedIn = try await signIn.finish(providerID: "mock", code: answer.code, state: answer.state, browserKey: first.browserKey) else {
            Issue.record("expected a sign-in")
            return
        }
        // The same code replayed on a fresh, valid pending login: the provider says no.
        let second = try await signIn.begin(providerID: "mock", returnTo: "/")
        let secondState = try #require(URLComponents(string: second.authorizationURL)?.queryItems?.first { $0.name == "state" }?.value)
        let replay = try await signIn.finish(providerID: "mock", code: answer.code, state: secondState, browserKey: second.browserKey)
        guard case .failed(let error) = replay else {
            Issue.record("expected the provider to refuse a used code, got \(replay)")
            return
        }
        #expect(error.kind == .codeRefused)

        let down = OpenIDSignIn(
            providers: [OpenIDProvider(id: "down", name: "Down", issuer: "http://127.0.0.1:1", clientID: "c", clientSecret: "s")],
            accounts: fixture.accounts, store: store, baseURL: PortalFixture.baseURL, timeout: .seconds(5))
        do {
            _ = try await down.begin(providerID: "down", returnTo: nil)
            Issue.record("nothing listens on port 1: begin must fail")
        } catch let error as OpenIDError {
            #expect(error.kind == .providerUnreachable)
        }
    }

    @Test("Unlinking keeps a way to sign in: refused for the last provider of an account without password")
    func unlinkRules() async throws {
        let tenant = try await fixture.tenant()
        _ = try await fixture.accounts.invite("grace@example.com", tenantID: tenant.id, language: "fr", invitedBy: Inviter(name: "Test"))
        guard case .signedIn(_, let grace, _, _, _) = try await signInThroughProvider("sub-grace", email: "grace@example.com") else {
            Issue.record("expected a sign-in")
            return
        }
        #expect(try await signIn.unlink(userID: grace.id, providerID: "mock") == .lastWayToSignIn)
        #expect(try await signIn.linkedProviders(userID: grace.id).count == 1)
        #expect(try await signIn.unlink(userID: grace.id, providerID: "google") == .notLinked)

        let ada = try await fixture.activeUser("ada@example.com", tenant: tenant)
        _ = try await signInThroughProvider("sub-ada", email: "ada@example.com")
        #expect(try await signIn.unlink(userID: ada.id, providerID: "mock") == .unlinked)
        #expect(try await signIn.linkedProviders(userID: ada.id).isEmpty)
    }
}
