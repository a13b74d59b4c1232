import Foundation
import Logging

/// Writes the trail for the services that cause it (sign-in, password, service requests,
/// tickets). A trail entry that cannot be written is logged and dropped: the action it
/// describes has happened and stands.
public struct ActivityLog: Sendable {
    let store: any ActivityStore
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(store: any ActivityStore, clock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "statusd.activity")) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    public func record(userID: Int64, tenantID: Int64? = nil, _ kind: ActivityEntry.Kind, subject: String = "", detail: String = "",
                       link: String? = nil) async {
        let entry = ActivityEntry(userID: userID, tenantID: tenantID, kind: kind, subject: subject, detail: detail, link: link, at: clock())
        do {
            try await store.record(entry)
        } catch {
            logger.error("activity entry not written", metadata: ["kind": "\(kind.rawValue)", "user": "\(userID)", "error": "\(error)"])
        }
    }

    public func activity(userID: Int64, limit: Int = 50, before: Date? = nil) async throws -> [ActivityEntry] {
        try await store.activity(userID: userID, limit: limit, before: before)
    }
}
