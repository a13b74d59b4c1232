import GRDB

/// The tables of the service catalog and its subscriptions (registered by `PortalMigrations`).
enum ServiceMigrations {
    static func createTables(_ db: Database) throws {
        try db.create(table: "service") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("name", .text).notNull().unique().collate(.nocase)
            t.column("family", .text).notNull()
            t.column("description", .text).notNull().defaults(to: "")
            t.column("isActive", .boolean).notNull().defaults(to: true)
        }
        try db.create(table: "serviceSubscription") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("tenantID", .integer).notNull().references("tenant", onDelete: .cascade)
            t.column("userID", .integer).notNull().references("user", onDelete: .cascade)
            t.column("serviceID", .integer).notNull().references("service", onDelete: .cascade).indexed()
            t.column("state", .text).notNull()
                .check(sql: "state IN ('pending', 'accepted', 'refused', 'suspended')")
            t.column("reason", .text).notNull().defaults(to: "")
            t.column("requestedAt", .double).notNull()
            t.column("decidedAt", .double)
        }
        try db.create(index: "serviceSubscription_byTenant", on: "serviceSubscription", columns: ["tenantID", "state"])
        try db.create(index: "serviceSubscription_byUser", on: "serviceSubscription", columns: ["userID", "tenantID"])
        // One live subscription per user, tenant and service: a second request while one is
        // pending, accepted or suspended is refused by the database too.
        try db.execute(sql: """
            CREATE UNIQUE INDEX serviceSubscription_live ON serviceSubscription (tenantID, userID, serviceID)
            WHERE state <> 'refused'
            """)
    }

    /// A service covers status products (by slug: products live in the status model's tables,
    /// and a product removed from the config keeps its ties until it comes back), and says
    /// whether a request waits for a tenant administrator.
    static func addProductsAndValidation(_ db: Database) throws {
        try db.alter(table: "service") { t in
            t.add(column: "needsValidation", .boolean).notNull().defaults(to: true)
        }
        try db.create(table: "serviceProduct") { t in
            t.column("serviceID", .integer).notNull().references("service", onDelete: .cascade)
            t.column("productSlug", .text).notNull().indexed()
            t.primaryKey(["serviceID", "productSlug"])
        }
    }
}
