import Foundation
import GRDB
import Notify
import StatusModel

/// Notifications and the users' choices on SQLite. A notification and its mail are written
/// in one transaction: both or neither.
public struct SQLiteNotificationStore: NotificationStore {
    let writer: any DatabaseWriter

    public init(database: SQLiteDatabase) {
        writer = database.writer
    }

    /// The most notifications one read returns, whatever the caller asks.
    static let maxLimit = 200

    public func deliver(_ notification: PortalNotification?, mail: Mail?) async throws {
        _ = try await deliver(notification, mail: mail, once: nil)
    }

    public func unreadCount(userID: Int64) async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM portalNotification WHERE userID = ? AND readAt IS NULL", arguments: [userID]) ?? 0
        }
    }

    public func notifications(userID: Int64, limit: Int) async throws -> [PortalNotification] {
        let limit = min(max(limit, 1), Self.maxLimit)
        return try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM portalNotification WHERE userID = ? ORDER BY createdAt DESC, id DESC LIMIT ?",
                             arguments: [userID, limit]).compactMap { try PortalNotification(row: $0) }
        }
    }

    public func notification(id: Int64, userID: Int64) async throws -> PortalNotification? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM portalNotification WHERE id = ? AND userID = ?", arguments: [id, userID])
                .flatMap { try PortalNotification(row: $0) }
        }
    }

    public func markRead(id: Int64, userID: Int64, at: Date) async throws -> Bool {
        try await writer.write { db in
            // The user's own only; one already read keeps the time it was first read.
            try db.execute(sql: "UPDATE portalNotification SET readAt = coalesce(readAt, ?) WHERE id = ? AND userID = ?",
                           arguments: [at.timeIntervalSince1970, id, userID])
            return db.changesCount == 1
        }
    }

    public func markAllRead(userID: Int64, at: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE portalNotification SET readAt = ? WHERE userID = ? AND readAt IS NULL",
                           arguments: [at.timeIntervalSince1970, userID])
        }
    }

    public func deliveries(userID: Int64) async throws -> [PortalNotification.Kind: NotificationDelivery] {
        try await writer.read { db in
            var chosen: [PortalNotification.Kind: NotificationDelivery] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, delivery FROM notificationPreference WHERE userID = ?", arguments: [userID]) {
                guard let kind = PortalNotification.Kind(rawValue: try row.decode(String.self, forColumn: "kind")),
                      let delivery = NotificationDelivery(rawValue: try row.decode(String.self, forColumn: "delivery")) else { continue }
                chosen[kind] = delivery
            }
            return chosen
        }
    }

    public func setDelivery(_ delivery: NotificationDelivery, for kind: PortalNotification.Kind, userID: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO notificationPreference (userID, kind, delivery) VALUES (?, ?, ?)
                ON CONFLICT (userID, kind) DO UPDATE SET delivery = excluded.delivery
                """, arguments: [userID, kind.rawValue, delivery.rawValue])
        }
    }
}

extension SQLiteNotificationStore {
    public func deliver(_ notification: PortalNotification?, mail: Mail?, once key: String?) async throws -> Bool {
        try await writer.write { db in
            if let key {
                try db.execute(sql: "INSERT OR IGNORE INTO notificationOnce (key) VALUES (?)", arguments: [key])
                guard db.changesCount == 1 else { return false }
            }
            if let notification {
                try db.execute(sql: """
                    INSERT INTO portalNotification (userID, kind, title, body, link, createdAt, readAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [notification.userID, notification.kind.rawValue, notification.title, notification.body, notification.link,
                                     notification.createdAt.timeIntervalSince1970, notification.readAt?.timeIntervalSince1970])
            }
            if let mail { try Outbox.enqueue(mail, in: db, now: notification?.createdAt ?? Date()) }
            return true
        }
    }
}

extension SQLiteNotificationStore: StatusEventAudience {
    public func usersFollowing(productSlugs: [String]) async throws -> [User] {
        guard !productSlugs.isEmpty else { return [] }
        return try await writer.read { db in
            let marks = databaseQuestionMarks(count: productSlugs.count)
            // "Mes services": the user's own accepted subscriptions whose service covers one of
            // the products, whatever the tenant; each user once. Active accounts only.
            return try Row.fetchAll(db, sql: """
                SELECT * FROM user WHERE state = 'active' AND id IN (
                    SELECT sub.userID FROM serviceSubscription sub
                    JOIN serviceProduct sp ON sp.serviceID = sub.serviceID
                    JOIN membership m ON m.userID = sub.userID AND m.tenantID = sub.tenantID
                    WHERE sub.state = 'accepted' AND sp.productSlug IN (\(marks)))
                ORDER BY id
                """, arguments: StatementArguments(productSlugs)).map(User.init(row:))
        }
    }

    public func products(ofUser userID: Int64, among productSlugs: [String]) async throws -> [String] {
        guard !productSlugs.isEmpty else { return [] }
        return try await writer.read { db in
            let marks = databaseQuestionMarks(count: productSlugs.count)
            return try String.fetchAll(db, sql: """
                SELECT DISTINCT sp.productSlug FROM serviceSubscription sub
                JOIN serviceProduct sp ON sp.serviceID = sub.serviceID
                JOIN membership m ON m.userID = sub.userID AND m.tenantID = sub.tenantID
                WHERE sub.userID = ? AND sub.state = 'accepted' AND sp.productSlug IN (\(marks))
                ORDER BY sp.productSlug
                """, arguments: StatementArguments([userID]) + StatementArguments(productSlugs))
        }
    }

    public func statusEventCursor() async throws -> Int64 {
        try await writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT lastEventID FROM notificationJournalCursor WHERE name = 'statusEvents'") ?? 0
        }
    }

    public func moveStatusEventCursor(to eventID: Int64) async throws {
        try await writer.write { db in
            // Never backwards: two processes following the journal may finish out of order.
            try db.execute(sql: """
                INSERT INTO notificationJournalCursor (name, lastEventID) VALUES ('statusEvents', ?)
                ON CONFLICT (name) DO UPDATE SET lastEventID = max(lastEventID, excluded.lastEventID)
                """, arguments: [eventID])
        }
    }
}

extension PortalNotification {
    /// Decoded with `try` (a damaged row is an error, never a trap); nil for an unknown kind.
    init?(row: Row) throws {
        guard let kind = Kind(rawValue: try row.decode(String.self, forColumn: "kind")) else { return nil }
        let read = try row.decode(Double?.self, forColumn: "readAt")
        self.init(id: try row.decode(Int64.self, forColumn: "id"), userID: try row.decode(Int64.self, forColumn: "userID"), kind: kind,
                  title: try row.decode(String.self, forColumn: "title"), body: try row.decode(String.self, forColumn: "body"),
                  link: try row.decode(String?.self, forColumn: "link"),
                  createdAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "createdAt")),
                  readAt: read.map(Date.init(timeIntervalSince1970:)))
    }
}
