import Foundation
import JWTKit

/// The claims of an ID token that statusd reads (OpenID Connect Core 1.0, section 2 and 5.1).
public struct IDTokenClaims: JWTIdentityToken, Equatable {
    public var issuer: IssuerClaim
    public var subject: SubjectClaim
    public var audience: AudienceClaim
    public var expiration: ExpirationClaim
    public var issuedAt: IssuedAtClaim?
    public var nonce: String?
    /// `azp`: when present, the client the token was issued to.
    public var authorizedParty: String?
    public var email: String?
    /// Absent at some providers (Entra ID): then the provider vouches for the address by issuing it.
    public var emailVerified: BoolClaim?
    public var givenName: String?
    public var familyName: String?

    enum CodingKeys: String, CodingKey {
        case issuer = "iss", subject = "sub", audience = "aud", expiration = "exp", issuedAt = "iat", nonce
        case authorizedParty = "azp", email, emailVerified = "email_verified", givenName = "given_name", familyName = "family_name"
    }

    public init(issuer: String, subject: String, audience: [String], expiration: Date, issuedAt: Date? = nil, nonce: String?,
                authorizedParty: String? = nil, email: String? = nil, emailVerified: Bool? = nil,
                givenName: String? = nil, familyName: String? = nil) {
        self.issuer = IssuerClaim(value: issuer)
        self.subject = SubjectClaim(value: subject)
        self.audience = AudienceClaim(value: audience)
        self.expiration = ExpirationClaim(value: expiration)
        self.issuedAt = issuedAt.map { IssuedAtClaim(value: $0) }
        self.nonce = nonce
        self.authorizedParty = authorizedParty
        self.email = email
        self.emailVerified = emailVerified.map { BoolClaim(value: $0) }
        self.givenName = givenName
        self.familyName = familyName
    }

    /// Signature and audience are checked by `JWTKeyCollection`; the time-dependent checks are
    /// `IDTokenVerifier`'s, on its own clock.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Who the provider says signed in, once the ID token passed every check.
public struct VerifiedIdentity: Sendable, Hashable {
    /// The provider's stable id of the person (`sub`): what an identity link is keyed on.
    public var subject: String
    /// Lower-cased; nil when the token has none.
    public var email: String?
    /// False when the token says `email_verified: false`; nil when it does not say.
    public var emailVerified: Bool?
    public var givenName: String?
    public var familyName: String?

    /// An address that may open an account: present, and not marked unverified.
    public var usableEmail: String? {
        guard let email, !email.isEmpty, emailVerified != false else { return nil }
        return email
    }
}

/// Checks an ID token: signed by one of the provider's keys with an asymmetric algorithm,
/// `iss` the configured issuer, `aud` the client id (and no one else's), not expired, and
/// carrying the nonce of the login that asked for it.
public enum IDTokenVerifier {
    /// What the token must say.
    public struct Expectations: Sendable, Hashable {
        public var issuer: String
        public var clientID: String
        public var nonce: String

        public init(issuer: String, clientID: String, nonce: String) {
            self.issuer = issuer
            self.clientID = clientID
            self.nonce = nonce
        }
    }

    /// Asymmetric algorithms only: a shared-secret (HS256) or unsigned ("none") token is refused
    /// before any key is looked at.
    static let allowedAlgorithms: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]

    /// The token's `kid`, if any (read before verification, to pick or refresh the keys).
    public static func keyID(of token: String) -> String? {
        header(of: token)?.kid
    }

    public static func verify(_ token: String, keys: OpenIDKeys, expecting expected: Expectations,
                              now: Date) async throws(OpenIDError) -> VerifiedIdentity {
        guard let header = header(of: token) else { throw invalid("it is not a signed JWT") }
        guard let algorithm = header.alg, allowedAlgorithms.contains(algorithm) else {
            throw invalid("its algorithm \(header.alg ?? "(none)") is not an accepted signature algorithm")
        }
        if let keyID = header.kid {
            guard keys.keyIDs.contains(keyID) else { throw invalid("it names the key \"\(keyID)\", which the provider does not publish") }
        } else if keys.keyIDs.count != 1 {
            throw invalid("it names no key and the provider publishes several")
        }
        let claims: IDTokenClaims
        do {
            claims = try await keys.collection.verify(token, as: IDTokenClaims.self, expectedAudience: expected.clientID)
        } catch {
            throw invalid("its signature or audience does not verify (\(error))")
        }
        guard OpenIDProvider.trimmed(claims.issuer.value) == OpenIDProvider.trimmed(expected.issuer) else {
            throw invalid("it was issued by \"\(claims.issuer.value)\", not \"\(expected.issuer)\"")
        }
        if let party = claims.authorizedParty, party != expected.clientID {
            throw invalid("it was issued to the client \"\(party)\"")
        }
        guard claims.expiration.value > now else { throw invalid("it expired at \(claims.expiration.value)") }
        guard let nonce = claims.nonce, constantTimeEqual(nonce, expected.nonce) else {
            throw invalid("its nonce is not the one this login sent")
        }
        guard !claims.subject.value.isEmpty else { throw invalid("it has no subject") }
        return VerifiedIdentity(subject: claims.subject.value, email: claims.email.map(User.normalize),
                                emailVerified: claims.emailVerified?.value,
                                givenName: claims.givenName, familyName: claims.familyName)
    }

    private static func invalid(_ reason: String) -> OpenIDError {
        OpenIDError(.invalidToken, "ID token refused: \(reason)")
    }

    private struct Header: Decodable {
        var alg: String?
        var kid: String?
    }

    private static func header(of token: String) -> Header? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(String(parts[0])) else { return nil }
        return try? JSONDecoder().decode(Header.self, from: data)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// base64url without padding (RFC 4648 section 5), as JWTs and PKCE use it.
enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
