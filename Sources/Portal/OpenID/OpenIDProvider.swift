import Foundation
import StatusModel

/// One OpenID Connect provider the portal signs people in with: Google, Entra ID, Keycloak...
public struct OpenIDProvider: Sendable, Hashable, Identifiable {
    /// The slug of the callback path, /login/oidc/{id}/callback.
    public var id: String
    /// The button's label: "Google".
    public var name: String
    /// As configured, without a trailing slash: discovery and every ID token must name it.
    public var issuer: String
    public var clientID: String
    public var clientSecret: String

    public init(id: String, name: String, issuer: String, clientID: String, clientSecret: String) {
        self.id = id
        self.name = name
        self.issuer = OpenIDProvider.trimmed(issuer)
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    /// The provider as `statusd.yaml` describes it (secret already read from the environment).
    public init(_ config: StatusConfig.SignInProvider) {
        self.init(id: config.id, name: config.name, issuer: config.issuer, clientID: config.clientID, clientSecret: config.clientSecret)
    }

    /// {issuer}/.well-known/openid-configuration.
    public var discoveryURL: String { "\(issuer)/.well-known/openid-configuration" }

    /// Issuers are compared without a trailing slash: "https://accounts.google.com/" is Google too.
    static func trimmed(_ issuer: String) -> String {
        issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
    }

    /// Whether `url` may be one of this provider's endpoints: https, or http on loopback when the
    /// issuer itself is served so (tests).
    func allowsEndpoint(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased(), !host.isEmpty else { return false }
        if scheme == "https" { return true }
        return scheme == "http" && issuer.lowercased().hasPrefix("http://") && Self.loopbackHosts.contains(host)
    }

    static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]
}

/// Why an OpenID Connect step failed, in words for the log; the web layer shows a generic message.
public struct OpenIDError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure, for the web layer to pick its message.
    public enum Kind: Sendable, Hashable {
        /// No provider with this id is configured.
        case unknownProvider
        /// The provider did not answer, or answered with an HTTP error.
        case providerUnreachable
        /// The provider's discovery document or keys are unusable (issuer mismatch, missing endpoint...).
        case providerMisconfigured
        /// The token endpoint refused the code (used twice, expired, wrong client secret...).
        case codeRefused
        /// The ID token failed verification: signature, issuer, audience, expiry or nonce.
        case invalidToken
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
