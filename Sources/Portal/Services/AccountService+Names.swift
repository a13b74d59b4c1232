import Foundation

extension AccountService {
    /// The names users are shown under (a ticket's contact and assigned agent), by id; ids of
    /// nobody are left out. A name left empty shows as the address.
    public func shownNames(of ids: Set<Int64>) async throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        for id in ids {
            guard let user = try await store.user(id: id) else { continue }
            let name = user.displayName.trimmingCharacters(in: .whitespaces)
            names[id] = name.isEmpty ? user.email : name
        }
        return names
    }
}
