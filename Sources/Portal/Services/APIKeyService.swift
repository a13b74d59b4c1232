import Foundation

/// API keys of a tenant: created by its administrators, shown once, usable as bearer tokens.
extension AccountService {
    /// Creates a key; the returned text is the only time anyone sees it.
    public func createAPIKey(tenantID: Int64, name: String) async throws -> (key: APIKey, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 80 else { throw FormErrors("keyName", "error_required") }
        let secret = "sd_" + Secrets.token()
        let key = try await store.createAPIKey(tenantID: tenantID, name: trimmed, hash: Secrets.hash(secret),
                                               prefix: String(secret.prefix(10)), at: clock())
        return (key, secret)
    }

    public func apiKeys(tenantID: Int64) async throws -> [APIKey] {
        try await store.apiKeys(tenantID: tenantID)
    }

    /// Revokes a key of the tenant; another tenant's key is `NotInTenant`.
    public func revokeAPIKey(id: Int64, tenantID: Int64) async throws {
        guard try await store.revokeAPIKey(id: id, tenantID: tenantID, at: clock()) else { throw NotInTenant() }
    }

    /// The key behind an `Authorization: Bearer ...` value, if it is live.
    public func authenticate(bearer: String) async throws -> APIKey? {
        guard bearer.hasPrefix("sd_") else { return nil }
        return try await store.apiKey(hash: Secrets.hash(bearer))
    }
}
