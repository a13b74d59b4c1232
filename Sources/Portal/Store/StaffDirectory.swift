import Foundation

/// The vendor's staff as a list, to choose who takes a ticket. Kept apart from `AccountStore`,
/// as staff keys are: a store without it lists nobody rather than failing.
public protocol StaffDirectory: Sendable {
    /// Active users with a staff role (agents and operators), by name then address.
    func staffUsers() async throws -> [User]
}

extension AccountService {
    /// The agents and operators a ticket can be given to; empty when the store keeps no directory.
    public func staffUsers() async throws -> [User] {
        guard let directory = store as? any StaffDirectory else { return [] }
        return try await directory.staffUsers()
    }

    /// Users by id, for naming contacts and agents in lists (the ids of one page); unknown ids are left out.
    public func users(ids: some Sequence<Int64>) async throws -> [Int64: User] {
        var found: [Int64: User] = [:]
        for id in Set(ids) {
            if let user = try await store.user(id: id) { found[id] = user }
        }
        return found
    }
}
