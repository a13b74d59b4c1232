import Foundation
import GRDB

extension SQLiteAccountStore: StaffKeyStore {
    public func createStaffKey(userID: Int64, name: String, hash: String, prefix: String, at: Date) async throws -> StaffKey {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO staffKey (userID, name, hash, prefix, createdAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [userID, name, hash, prefix, at.timeIntervalSince1970])
            let email = try String.fetchOne(db, sql: "SELECT email FROM user WHERE id = ?", arguments: [userID]) ?? ""
            return StaffKey(id: db.lastInsertedRowID, userID: userID, userEmail: email, name: name, prefix: prefix, createdAt: at)
        }
    }

    public func staffKeys() async throws -> [StaffKey] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT staffKey.*, user.email FROM staffKey JOIN user ON user.id = staffKey.userID ORDER BY staffKey.createdAt DESC, staffKey.id DESC
                """).map(StaffKey.init(row:))
        }
    }

    public func revokeStaffKey(id: Int64, at: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "UPDATE staffKey SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL", arguments: [at.timeIntervalSince1970, id])
            return db.changesCount == 1
        }
    }

    public func operatorStaffKey(hash: String) async throws -> StaffKey? {
        // The role is checked on every use, so taking it away (or disabling the account) ends the key at once.
        try await writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT staffKey.*, user.email FROM staffKey JOIN user ON user.id = staffKey.userID
                WHERE staffKey.hash = ? AND staffKey.revokedAt IS NULL AND user.staffRole = ? AND user.state = ?
                """, arguments: [hash, User.StaffRole.operator_.rawValue, User.State.active.rawValue]).map(StaffKey.init(row:))
        }
    }
}

extension StaffKey {
    /// Throws on a damaged row, where `row["column"]` would trap and stop the server.
    init(row: Row) throws {
        let revoked = try row.decode(Double?.self, forColumn: "revokedAt")
        self.init(id: try row.decode(Int64.self, forColumn: "id"), userID: try row.decode(Int64.self, forColumn: "userID"),
                  userEmail: try row.decode(String?.self, forColumn: "email") ?? "",
                  name: try row.decode(String.self, forColumn: "name"), prefix: try row.decode(String.self, forColumn: "prefix"),
                  createdAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "createdAt")),
                  revokedAt: revoked.map(Date.init(timeIntervalSince1970:)))
    }
}
