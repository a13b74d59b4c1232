import Foundation
import JWTKit
@testable import Portal
import Synchronization
import Testing

/// A provider's documents as a test serves them: its discovery document and a JWKS the test
/// rotates, counting every fetch.
final class ServedDocuments: Sendable {
    static let issuer = "https://id.example.com"
    private let state = Mutex<(jwks: String, fetches: [String])>(("{\"keys\":[]}", []))

    var fetches: [String] { state.withLock { $0.fetches } }

    func publish(_ keys: [(kid: String, key: ES256PrivateKey)], extra: [String] = []) {
        let entries = keys.map { entry in
            let point = entry.key.publicKey.parameters
            return """
                {"kty":"EC","crv":"P-256","use":"sig","alg":"ES256","kid":"\(entry.kid)","x":"\(point?.x ?? "")","y":"\(point?.y ?? "")"}
                """
        }
        state.withLock { $0.jwks = "{\"keys\":[\((extra + entries).joined(separator: ","))]}" }
    }

    func fetch(_ url: String) throws(OpenIDError) -> [UInt8] {
        let jwks = state.withLock { state in
            state.fetches.append(url)
            return state.jwks
        }
        switch url {
        case "\(Self.issuer)/.well-known/openid-configuration":
            return Array("""
                {"issuer":"\(Self.issuer)","authorization_endpoint":"\(Self.issuer)/authorize",
                 "token_endpoint":"\(Self.issuer)/token","jwks_uri":"\(Self.issuer)/jwks"}
                """.utf8)
        case "\(Self.issuer)/jwks":
            return Array(jwks.utf8)
        default:
            throw OpenIDError(.providerUnreachable, "GET \(url): HTTP 404")
        }
    }
}

/// Discovery and keys are fetched once and kept; a token naming a new key fetches the JWKS
/// again, once.
@Suite("OpenID Connect: discovery and JWKS")
struct OpenIDDirectoryTests {
    let served = ServedDocuments()
    let provider = OpenIDProvider(id: "idp", name: "IdP", issuer: ServedDocuments.issuer, clientID: "c", clientSecret: "s")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func directory() -> OpenIDDirectory {
        let served = served
        let now = now
        return OpenIDDirectory(clock: { now }) { url throws(OpenIDError) in try served.fetch(url) }
    }

    func token(signedBy key: ES256PrivateKey, kid: String) async throws -> String {
        let signer = JWTKeyCollection()
        await signer.add(ecdsa: key, kid: JWKIdentifier(string: kid))
        return try await signer.sign(IDTokenClaims(issuer: ServedDocuments.issuer, subject: "s1", audience: ["c"],
                                                   expiration: now.addingTimeInterval(300), nonce: "n"),
                                     kid: JWKIdentifier(string: kid))
    }

    func verify(_ token: String, with directory: OpenIDDirectory) async throws -> VerifiedIdentity {
        let keys = try await directory.keys(for: provider, holding: IDTokenVerifier.keyID(of: token))
        return try await IDTokenVerifier.verify(token, keys: keys, expecting: .init(issuer: ServedDocuments.issuer, clientID: "c", nonce: "n"), now: now)
    }

    @Test("Discovery and keys are fetched once, then served from the cache")
    func cached() async throws {
        let key = ES256PrivateKey()
        served.publish([("k1", key)])
        let directory = directory()
        _ = try await directory.metadata(for: provider)
        _ = try await verify(try await token(signedBy: key, kid: "k1"), with: directory)
        _ = try await verify(try await token(signedBy: key, kid: "k1"), with: directory)
        #expect(served.fetches == ["\(ServedDocuments.issuer)/.well-known/openid-configuration", "\(ServedDocuments.issuer)/jwks"])
    }

    @Test("A token signed with a rotated-in key makes one fresh JWKS fetch, then verifies")
    func rotation() async throws {
        let old = ES256PrivateKey(), new = ES256PrivateKey()
        served.publish([("k1", old)])
        let directory = directory()
        _ = try await verify(try await token(signedBy: old, kid: "k1"), with: directory)
        served.publish([("k1", old), ("k2", new)])
        let identity = try await verify(try await token(signedBy: new, kid: "k2"), with: directory)
        #expect(identity.subject == "s1")
        #expect(served.fetches.filter { $0.hasSuffix("/jwks") }.count == 2)
        // A key nobody publishes: one more fetch, then refused.
        await #expect(throws: OpenIDError.self) { try await verify(try await token(signedBy: ES256PrivateKey(), kid: "k3"), with: directory) }
        #expect(served.fetches.filter { $0.hasSuffix("/jwks") }.count == 3)
    }

    @Test("Keys statusd cannot use (encryption, unknown types, no kid) are skipped, not fatal")
    func oddKeys() async throws {
        let key = ES256PrivateKey()
        served.publish([("k1", key)], extra: [
            #"{"kty":"oct","kid":"secret","k":"c2VjcmV0"}"#,
            #"{"kty":"AKP","kid":"pq","alg":"ML-DSA-65","pub":"AAAA"}"#,
            #"{"kty":"RSA","use":"enc","kid":"enc","n":"AQAB","e":"AQAB"}"#,
            #"{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}"#,
        ])
        let keys = try await directory().keys(for: provider)
        #expect(keys.keyIDs == ["k1"])
    }

    @Test("A JWKS with no usable key makes the provider misconfigured")
    func noUsableKey() async throws {
        served.publish([])
        await #expect(throws: OpenIDError(.providerMisconfigured, "the provider's JWKS has no usable signing key")) {
            try await directory().keys(for: provider)
        }
    }
}
