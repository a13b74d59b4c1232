import Curl
import Foundation
import JWTKit

/// What a provider's discovery document says about it (the parts statusd uses).
public struct OpenIDMetadata: Sendable, Hashable, Decodable {
    public var issuer: String
    public var authorizationEndpoint: String
    public var tokenEndpoint: String
    public var jwksURI: String
    /// nil when the provider does not say: client_secret_basic is then the default (OpenID Discovery 1.0).
    public var tokenEndpointAuthMethods: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case tokenEndpointAuthMethods = "token_endpoint_auth_methods_supported"
    }

    /// How the client secret goes to the token endpoint: basic unless only post is offered.
    var usesSecretPost: Bool {
        guard let methods = tokenEndpointAuthMethods else { return false }
        return !methods.contains("client_secret_basic") && methods.contains("client_secret_post")
    }
}

/// A provider's signing keys, from its JWKS, with the key ids they hold.
public struct OpenIDKeys: Sendable {
    public let collection: JWTKeyCollection
    public let keyIDs: Set<String>

    public init(collection: JWTKeyCollection, keyIDs: Set<String>) {
        self.collection = collection
        self.keyIDs = keyIDs
    }

    /// The keys of a JWKS document; keys statusd cannot use (encryption keys, unknown types,
    /// no `kid`) are left out rather than failing the whole set.
    public static func from(jwks json: [UInt8]) async throws(OpenIDError) -> OpenIDKeys {
        // Each key on its own: one key of a type jwt-kit does not know must not hide the others.
        guard let document = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
              let entries = document["keys"] as? [Any] else {
            throw OpenIDError(.providerMisconfigured, "the provider's JWKS is not a JSON Web Key Set")
        }
        let collection = JWTKeyCollection()
        var ids: Set<String> = []
        for entry in entries {
            guard let fields = entry as? [String: Any], (fields["use"] as? String ?? "sig") == "sig",
                  let data = try? JSONSerialization.data(withJSONObject: fields),
                  let key = try? JSONDecoder().decode(JWK.self, from: data),
                  let id = key.keyIdentifier?.string else { continue }
            do {
                try await collection.add(jwk: key)
                ids.insert(id)
            } catch {
                continue
            }
        }
        guard !ids.isEmpty else { throw OpenIDError(.providerMisconfigured, "the provider's JWKS has no usable signing key") }
        return OpenIDKeys(collection: collection, keyIDs: ids)
    }
}

/// GETs and form POSTs to providers, through our libcurl loop, each within `timeout`.
struct OpenIDHTTP: Sendable {
    let curl: CurlMulti
    let timeout: Duration

    /// The body of a 200 answer; anything else is `providerUnreachable`.
    func get(_ url: String) async throws(OpenIDError) -> [UInt8] {
        let response = await curl.perform(.get(url, timeout: timeout))
        guard response.succeeded else {
            throw OpenIDError(.providerUnreachable, "GET \(url): \(response.errorMessage) (curl \(response.code))")
        }
        guard response.status == 200 else { throw OpenIDError(.providerUnreachable, "GET \(url): HTTP \(response.status)") }
        return response.body
    }

    func postForm(_ url: String, fields: [(String, String)], headers: [String]) async -> CurlResponse {
        await curl.perform(.postForm(url, fields: fields, headers: headers, timeout: timeout))
    }
}

/// Discovery documents and JWKS of the configured providers, fetched on first use and kept
/// for `maxAge`; the JWKS is fetched again at once when a token names a key it does not hold
/// (providers rotate keys).
actor OpenIDDirectory {
    /// GETs a document: the body of a 200 answer.
    typealias Fetch = @Sendable (String) async throws(OpenIDError) -> [UInt8]

    private let fetch: Fetch
    private let maxAge: TimeInterval
    private let clock: @Sendable () -> Date
    private var metadata: [String: (value: OpenIDMetadata, fetchedAt: Date)] = [:]
    private var keys: [String: (value: OpenIDKeys, fetchedAt: Date)] = [:]

    init(http: OpenIDHTTP, maxAge: TimeInterval = 3600, clock: @escaping @Sendable () -> Date) {
        self.init(maxAge: maxAge, clock: clock) { url throws(OpenIDError) in try await http.get(url) }
    }

    init(maxAge: TimeInterval = 3600, clock: @escaping @Sendable () -> Date, fetch: @escaping Fetch) {
        self.fetch = fetch
        self.maxAge = maxAge
        self.clock = clock
    }

    /// The provider's discovery document, checked: it must name the configured issuer, and
    /// its endpoints must be https (http on loopback for tests).
    func metadata(for provider: OpenIDProvider) async throws(OpenIDError) -> OpenIDMetadata {
        if let cached = metadata[provider.id], clock().timeIntervalSince(cached.fetchedAt) < maxAge { return cached.value }
        let body = try await fetch(provider.discoveryURL)
        let document: OpenIDMetadata
        do {
            document = try JSONDecoder().decode(OpenIDMetadata.self, from: Data(body))
        } catch {
            throw OpenIDError(.providerMisconfigured, "\(provider.discoveryURL) is not a usable discovery document: \(error)")
        }
        guard OpenIDProvider.trimmed(document.issuer) == provider.issuer else {
            throw OpenIDError(.providerMisconfigured,
                              "\(provider.discoveryURL) names the issuer \"\(document.issuer)\", not the configured \"\(provider.issuer)\"")
        }
        for endpoint in [document.authorizationEndpoint, document.tokenEndpoint, document.jwksURI] where !provider.allowsEndpoint(endpoint) {
            throw OpenIDError(.providerMisconfigured, "\(provider.discoveryURL) gives an endpoint that is not https: \(endpoint)")
        }
        metadata[provider.id] = (document, clock())
        return document
    }

    /// The provider's keys; `refresh` fetches them again whatever their age.
    func keys(for provider: OpenIDProvider, refresh: Bool = false) async throws(OpenIDError) -> OpenIDKeys {
        if !refresh, let cached = keys[provider.id], clock().timeIntervalSince(cached.fetchedAt) < maxAge { return cached.value }
        let document = try await metadata(for: provider)
        let fetched = try await OpenIDKeys.from(jwks: try await fetch(document.jwksURI))
        keys[provider.id] = (fetched, clock())
        return fetched
    }

    /// The keys that hold `keyID`: the cached set, or a fresh one once when the cached set lacks it.
    func keys(for provider: OpenIDProvider, holding keyID: String?) async throws(OpenIDError) -> OpenIDKeys {
        let current = try await keys(for: provider)
        guard let keyID, !current.keyIDs.contains(keyID) else { return current }
        return try await keys(for: provider, refresh: true)
    }
}
