import GRDB

/// Notify's status subscriptions: who follows which products, and how far announcements went.
enum SubscriptionMigrations {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("notify.subscriptions.v1") { db in
            try db.create(table: "statusSubscription") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("channel", .text).notNull().check(sql: "channel IN ('email', 'webhook')")
                t.column("address", .text).notNull()
                t.column("userID", .integer)
                t.column("language", .text).notNull()
                // Space-separated product slugs; empty follows every product.
                t.column("productSlugs", .text).notNull().defaults(to: "")
                t.column("confirmationHash", .text).unique()
                t.column("confirmedAt", .double)
                t.column("createdAt", .double).notNull()
                t.column("webhookSecret", .text)
                t.uniqueKey(["channel", "address"])
            }
            try db.create(index: "statusSubscription_byUser", on: "statusSubscription", columns: ["userID"])
            // One row: the last status event turned into messages.
            try db.create(table: "announcementCursor") { t in
                t.primaryKey("id", .integer)
                t.column("eventID", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO announcementCursor (id, eventID) VALUES (1, 0)")
            try db.create(table: "notifySecret") { t in
                t.primaryKey("name", .text)
                t.column("value", .blob).notNull()
            }
        }
        migrator.registerMigration("notify.subscriptions.v2.requestMail") { db in
            // When an anonymous request last mailed the address: asking again and again within
            // a few minutes sends nothing more, so the form cannot be used to flood someone.
            try db.alter(table: "statusSubscription") { t in t.add(column: "lastRequestMailAt", .double) }
        }
    }
}
