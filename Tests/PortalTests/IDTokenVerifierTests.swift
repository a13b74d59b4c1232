import Foundation
import JWTKit
import Portal
import Testing

/// ID tokens statusd signs itself with a test key: each broken claim is refused, and a good
/// token gives its subject and email.
@Suite("OpenID Connect: ID token verification")
struct IDTokenVerifierTests {
    static let issuer = "https://id.example.com"
    static let clientID = "statusd-portal"
    static let nonce = "nonce-of-this-login"
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let signingKey = ES256PrivateKey()

    /// The provider's published keys: the public half of `signingKey`, as kid "key-1".
    func publishedKeys() async -> OpenIDKeys {
        let collection = JWTKeyCollection()
        await collection.add(ecdsa: signingKey.publicKey, kid: "key-1")
        return OpenIDKeys(collection: collection, keyIDs: ["key-1"])
    }

    func claims(issuer: String = issuer, audience: [String] = [clientID], expiresIn: TimeInterval = 300,
                nonce: String? = nonce, email: String? = "Ada@Example.com", emailVerified: Bool? = true) -> IDTokenClaims {
        IDTokenClaims(issuer: issuer, subject: "248289761001", audience: audience, expiration: now.addingTimeInterval(expiresIn),
                      issuedAt: now, nonce: nonce, email: email, emailVerified: emailVerified, givenName: "Ada", familyName: "Lovelace")
    }

    func sign(_ claims: IDTokenClaims, with key: ES256PrivateKey? = nil, kid: String = "key-1") async throws -> String {
        let signer = JWTKeyCollection()
        await signer.add(ecdsa: key ?? signingKey, kid: JWKIdentifier(string: kid))
        return try await signer.sign(claims, kid: JWKIdentifier(string: kid))
    }

    func verify(_ token: String) async throws -> VerifiedIdentity {
        try await IDTokenVerifier.verify(token, keys: await publishedKeys(), expecting: .init(
            issuer: Self.issuer, clientID: Self.clientID, nonce: Self.nonce), now: now)
    }

    /// The reason a token is refused, or nil when it passes.
    func refusal(_ token: String) async -> OpenIDError? {
        do {
            _ = try await verify(token)
            return nil
        } catch let error as OpenIDError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test("A good token gives the subject, the lower-cased email and the names")
    func goodToken() async throws {
        let identity = try await verify(try await sign(claims()))
        #expect(identity.subject == "248289761001")
        #expect(identity.email == "ada@example.com")
        #expect(identity.usableEmail == "ada@example.com")
        #expect(identity.givenName == "Ada")
        #expect(identity.familyName == "Lovelace")
    }

    @Test("A token for another client is refused")
    func wrongAudience() async throws {
        let error = await refusal(try await sign(claims(audience: ["someone-else"])))
        #expect(error?.kind == .invalidToken)
        // Nor one that names us among others we do not trust.
        #expect(await refusal(try await sign(claims(audience: [Self.clientID, "someone-else"])))?.kind == .invalidToken)
    }

    @Test("A token carrying another login's nonce, or none, is refused")
    func wrongNonce() async throws {
        let error = await refusal(try await sign(claims(nonce: "another-login")))
        #expect(error?.kind == .invalidToken)
        #expect(error?.message.contains("nonce") == true)
        #expect(await refusal(try await sign(claims(nonce: nil)))?.kind == .invalidToken)
    }

    @Test("An expired token is refused")
    func expired() async throws {
        let error = await refusal(try await sign(claims(expiresIn: -1)))
        #expect(error?.kind == .invalidToken)
        #expect(error?.message.contains("expired") == true)
    }

    @Test("A token signed by another key under the same key id is refused")
    func badSignature() async throws {
        let error = await refusal(try await sign(claims(), with: ES256PrivateKey()))
        #expect(error?.kind == .invalidToken)
        #expect(error?.message.contains("signature") == true)
    }

    @Test("A token from another issuer is refused")
    func wrongIssuer() async throws {
        let error = await refusal(try await sign(claims(issuer: "https://evil.example.com")))
        #expect(error?.kind == .invalidToken)
        #expect(error?.message.contains("issued by") == true)
    }

    @Test("A token naming a key the provider does not publish is refused")
    func unknownKey() async throws {
        let error = await refusal(try await sign(claims(), kid: "key-2"))
        #expect(error?.message.contains("key-2") == true)
    }

    @Test("Unsigned and shared-secret tokens are refused before any key is tried")
    func weakAlgorithms() async throws {
        let payload = Data(try JSONEncoder().encode(claims())).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let none = "eyJhbGciOiJub25lIiwia2lkIjoia2V5LTEifQ.\(payload)."
        #expect(await refusal(none)?.message.contains("algorithm") == true)
        let hmac = JWTKeyCollection()
        await hmac.add(hmac: HMACKey(from: String(repeating: "s", count: 32)), digestAlgorithm: .sha256, kid: "key-1")
        let hs256 = try await hmac.sign(claims(), kid: "key-1")
        #expect(await refusal(hs256)?.message.contains("algorithm") == true)
    }

    @Test("An address the provider marks unverified is not usable to find an account")
    func unverifiedEmail() async throws {
        let identity = try await verify(try await sign(claims(emailVerified: false)))
        #expect(identity.usableEmail == nil)
        let unsaid = try await verify(try await sign(claims(emailVerified: nil)))
        #expect(unsaid.usableEmail == "ada@example.com")
    }
}
