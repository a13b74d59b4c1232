import Foundation
import GRDB

extension SQLiteAccountStore {
    public func importContact(_ user: User, tenantID: Int64) async throws -> ImportedContact {
        try await writer.write { db in
            if let existing = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE email = ?", arguments: [user.email]).map(User.init(row:)) {
                let member = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM membership WHERE userID = ? AND tenantID = ?)",
                                               arguments: [existing.id, tenantID]) ?? false
                if member { return .member(existing) }
                guard existing.state == .pending else { return .refused(existing) }
                try db.execute(sql: "INSERT INTO membership (userID, tenantID, role) VALUES (?, ?, ?)",
                               arguments: [existing.id, tenantID, Membership.Role.member.rawValue])
                return .joined(existing)
            }
            try db.execute(sql: """
                INSERT INTO user (email, firstName, lastName, phone, language, state, staffRole, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
                """, arguments: [user.email, user.firstName, user.lastName, user.phone, user.language, User.State.pending.rawValue,
                                 user.createdAt.timeIntervalSince1970])
            var created = user
            created.id = db.lastInsertedRowID
            created.state = .pending
            created.staffRole = nil
            try db.execute(sql: "INSERT INTO membership (userID, tenantID, role) VALUES (?, ?, ?)",
                           arguments: [created.id, tenantID, Membership.Role.member.rawValue])
            return .created(created)
        }
    }
}
