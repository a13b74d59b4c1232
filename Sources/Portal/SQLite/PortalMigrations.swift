import GRDB
import StatusModel

/// The tables of Portal: tenants, users, memberships, tokens, sessions, login failures, groups, API
/// and staff keys, the service catalog, OpenID Connect identities and pending logins, the knowledge
/// base and support tickets.
public struct PortalMigrations: SQLiteMigrations {
    public init() {}

    public func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("portal.v1") { db in
            try db.create(table: "tenant") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("code", .text).notNull().unique()
                t.column("name", .text).notNull()
                t.column("address", .text).notNull().defaults(to: "")
            }
            try db.create(table: "user") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("email", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                t.column("firstName", .text).notNull().defaults(to: "")
                t.column("lastName", .text).notNull().defaults(to: "")
                t.column("phone", .text).notNull().defaults(to: "")
                t.column("language", .text).notNull().defaults(to: "fr")
                t.column("state", .text).notNull()
                t.column("staffRole", .text)
                t.column("passwordHash", .text)
                t.column("passwordChangedAt", .double)
                t.column("createdAt", .double).notNull()
            }
            try db.create(table: "membership") { t in
                t.column("userID", .integer).notNull().references("user", onDelete: .cascade)
                t.column("tenantID", .integer).notNull().references("tenant", onDelete: .cascade).indexed()
                t.column("role", .text).notNull()
                t.primaryKey(["userID", "tenantID"])
            }
            try db.create(table: "accountToken") { t in
                t.primaryKey("hash", .text)
                t.column("purpose", .text).notNull()
                t.column("userID", .integer).notNull().references("user", onDelete: .cascade).indexed()
                t.column("expiresAt", .double).notNull()
                t.column("usedAt", .double)
            }
            try db.create(table: "session") { t in
                t.primaryKey("idHash", .text)
                t.column("userID", .integer).notNull().references("user", onDelete: .cascade).indexed()
                t.column("tenantID", .integer).references("tenant", onDelete: .setNull)
                t.column("csrfToken", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.column("expiresAt", .double).notNull()
            }
            try db.create(table: "loginFailure") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("key", .text).notNull()
                t.column("at", .double).notNull()
            }
            try db.create(index: "loginFailure_byKey", on: "loginFailure", columns: ["key", "at"])
        }
        migrator.registerMigration("portal.v3.groups") { db in
            try db.create(table: "userGroup") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("tenantID", .integer).notNull().references("tenant", onDelete: .cascade).indexed()
                t.column("name", .text).notNull()
                t.uniqueKey(["tenantID", "name"])
            }
            try db.create(table: "groupMember") { t in
                t.column("groupID", .integer).notNull().references("userGroup", onDelete: .cascade)
                t.column("userID", .integer).notNull().references("user", onDelete: .cascade)
                t.primaryKey(["groupID", "userID"])
            }
        }
        migrator.registerMigration("portal.v2.apiKeys") { db in
            try db.create(table: "apiKey") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("tenantID", .integer).notNull().references("tenant", onDelete: .cascade).indexed()
                t.column("name", .text).notNull()
                t.column("hash", .text).notNull().unique()
                t.column("prefix", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.column("revokedAt", .double)
            }
        }
        // Operators' keys for the API's write routes: apart from tenants' keys, tied to the user who made them.
        migrator.registerMigration("portal.v4.staffKeys") { db in
            try db.create(table: "staffKey") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("userID", .integer).notNull().references("user", onDelete: .cascade).indexed()
                t.column("name", .text).notNull()
                t.column("hash", .text).notNull().unique()
                t.column("prefix", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.column("revokedAt", .double)
            }
        }
        migrator.registerMigration("portal.v5.services") { db in try ServiceMigrations.createTables(db) }
        // When each token was issued: "mot de passe oublié" sends one mail per address per ten
        // minutes. Tokens issued before have none, and count as old.
        migrator.registerMigration("portal.v6.tokenIssuedAt") { db in
            try db.alter(table: "accountToken") { t in t.add(column: "issuedAt", .double) }
        }
        migrator.registerMigration("portal.v7.openID") { db in try OpenIDMigrations.createTables(db) }
        migrator.registerMigration("portal.kb.v1") { db in try KnowledgeBaseMigrations.createTables(db) }
        migrator.registerMigration("portal.tickets.v1") { db in try TicketMigrations.createTables(db) }
        migrator.registerMigration("portal.services.v2.products") { db in try ServiceMigrations.addProductsAndValidation(db) }
        migrator.registerMigration("portal.activity.v1") { db in try ActivityMigrations.createTables(db) }
        migrator.registerMigration("portal.notifications.v1") { db in try NotificationMigrations.createTables(db) }
        migrator.registerMigration("portal.news.v1") { db in try NewsMigrations.createTables(db) }
        migrator.registerMigration("portal.admin.v1.requestMail") { db in try AdminSettingsMigrations.createTables(db) }
    }

    /// The knowledge base's and the tickets' search indexes need their tokenizer (and the KB its
    /// vocabulary, to spell out long prefixes) on every connection.
    public func prepare(_ db: Database) throws {
        try KnowledgeBaseMigrations.prepare(db)
    }
}
