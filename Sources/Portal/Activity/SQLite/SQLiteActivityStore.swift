import Foundation
import GRDB
import StatusModel

/// The users' trails on SQLite: one row per entry, never updated.
public struct SQLiteActivityStore: ActivityStore {
    let writer: any DatabaseWriter

    public init(database: SQLiteDatabase) {
        writer = database.writer
    }

    /// The most entries one read returns, whatever the caller asks.
    static let maxLimit = 200

    public func record(_ entry: ActivityEntry) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO activityEntry (userID, tenantID, kind, subject, detail, link, at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [entry.userID, entry.tenantID, entry.kind.rawValue, entry.subject, entry.detail, entry.link,
                                 entry.at.timeIntervalSince1970])
        }
    }

    public func activity(userID: Int64, limit: Int, before: Date?) async throws -> [ActivityEntry] {
        let limit = min(max(limit, 1), Self.maxLimit)
        return try await writer.read { db in
            let rows: [Row]
            if let before {
                rows = try Row.fetchAll(db, sql: """
                    SELECT * FROM activityEntry WHERE userID = ? AND at < ? ORDER BY at DESC, id DESC LIMIT ?
                    """, arguments: [userID, before.timeIntervalSince1970, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM activityEntry WHERE userID = ? ORDER BY at DESC, id DESC LIMIT ?",
                                        arguments: [userID, limit])
            }
            // A kind this version does not know (written by a newer one) is left out, not a failure.
            return try rows.compactMap { try ActivityEntry(row: $0) }
        }
    }
}

extension ActivityEntry {
    /// Decoded with `try` (a damaged row is an error, never a trap); nil for an unknown kind.
    init?(row: Row) throws {
        guard let kind = Kind(rawValue: try row.decode(String.self, forColumn: "kind")) else { return nil }
        self.init(id: try row.decode(Int64.self, forColumn: "id"), userID: try row.decode(Int64.self, forColumn: "userID"),
                  tenantID: try row.decode(Int64?.self, forColumn: "tenantID"), kind: kind,
                  subject: try row.decode(String.self, forColumn: "subject"), detail: try row.decode(String.self, forColumn: "detail"),
                  link: try row.decode(String?.self, forColumn: "link"),
                  at: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "at")))
    }
}
