import Foundation
import GRDB
import Notify
import Portal
import StatusModel
import Testing

/// A damaged row (a NULL, or a value of another type, which SQLite accepts) fails the read that
/// meets it with a thrown error: GRDB's `row["column"]` would have trapped and stopped the whole
/// process, so none of these tests could pass if a store still read that way.
@Suite struct PortalDamagedRowTests {
    /// Portal's stores on a WAL database file, removed when the test is done.
    final class Files: Sendable {
        let database: SQLiteDatabase
        let accounts: SQLiteAccountStore
        let services: SQLiteServiceStore
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        private let folder: URL

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-portal-\(UUID().uuidString)")
            database = try SQLiteDatabase.open(path: folder.appendingPathComponent("db.sqlite").path,
                                               migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()])
            accounts = SQLiteAccountStore(database: database)
            services = SQLiteServiceStore(database: database)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func execute(_ sql: String, _ arguments: StatementArguments = []) async throws {
            try await database.writer.write { db in try db.execute(sql: sql, arguments: arguments) }
        }

        /// Lifts the NOT NULL constraints of `table`, as in a file edited by hand or by an older
        /// tool, so that SQLite accepts the NULLs the store must survive.
        func allowNulls(in table: String) async throws {
            try await database.writer.writeWithoutTransaction { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
                try db.execute(sql: "PRAGMA writable_schema = ON")
                try db.execute(sql: "UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', '') WHERE type = 'table' AND name = ?",
                               arguments: [table])
                // A new schema version makes every connection of the pool read the changed schema.
                try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
                try db.execute(sql: "PRAGMA writable_schema = OFF")
            }
        }

        /// A user created through the store, as an invitation does.
        func user(_ email: String, tenantID: Int64?, staffRole: User.StaffRole? = nil) async throws -> User {
            let user = User(email: email, state: .active, staffRole: staffRole, createdAt: now)
            let mail = Mail(to: email, subject: "Invitation", text: "Welcome", language: "fr")
            return try #require(try await accounts.createInvitedUser(user, tenantID: tenantID, role: .admin, tokenHash: "hash-\(email)",
                                                                     tokenExpiresAt: now.addingTimeInterval(3600), mail: mail, now: now))
        }
    }

    @Test func aDamagedTenantFailsTheTenantReadsAndLeavesTheOtherTenantReadable() async throws {
        let files = try Files(), store = files.accounts
        let first = try await store.createTenant(Tenant(code: "90266482", name: "Client A"))
        let second = try await store.createTenant(Tenant(code: "90266483", name: "Client B"))
        let user = try await files.user("ada@example.org", tenantID: second.id)
        try await files.allowNulls(in: "tenant")

        try await files.execute("UPDATE tenant SET name = NULL WHERE id = ?", [second.id])
        await #expect(throws: (any Error).self) { try await store.tenants() }
        await #expect(throws: (any Error).self) { try await store.tenant(id: second.id) }
        await #expect(throws: (any Error).self) { try await store.tenant(code: second.code) }
        await #expect(throws: (any Error).self) { try await store.memberships(userID: user.id) }
        #expect(try await store.tenant(id: first.id) == first)

        try await files.execute("UPDATE tenant SET name = 'Client B' WHERE id = ?", [second.id])
        #expect(try await store.tenants() == [first, second])
        #expect(try await store.memberships(userID: user.id).map(\.tenant) == [second])
    }

    @Test func aDamagedUserOrSessionFailsItsReadsAndLeavesTheOthersReadable() async throws {
        let files = try Files(), store = files.accounts
        let tenant = try await store.createTenant(Tenant(code: "90266482", name: "Client A"))
        let ada = try await files.user("ada@example.org", tenantID: tenant.id)
        let bob = try await files.user("bob@example.org", tenantID: tenant.id)

        try await files.execute("UPDATE user SET createdAt = 'abc' WHERE id = ?", [bob.id])
        await #expect(throws: (any Error).self) { try await store.user(id: bob.id) }
        await #expect(throws: (any Error).self) { try await store.user(email: bob.email) }
        await #expect(throws: (any Error).self) { try await store.members(tenantID: tenant.id) }
        await #expect(throws: (any Error).self) {
            try await store.tokenUser(tokenHash: "hash-bob@example.org", purpose: .activation, now: files.now)
        }
        #expect(try await store.user(id: ada.id) == ada)
        // An optional column with a value of another type fails too: it is not read as "no role".
        try await files.execute("UPDATE user SET createdAt = ?, staffRole = X'FF' WHERE id = ?", [files.now.timeIntervalSince1970, bob.id])
        await #expect(throws: (any Error).self) { try await store.user(id: bob.id) }
        try await files.execute("UPDATE user SET staffRole = NULL WHERE id = ?", [bob.id])
        #expect(try await store.members(tenantID: tenant.id).map(\.user) == [ada, bob])

        let expires = files.now.addingTimeInterval(3600)
        try await store.createSession(idHash: "s-ada", Session(userID: ada.id, tenantID: tenant.id, csrfToken: "c1", createdAt: files.now, expiresAt: expires))
        try await store.createSession(idHash: "s-bob", Session(userID: bob.id, tenantID: nil, csrfToken: "c2", createdAt: files.now, expiresAt: expires))
        try await files.execute("UPDATE session SET createdAt = 'abc' WHERE idHash = 's-bob'")
        await #expect(throws: (any Error).self) { try await store.session(idHash: "s-bob", now: files.now) }
        #expect(try await store.session(idHash: "s-ada", now: files.now)?.csrfToken == "c1")
        try await files.execute("UPDATE session SET createdAt = ? WHERE idHash = 's-bob'", [files.now.timeIntervalSince1970])
        #expect(try await store.session(idHash: "s-bob", now: files.now)?.userID == bob.id)

        _ = try await store.createAPIKey(tenantID: tenant.id, name: "ci", hash: "k1", prefix: "sd_1", at: files.now)
        _ = try await store.createAPIKey(tenantID: tenant.id, name: "deploy", hash: "k2", prefix: "sd_2", at: files.now)
        try await files.execute("UPDATE apiKey SET revokedAt = 'abc' WHERE hash = 'k2'")
        await #expect(throws: (any Error).self) { try await store.apiKeys(tenantID: tenant.id) }
        #expect(try await store.apiKey(hash: "k1")?.name == "ci")
        try await files.execute("UPDATE apiKey SET revokedAt = NULL WHERE hash = 'k2'")
        #expect(try await store.apiKeys(tenantID: tenant.id).count == 2)
    }

    @Test func aDamagedStaffKeyFailsTheStaffKeyReadsAndLeavesTheOtherKeyWorking() async throws {
        let files = try Files(), store = files.accounts
        let staff = try await files.user("ops@vendor.fr", tenantID: nil, staffRole: .operator_)
        let good = try await store.createStaffKey(userID: staff.id, name: "deploy", hash: "h1", prefix: "sdstaff_1", at: files.now)
        _ = try await store.createStaffKey(userID: staff.id, name: "backup", hash: "h2", prefix: "sdstaff_2", at: files.now)

        try await files.execute("UPDATE staffKey SET createdAt = 'abc' WHERE hash = 'h2'")
        await #expect(throws: (any Error).self) { try await store.staffKeys() }
        await #expect(throws: (any Error).self) { try await store.operatorStaffKey(hash: "h2") }
        #expect(try await store.operatorStaffKey(hash: "h1") == good)

        try await files.execute("UPDATE staffKey SET createdAt = ? WHERE hash = 'h2'", [files.now.timeIntervalSince1970])
        #expect(try await store.staffKeys().count == 2)
    }

    @Test func aDamagedServiceOrSubscriptionFailsItsReadsAndLeavesTheOthersReadable() async throws {
        let files = try Files(), store = files.services
        let portal = try await store.createService(Service(name: "Accès au portail", family: "Services en ligne"))
        let stream = try await store.createService(Service(name: "Cegid Stream", family: "Services en ligne"))

        try await files.execute("UPDATE service SET isActive = 'abc' WHERE id = ?", [stream.id])
        await #expect(throws: (any Error).self) { try await store.services() }
        await #expect(throws: (any Error).self) { try await store.service(id: stream.id) }
        await #expect(throws: (any Error).self) { try await store.service(named: "cegid stream") }
        #expect(try await store.service(id: portal.id) == portal)
        try await files.execute("UPDATE service SET isActive = 1 WHERE id = ?", [stream.id])
        #expect(try await store.services() == [portal, stream])

        let tenant = try await files.accounts.createTenant(Tenant(code: "90266482", name: "Client A"))
        let ada = try await files.user("ada@example.org", tenantID: tenant.id)
        let asked = try #require(try await store.requestSubscription(
            ServiceSubscription(tenantID: tenant.id, userID: ada.id, serviceID: stream.id, requestedAt: files.now)))
        try await files.execute("UPDATE serviceSubscription SET requestedAt = 'abc' WHERE id = ?", [asked.id])
        await #expect(throws: (any Error).self) { try await store.subscriptions(userID: ada.id, tenantID: tenant.id) }
        await #expect(throws: (any Error).self) { try await store.requests(tenantID: tenant.id) }
        await #expect(throws: (any Error).self) { try await store.request(id: asked.id, tenantID: tenant.id) }
        try await files.execute("UPDATE serviceSubscription SET requestedAt = ? WHERE id = ?", [files.now.timeIntervalSince1970, asked.id])
        #expect(try await store.subscriptions(userID: ada.id, tenantID: tenant.id) == [asked])
        #expect(try await store.request(id: asked.id, tenantID: tenant.id)?.service == stream)
    }
}
