import Foundation
import GRDB
import Notify
import StatusModel

/// Portal's store on SQLite. Mails go into the outbox in the same transaction as the change.
public struct SQLiteAccountStore: AccountStore {
    let writer: any DatabaseWriter

    public init(database: SQLiteDatabase) {
        writer = database.writer
    }

    public func createTenant(_ tenant: Tenant) async throws -> Tenant {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO tenant (code, name, address) VALUES (?, ?, ?)",
                           arguments: [tenant.code, tenant.name, tenant.address])
            var created = tenant
            created.id = db.lastInsertedRowID
            return created
        }
    }

    public func tenant(code: String) async throws -> Tenant? {
        try await writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM tenant WHERE code = ?", arguments: [code]).map(Tenant.init(row:)) }
    }

    public func tenant(id: Int64) async throws -> Tenant? {
        try await writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM tenant WHERE id = ?", arguments: [id]).map(Tenant.init(row:)) }
    }

    public func tenants() async throws -> [Tenant] {
        try await writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM tenant ORDER BY name").map(Tenant.init(row:)) }
    }

    public func memberships(userID: Int64) async throws -> [(tenant: Tenant, role: Membership.Role)] {
        try await writer.read { db in try Self.memberships(db, userID: userID) }
    }

    public func members(tenantID: Int64) async throws -> [(user: User, role: Membership.Role)] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT user.*, membership.role FROM membership JOIN user ON user.id = membership.userID
                WHERE membership.tenantID = ? ORDER BY user.email
                """, arguments: [tenantID]).map {
                    (try User(row: $0), Membership.Role(rawValue: try $0.decode(String.self, forColumn: "role")) ?? .member)
                }
        }
    }

    public func setRole(userID: Int64, tenantID: Int64, role: Membership.Role) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "UPDATE membership SET role = ? WHERE userID = ? AND tenantID = ?", arguments: [role.rawValue, userID, tenantID])
            return try Self.keepsAnAdmin(db, tenantID: tenantID)
        }
    }

    public func removeMember(userID: Int64, tenantID: Int64) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM membership WHERE userID = ? AND tenantID = ?", arguments: [userID, tenantID])
            try db.execute(sql: "DELETE FROM groupMember WHERE userID = ? AND groupID IN (SELECT id FROM userGroup WHERE tenantID = ?)",
                           arguments: [userID, tenantID])
            return try Self.keepsAnAdmin(db, tenantID: tenantID)
        }
    }

    /// Throws to roll the change back when the tenant would be left without an administrator.
    private static func keepsAnAdmin(_ db: Database, tenantID: Int64) throws -> Bool {
        let admins = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM membership WHERE tenantID = ? AND role = 'admin'", arguments: [tenantID]) ?? 0
        if admins == 0 { throw LastAdministrator() }
        return true
    }

    public func setSessionTenant(idHash: String, tenantID: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE session SET tenantID = ? WHERE idHash = ?", arguments: [tenantID, idHash])
        }
    }

    public func user(id: Int64) async throws -> User? {
        try await writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [id]).map(User.init(row:)) }
    }

    public func user(email: String) async throws -> User? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM user WHERE email = ?", arguments: [User.normalize(email)]).map(User.init(row:))
        }
    }

    public func passwordHash(userID: Int64) async throws -> String? {
        try await writer.read { db in try String.fetchOne(db, sql: "SELECT passwordHash FROM user WHERE id = ?", arguments: [userID]) }
    }

    public func createInvitedUser(_ user: User, tenantID: Int64?, role: Membership.Role, tokenHash: String,
                                  tokenExpiresAt: Date, mail: Mail, now: Date) async throws -> User? {
        try await writer.write { db in
            let taken = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM user WHERE email = ?)", arguments: [user.email]) ?? false
            guard !taken else { return nil }
            try db.execute(sql: """
                INSERT INTO user (email, firstName, lastName, phone, language, state, staffRole, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [user.email, user.firstName, user.lastName, user.phone, user.language, user.state.rawValue,
                                 user.staffRole?.rawValue, user.createdAt.timeIntervalSince1970])
            var created = user
            created.id = db.lastInsertedRowID
            if let tenantID {
                try db.execute(sql: "INSERT INTO membership (userID, tenantID, role) VALUES (?, ?, ?)",
                               arguments: [created.id, tenantID, role.rawValue])
            }
            try Self.insertToken(db, userID: created.id, purpose: .activation, hash: tokenHash, expiresAt: tokenExpiresAt, now: now)
            try Outbox.enqueue(mail, in: db, now: now)
            return created
        }
    }

    public func addMember(userID: Int64, tenantID: Int64, role: Membership.Role, activation: NewToken?, mail: Mail, now: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO membership (userID, tenantID, role) VALUES (?, ?, ?)",
                           arguments: [userID, tenantID, role.rawValue])
            guard db.changesCount == 1 else { return false }
            if let activation {
                try Self.replaceOpenTokens(db, userID: userID, purpose: .activation, hash: activation.hash, expiresAt: activation.expiresAt, now: now)
            }
            try Outbox.enqueue(mail, in: db, now: now)
            return true
        }
    }

    public func issueToken(userID: Int64, purpose: TokenPurpose, tokenHash: String, expiresAt: Date, mail: Mail, now: Date) async throws {
        try await writer.write { db in
            try Self.replaceOpenTokens(db, userID: userID, purpose: purpose, hash: tokenHash, expiresAt: expiresAt, now: now)
            try Outbox.enqueue(mail, in: db, now: now)
        }
    }

    public func issueToken(userID: Int64, purpose: TokenPurpose, tokenHash: String, expiresAt: Date, mail: Mail, now: Date,
                           unlessIssuedSince since: Date) async throws -> Bool {
        try await writer.write { db in
            let recent = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM accountToken WHERE userID = ? AND purpose = ? AND issuedAt >= ?)
                """, arguments: [userID, purpose.rawValue, since.timeIntervalSince1970]) ?? false
            guard !recent else { return false }
            try Self.replaceOpenTokens(db, userID: userID, purpose: purpose, hash: tokenHash, expiresAt: expiresAt, now: now)
            try Outbox.enqueue(mail, in: db, now: now)
            return true
        }
    }

    private static func replaceOpenTokens(_ db: Database, userID: Int64, purpose: TokenPurpose, hash: String, expiresAt: Date, now: Date) throws {
        try db.execute(sql: "DELETE FROM accountToken WHERE userID = ? AND purpose = ? AND usedAt IS NULL",
                       arguments: [userID, purpose.rawValue])
        try insertToken(db, userID: userID, purpose: purpose, hash: hash, expiresAt: expiresAt, now: now)
    }

    private static func insertToken(_ db: Database, userID: Int64, purpose: TokenPurpose, hash: String, expiresAt: Date, now: Date) throws {
        try db.execute(sql: "INSERT INTO accountToken (hash, purpose, userID, expiresAt, issuedAt) VALUES (?, ?, ?, ?, ?)",
                       arguments: [hash, purpose.rawValue, userID, expiresAt.timeIntervalSince1970, now.timeIntervalSince1970])
    }

    public func tokenUser(tokenHash: String, purpose: TokenPurpose, now: Date) async throws -> User? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT user.* FROM accountToken JOIN user ON user.id = accountToken.userID
                WHERE accountToken.hash = ? AND accountToken.purpose = ? AND accountToken.usedAt IS NULL AND accountToken.expiresAt > ?
                """, arguments: [tokenHash, purpose.rawValue, now.timeIntervalSince1970]).map(User.init(row:))
        }
    }

    public func consumeToken(tokenHash: String, purpose: TokenPurpose, now: Date, update: User, passwordHash: String) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE accountToken SET usedAt = ? WHERE hash = ? AND purpose = ? AND usedAt IS NULL AND expiresAt > ? AND userID = ?
                """, arguments: [now.timeIntervalSince1970, tokenHash, purpose.rawValue, now.timeIntervalSince1970, update.id])
            guard db.changesCount == 1 else { return false }
            try db.execute(sql: """
                UPDATE user SET firstName = ?, lastName = ?, phone = ?, language = ?, state = ?, passwordHash = ?, passwordChangedAt = ?
                WHERE id = ?
                """, arguments: [update.firstName, update.lastName, update.phone, update.language, update.state.rawValue,
                                 passwordHash, now.timeIntervalSince1970, update.id])
            return true
        }
    }

    public func setPassword(userID: Int64, passwordHash: String, at: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE user SET passwordHash = ?, passwordChangedAt = ? WHERE id = ?",
                           arguments: [passwordHash, at.timeIntervalSince1970, userID])
        }
    }

    public func createSession(idHash: String, _ session: Session) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO session (idHash, userID, tenantID, csrfToken, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [idHash, session.userID, session.tenantID, session.csrfToken,
                                 session.createdAt.timeIntervalSince1970, session.expiresAt.timeIntervalSince1970])
        }
    }

    public func session(idHash: String, now: Date) async throws -> Session? {
        try await writer.read { db in try Self.session(db, idHash: idHash, now: now) }
    }

    public func deleteSession(idHash: String) async throws {
        try await writer.write { db in try db.execute(sql: "DELETE FROM session WHERE idHash = ?", arguments: [idHash]) }
    }

    public func deleteSessions(userID: Int64, except idHash: String?) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE userID = ? AND idHash IS NOT ?", arguments: [userID, idHash])
        }
    }

    public func createGroup(tenantID: Int64, name: String) async throws -> UserGroup {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO userGroup (tenantID, name) VALUES (?, ?)", arguments: [tenantID, name])
            return UserGroup(id: db.lastInsertedRowID, tenantID: tenantID, name: name)
        }
    }

    public func groups(tenantID: Int64) async throws -> [UserGroup] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM userGroup WHERE tenantID = ? ORDER BY name", arguments: [tenantID]).map { row in
                let id = try row.decode(Int64.self, forColumn: "id")
                return UserGroup(id: id, tenantID: try row.decode(Int64.self, forColumn: "tenantID"),
                                 name: try row.decode(String.self, forColumn: "name"),
                                 memberIDs: try Int64.fetchAll(db, sql: "SELECT userID FROM groupMember WHERE groupID = ?", arguments: [id]))
            }
        }
    }

    public func setGroupMember(groupID: Int64, userID: Int64, tenantID: Int64, member: Bool) async throws -> Bool {
        try await writer.write { db in
            // Both the group and the user must be the tenant's: checked in the same transaction.
            let owned = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM userGroup WHERE id = ? AND tenantID = ?)
                   AND EXISTS (SELECT 1 FROM membership WHERE userID = ? AND tenantID = ?)
                """, arguments: [groupID, tenantID, userID, tenantID]) ?? false
            guard owned else { return false }
            if member {
                try db.execute(sql: "INSERT OR IGNORE INTO groupMember (groupID, userID) VALUES (?, ?)", arguments: [groupID, userID])
            } else {
                try db.execute(sql: "DELETE FROM groupMember WHERE groupID = ? AND userID = ?", arguments: [groupID, userID])
            }
            return true
        }
    }

    public func createAPIKey(tenantID: Int64, name: String, hash: String, prefix: String, at: Date) async throws -> APIKey {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO apiKey (tenantID, name, hash, prefix, createdAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [tenantID, name, hash, prefix, at.timeIntervalSince1970])
            return APIKey(id: db.lastInsertedRowID, tenantID: tenantID, name: name, prefix: prefix, createdAt: at)
        }
    }

    public func apiKeys(tenantID: Int64) async throws -> [APIKey] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM apiKey WHERE tenantID = ? ORDER BY createdAt DESC", arguments: [tenantID]).map(APIKey.init(row:))
        }
    }

    public func revokeAPIKey(id: Int64, tenantID: Int64, at: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "UPDATE apiKey SET revokedAt = ? WHERE id = ? AND tenantID = ? AND revokedAt IS NULL",
                           arguments: [at.timeIntervalSince1970, id, tenantID])
            return db.changesCount == 1
        }
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM apiKey WHERE hash = ? AND revokedAt IS NULL", arguments: [hash]).map(APIKey.init(row:))
        }
    }

    public func recordLoginFailure(keys: [String], at: Date) async throws {
        try await writer.write { db in
            for key in keys {
                try db.execute(sql: "INSERT INTO loginFailure (key, at) VALUES (?, ?)", arguments: [key, at.timeIntervalSince1970])
            }
            // Old failures say nothing any more.
            try db.execute(sql: "DELETE FROM loginFailure WHERE at < ?", arguments: [at.timeIntervalSince1970 - 86_400])
        }
    }

    public func clearLoginFailures(key: String) async throws {
        try await writer.write { db in try db.execute(sql: "DELETE FROM loginFailure WHERE key = ?", arguments: [key]) }
    }

    public func loginFailures(key: String, since: Date) async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM loginFailure WHERE key = ? AND at >= ?",
                             arguments: [key, since.timeIntervalSince1970]) ?? 0
        }
    }
}

// Columns are decoded with `try`, never read with `row["column"]`: GRDB's subscript traps on a
// NULL or a value of another type, and one damaged row would stop the whole server. A thrown
// error fails only the request that met the row.

extension Tenant {
    init(row: Row) throws {
        self.init(id: try row.decode(Int64.self, forColumn: "id"), code: try row.decode(String.self, forColumn: "code"),
                  name: try row.decode(String.self, forColumn: "name"), address: try row.decode(String.self, forColumn: "address"))
    }
}

extension User {
    init(row: Row) throws {
        let staff = try row.decode(String?.self, forColumn: "staffRole")
        let changed = try row.decode(Double?.self, forColumn: "passwordChangedAt")
        self.init(id: try row.decode(Int64.self, forColumn: "id"), email: try row.decode(String.self, forColumn: "email"),
                  firstName: try row.decode(String.self, forColumn: "firstName"), lastName: try row.decode(String.self, forColumn: "lastName"),
                  phone: try row.decode(String.self, forColumn: "phone"), language: try row.decode(String.self, forColumn: "language"),
                  state: User.State(rawValue: try row.decode(String.self, forColumn: "state")) ?? .disabled,
                  staffRole: staff.flatMap(User.StaffRole.init(rawValue:)),
                  createdAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "createdAt")),
                  passwordChangedAt: changed.map(Date.init(timeIntervalSince1970:)),
                  // Joined read models (members, token users) select user.* too, so the hash is there.
                  hasPassword: try row.decode(String?.self, forColumn: "passwordHash") != nil)
    }
}

extension APIKey {
    init(row: Row) throws {
        let revoked = try row.decode(Double?.self, forColumn: "revokedAt")
        self.init(id: try row.decode(Int64.self, forColumn: "id"), tenantID: try row.decode(Int64.self, forColumn: "tenantID"),
                  name: try row.decode(String.self, forColumn: "name"), prefix: try row.decode(String.self, forColumn: "prefix"),
                  createdAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "createdAt")),
                  revokedAt: revoked.map(Date.init(timeIntervalSince1970:)))
    }
}
