import GRDB
import StatusModel

/// The tables of Notify: the outbox and the status subscriptions.
public struct NotifyMigrations: SQLiteMigrations {
    public init() {}

    public func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("notify.v1.outbox") { db in
            // Databases made while the portal was built against a stand-in of this module have
            // a smaller outboxMessage table: its mail is kept and the table rebuilt.
            let standIn = try db.tableExists("outboxMessage")
            if standIn { try db.rename(table: "outboxMessage", to: "outboxMessage_standIn") }
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
            if standIn {
                try db.execute(sql: """
                    INSERT INTO outboxMessage (id, recipient, payload, state, nextAttemptAt, createdAt)
                    SELECT id, recipient, payload, 'pending', createdAt, createdAt FROM outboxMessage_standIn
                    """)
                try db.drop(table: "outboxMessage_standIn")
            }
        }
        migrator.registerMigration("notify.v2.webhooks") { db in
            // Mail and webhook delivery each claim their own kind: with 10,000 mails due, the
            // webhook claim must not walk past them, nor the mail claim past webhooks.
            try db.execute(sql: "CREATE INDEX outboxMessage_dueByKind ON outboxMessage(kind, nextAttemptAt) WHERE state = 'pending'")
        }
        SubscriptionMigrations.register(in: &migrator)
    }
}
