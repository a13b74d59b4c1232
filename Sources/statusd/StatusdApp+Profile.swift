import Foundation
import Logging
import Portal
import StatusModel

/// The profile's parts: the users' trail, the bell (notifications and the users' choices), and
/// the follower that turns status events on "Mes services" into notifications.
extension StatusdApp {
    static func activityLog(database: SQLiteDatabase) -> ActivityLog {
        ActivityLog(store: SQLiteActivityStore(database: database))
    }

    static func notifier(database: SQLiteDatabase) -> Notifier {
        Notifier(store: SQLiteNotificationStore(database: database))
    }

    /// One notification per user of a product for each incident and maintenance step on it.
    static func statusEventFollower(config: StatusConfig, database: SQLiteDatabase, store: SQLiteStatusStore,
                                    queued: @escaping @Sendable () -> Void, logger: Logger) -> StatusEventFollower {
        StatusEventFollower(events: store, audience: SQLiteNotificationStore(database: database), notifier: notifier(database: database),
                            baseURL: config.baseURL, siteName: config.branding.name,
                            productNames: {
                                // Hidden products are off the grid: their events are nobody's news.
                                Dictionary(try await store.products().filter { $0.visibility != .hidden }.map { ($0.slug, $0.name) }) { first, _ in first }
                            },
                            queued: queued, logger: logger)
    }
}
