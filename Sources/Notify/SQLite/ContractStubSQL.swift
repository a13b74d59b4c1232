// Temporary: the contract of the Notify module while its real implementation lands on the
// `notify` branch. Removed at the merge.
import Foundation
import GRDB
import StatusModel

/// The outbox table.
public struct NotifyMigrations: SQLiteMigrations {
    public init() {}

    public func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("notify.v1") { db in
            try db.create(table: "outboxMessage") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("recipient", .text).notNull()
                t.column("payload", .text).notNull()
                t.column("state", .text).notNull()
                t.column("createdAt", .double).notNull()
            }
        }
    }
}

/// Writes mails into the outbox inside the caller's transaction.
public enum Outbox {
    public static func enqueue(_ mail: Mail, in db: Database, now: Date) throws {
        let payload = String(decoding: try JSONEncoder().encode(mail), as: UTF8.self)
        try db.execute(sql: "INSERT INTO outboxMessage (recipient, payload, state, createdAt) VALUES (?, ?, 'pending', ?)",
                       arguments: [mail.to, payload, now.timeIntervalSince1970])
    }
}
