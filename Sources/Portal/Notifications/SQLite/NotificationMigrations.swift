import GRDB

/// The tables of the bell (registered by `PortalMigrations`): the notifications, each user's
/// choice per kind, the keys of what was told once, and how far the status-event follower read.
enum NotificationMigrations {
    static func createTables(_ db: Database) throws {
        try db.create(table: "portalNotification") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("userID", .integer).notNull().references("user", onDelete: .cascade)
            t.column("kind", .text).notNull()
            t.column("title", .text).notNull()
            t.column("body", .text).notNull().defaults(to: "")
            t.column("link", .text)
            t.column("createdAt", .double).notNull()
            t.column("readAt", .double)
        }
        try db.create(index: "portalNotification_byUser", on: "portalNotification", columns: ["userID", "createdAt", "id"])
        // The bell counts one user's unread ones on every signed-in page: a partial index keeps it to those.
        try db.execute(sql: "CREATE INDEX portalNotification_unread ON portalNotification (userID) WHERE readAt IS NULL")
        try db.create(table: "notificationPreference") { t in
            t.column("userID", .integer).notNull().references("user", onDelete: .cascade)
            t.column("kind", .text).notNull()
            t.column("delivery", .text).notNull().check(sql: "delivery IN ('portal', 'mail', 'both')")
            t.primaryKey(["userID", "kind"])
        }
        // An event told once per user whoever tells it again (a follower after a crash, two
        // processes): its key is written in the same transaction as the notification and mail.
        try db.create(table: "notificationOnce") { t in
            t.primaryKey("key", .text)
        }
        // How far the status-event follower has read the journal. It starts at the journal's
        // end: what happened before the bell existed is not news.
        try db.create(table: "notificationJournalCursor") { t in
            t.primaryKey("name", .text)
            t.column("lastEventID", .integer).notNull()
        }
        let journalEnd = try db.tableExists("statusEvent") ? try Int64.fetchOne(db, sql: "SELECT max(id) FROM statusEvent") ?? 0 : 0
        try db.execute(sql: "INSERT INTO notificationJournalCursor (name, lastEventID) VALUES ('statusEvents', ?)", arguments: [journalEnd])
    }
}
