import Foundation
import Notify

/// Who hears of a status event on a product: the users whose own accepted services cover it
/// ("Mes services"), and where the follower of the status journal stands.
public protocol StatusEventAudience: Sendable {
    /// Each active user once, with an accepted subscription of their own to a service covering
    /// one of `productSlugs`.
    func usersFollowing(productSlugs: [String]) async throws -> [User]
    /// Those of `productSlugs` that one user's own accepted services cover.
    func products(ofUser userID: Int64, among productSlugs: [String]) async throws -> [String]
    func statusEventCursor() async throws -> Int64
    /// Moves the cursor forward (never back).
    func moveStatusEventCursor(to eventID: Int64) async throws
}

/// What a store that cannot do better does: stores written before these requirements (test
/// fakes) keep compiling; the SQLite store implements both properly.
extension NotificationStore {
    public func notification(id: Int64, userID: Int64) async throws -> PortalNotification? {
        try await notifications(userID: userID, limit: 200).first { $0.id == id }
    }

    public func deliver(_ notification: PortalNotification?, mail: Mail?, once key: String?) async throws -> Bool {
        try await deliver(notification, mail: mail)
        return true
    }
}
