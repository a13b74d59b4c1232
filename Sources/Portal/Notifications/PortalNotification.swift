import Foundation
import Notify

/// Something that concerns one user, shown under the bell until they read it.
public struct PortalNotification: Sendable, Hashable, Identifiable {
    /// What it is about; the user chooses per kind how they hear of it.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// An administrator decided on one of the user's service requests.
        case serviceDecision
        /// An incident or maintenance on a product of the user's services.
        case statusEvent
        /// An agent answered, proposed a solution, or changed one of the user's tickets.
        case ticketUpdate

        /// How a user hears of it until they choose: decisions and tickets as before (mail
        /// and portal); status events in the portal only, since status subscriptions already mail them.
        public var defaultDelivery: NotificationDelivery {
            switch self {
            case .serviceDecision, .ticketUpdate: .both
            case .statusEvent: .portal
            }
        }
    }

    public var id: Int64
    public var userID: Int64
    public var kind: Kind
    /// In the user's language when it was written.
    public var title: String
    public var body: String
    /// A path of this site that shows the thing itself.
    public var link: String?
    public var createdAt: Date
    public var readAt: Date?

    public var isRead: Bool { readAt != nil }

    public init(id: Int64 = 0, userID: Int64, kind: Kind, title: String, body: String = "", link: String? = nil,
                createdAt: Date, readAt: Date? = nil) {
        self.id = id
        self.userID = userID
        self.kind = kind
        self.title = title
        self.body = body
        self.link = link
        self.createdAt = createdAt
        self.readAt = readAt
    }
}

/// How a user chose to hear of a kind of notification.
public enum NotificationDelivery: String, Sendable, Hashable, Codable, CaseIterable {
    case portal, mail, both

    public var inPortal: Bool { self != .mail }
    public var byMail: Bool { self != .portal }
}

/// Where notifications and the users' choices are kept.
public protocol NotificationStore: Sendable {
    /// Writes `notification` (when given) and queues `mail` (when given) in one transaction.
    func deliver(_ notification: PortalNotification?, mail: Mail?) async throws
    func unreadCount(userID: Int64) async throws -> Int
    /// The user's notifications, newest first.
    func notifications(userID: Int64, limit: Int) async throws -> [PortalNotification]
    /// Marks one of the user's notifications read; false when it is not theirs (nothing changed).
    func markRead(id: Int64, userID: Int64, at: Date) async throws -> Bool
    func markAllRead(userID: Int64, at: Date) async throws
    /// The user's choices; a kind they never chose is absent (its default applies).
    func deliveries(userID: Int64) async throws -> [PortalNotification.Kind: NotificationDelivery]
    func setDelivery(_ delivery: NotificationDelivery, for kind: PortalNotification.Kind, userID: Int64) async throws
    /// One of the user's notifications; nil for another user's.
    func notification(id: Int64, userID: Int64) async throws -> PortalNotification?
    /// As `deliver(_:mail:)`, unless `key` was delivered before: then nothing is written and the
    /// answer is false. What a follower of a journal needs, since it may read an event again
    /// after a crash; the key is kept in the same transaction.
    func deliver(_ notification: PortalNotification?, mail: Mail?, once key: String?) async throws -> Bool
}
