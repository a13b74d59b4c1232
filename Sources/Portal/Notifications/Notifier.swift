import Foundation
import Notify

/// Tells a user about something that concerns them, the way they chose for its kind: a
/// notification under the bell, the mail (through the outbox), or both. One call, at most one
/// notification and one mail.
public struct Notifier: Sendable {
    let store: any NotificationStore
    let clock: @Sendable () -> Date

    public init(store: any NotificationStore, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    /// `mail` is the mail the event would send; it goes only if the user wants mail for `kind`.
    /// With `key`, at most once per key (a journal's follower): false when it was told before.
    @discardableResult
    public func notify(userID: Int64, kind: PortalNotification.Kind, title: String, body: String = "", link: String? = nil,
                       mail: Mail?, once key: String? = nil) async throws -> Bool {
        let delivery = try await delivery(for: kind, userID: userID)
        let notification = delivery.inPortal
            ? PortalNotification(userID: userID, kind: kind, title: title, body: body, link: link, createdAt: clock()) : nil
        let mail = delivery.byMail ? mail : nil
        guard let key else {
            try await store.deliver(notification, mail: mail)
            return true
        }
        return try await store.deliver(notification, mail: mail, once: key)
    }

    /// One of the user's notifications; nil when it is not theirs.
    public func notification(id: Int64, userID: Int64) async throws -> PortalNotification? {
        try await store.notification(id: id, userID: userID)
    }

    public func delivery(for kind: PortalNotification.Kind, userID: Int64) async throws -> NotificationDelivery {
        try await store.deliveries(userID: userID)[kind] ?? kind.defaultDelivery
    }

    public func unreadCount(userID: Int64) async throws -> Int { try await store.unreadCount(userID: userID) }
    public func notifications(userID: Int64, limit: Int = 50) async throws -> [PortalNotification] {
        try await store.notifications(userID: userID, limit: limit)
    }
    public func markRead(id: Int64, userID: Int64) async throws -> Bool { try await store.markRead(id: id, userID: userID, at: clock()) }
    public func markAllRead(userID: Int64) async throws { try await store.markAllRead(userID: userID, at: clock()) }
    public func deliveries(userID: Int64) async throws -> [PortalNotification.Kind: NotificationDelivery] {
        let chosen = try await store.deliveries(userID: userID)
        return Dictionary(uniqueKeysWithValues: PortalNotification.Kind.allCases.map { ($0, chosen[$0] ?? $0.defaultDelivery) })
    }
    public func setDelivery(_ delivery: NotificationDelivery, for kind: PortalNotification.Kind, userID: Int64) async throws {
        try await store.setDelivery(delivery, for: kind, userID: userID)
    }
}
