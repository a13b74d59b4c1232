import GRDB
import StatusModel

/// The tables of Notify: the outbox.
public struct NotifyMigrations: SQLiteMigrations {
    public init() {}

    public func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("notify.v1.outbox") { db in
            try db.create(table: "outboxMessage") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull().defaults(to: "email")
                t.column("recipient", .text).notNull()
                // The whole Mail as JSON: what to send is fixed when the change is made.
                t.column("payload", .text).notNull()
                t.column("state", .text).notNull().defaults(to: OutboxState.pending.rawValue)
                    .check(sql: "state IN ('pending', 'sent', 'dead')")
                t.column("attempts", .integer).notNull().defaults(to: 0)
                // Seconds since 1970, like StatusModel's times: due when it is not after now.
                t.column("nextAttemptAt", .double).notNull()
                t.column("lastError", .text)
                t.column("createdAt", .double).notNull()
                t.column("sentAt", .double)
                t.column("messageID", .text)
            }
            // What delivery polls every second: only pending rows, by due time.
            try db.execute(sql: "CREATE INDEX outboxMessage_due ON outboxMessage(nextAttemptAt) WHERE state = 'pending'")
            try db.create(index: "outboxMessage_byState", on: "outboxMessage", columns: ["state"])
        }
    }
}
