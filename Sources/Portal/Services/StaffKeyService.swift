import Foundation

/// Staff API keys: operators create them for scripts that declare incidents and maintenance.
extension AccountService {
    /// Staff keys start with their own mark, so a tenant key is never looked up as a staff key.
    static let staffKeyMark = "sdstaff_"

    /// The store of staff keys. The portal's stores keep them next to the accounts they hang
    /// on; a store without them refuses staff keys rather than failing later.
    private var staffKeyStore: any StaffKeyStore {
        get throws {
            guard let keys = store as? any StaffKeyStore else { throw StaffKeyError.unavailable }
            return keys
        }
    }

    /// Creates a key for an operator; the returned text is the only time anyone sees it.
    public func createStaffKey(userID: Int64, name: String) async throws -> (key: StaffKey, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 80 else { throw FormErrors("keyName", "error_required") }
        guard try await store.user(id: userID)?.staffRole == .operator_ else { throw StaffKeyError.notAnOperator }
        let secret = Self.staffKeyMark + Secrets.token()
        let key = try await staffKeyStore.createStaffKey(userID: userID, name: trimmed, hash: Secrets.hash(secret),
                                                         prefix: String(secret.prefix(Self.staffKeyMark.count + 6)), at: clock())
        return (key, secret)
    }

    public func staffKeys() async throws -> [StaffKey] {
        try await staffKeyStore.staffKeys()
    }

    /// Revokes a live staff key; an unknown or already revoked one is `StaffKeyError.unknownKey`.
    public func revokeStaffKey(id: Int64) async throws {
        guard try await staffKeyStore.revokeStaffKey(id: id, at: clock()) else { throw StaffKeyError.unknownKey }
    }

    /// The staff key behind an `Authorization: Bearer ...` value, if it is live and its
    /// creator is still an active operator.
    public func authenticateStaff(bearer: String) async throws -> StaffKey? {
        guard bearer.hasPrefix(Self.staffKeyMark) else { return nil }
        return try await staffKeyStore.operatorStaffKey(hash: Secrets.hash(bearer))
    }
}

/// Why a staff key action was refused.
public enum StaffKeyError: Error, Sendable, Equatable {
    /// The account store in use keeps no staff keys.
    case unavailable
    /// Only operators hold staff keys.
    case notAnOperator
    /// No live key has this id.
    case unknownKey
}
