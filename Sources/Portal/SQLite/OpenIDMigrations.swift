import GRDB

/// The tables of OpenID Connect sign-in (registered by `PortalMigrations`): identities linked
/// to accounts, and logins on their way to a provider and back.
enum OpenIDMigrations {
    static func createTables(_ db: Database) throws {
        try db.create(table: "userIdentity") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("userID", .integer).notNull().references("user", onDelete: .cascade).indexed()
            t.column("providerID", .text).notNull()
            t.column("subject", .text).notNull()
            t.column("email", .text).notNull().defaults(to: "")
            t.column("linkedAt", .double).notNull()
            // One provider account opens one statusd account.
            t.uniqueKey(["providerID", "subject"])
        }
        try db.create(table: "openIDLogin") { t in
            t.primaryKey("stateHash", .text)
            t.column("browserKeyHash", .text).notNull()
            t.column("providerID", .text).notNull()
            t.column("nonce", .text).notNull()
            t.column("codeVerifier", .text).notNull()
            t.column("returnTo", .text).notNull()
            t.column("expiresAt", .double).notNull().indexed()
        }
    }
}
