import GRDB

/// The table of the users' own trail ("Activités"), registered by `PortalMigrations`.
enum ActivityMigrations {
    static func createTables(_ db: Database) throws {
        try db.create(table: "activityEntry") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("userID", .integer).notNull().references("user", onDelete: .cascade)
            // A tenant removed later leaves the person's trail in place.
            t.column("tenantID", .integer).references("tenant", onDelete: .setNull)
            t.column("kind", .text).notNull()
            t.column("subject", .text).notNull().defaults(to: "")
            t.column("detail", .text).notNull().defaults(to: "")
            t.column("link", .text)
            t.column("at", .double).notNull()
        }
        // The page reads one user's newest entries, then pages on by date.
        try db.create(index: "activityEntry_byUser", on: "activityEntry", columns: ["userID", "at", "id"])
    }
}
