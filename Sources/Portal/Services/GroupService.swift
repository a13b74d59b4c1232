import Foundation

/// Groups of a tenant's users, managed by its administrators.
extension AccountService {
    public func createGroup(tenantID: Int64, name: String) async throws -> UserGroup {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 80 else { throw FormErrors("groupName", "error_required") }
        guard try await !store.groups(tenantID: tenantID).contains(where: { $0.name.lowercased() == trimmed.lowercased() }) else {
            throw FormErrors("groupName", "group_exists")
        }
        return try await store.createGroup(tenantID: tenantID, name: trimmed)
    }

    public func groups(tenantID: Int64) async throws -> [UserGroup] {
        try await store.groups(tenantID: tenantID)
    }

    /// Puts a member in a group or takes them out; another tenant's group or user is `NotInTenant`.
    public func setGroupMember(groupID: Int64, userID: Int64, tenantID: Int64, member: Bool) async throws {
        guard try await store.setGroupMember(groupID: groupID, userID: userID, tenantID: tenantID, member: member) else { throw NotInTenant() }
    }
}
