import Foundation

/// Where staff API keys live. Kept apart from `AccountStore` so tenant keys and staff keys
/// never share a table or a query.
public protocol StaffKeyStore: Sendable {
    func createStaffKey(userID: Int64, name: String, hash: String, prefix: String, at: Date) async throws -> StaffKey
    /// Every staff key, revoked ones included, newest first.
    func staffKeys() async throws -> [StaffKey]
    /// Revokes a live key; false when there is no such live key.
    func revokeStaffKey(id: Int64, at: Date) async throws -> Bool
    /// The live key with this hash whose creator is still an active operator.
    func operatorStaffKey(hash: String) async throws -> StaffKey?
}
