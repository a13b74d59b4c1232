import Foundation
import GRDB

extension SQLiteAccountStore {
    public func signedIn(idHash: String, now: Date) async throws -> SessionReading? {
        // One read for the three: each read is a trip to the pool's queue, and every signed-in
        // request pays for them before its page.
        try await writer.read { db in
            guard let session = try Self.session(db, idHash: idHash, now: now),
                  let user = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [session.userID]).map(User.init(row:))
            else { return nil }
            return SessionReading(session: session, user: user, memberships: try Self.memberships(db, userID: user.id))
        }
    }

    static func session(_ db: Database, idHash: String, now: Date) throws -> Session? {
        try Row.fetchOne(db, sql: "SELECT * FROM session WHERE idHash = ? AND expiresAt > ?",
                         arguments: [idHash, now.timeIntervalSince1970]).map {
            Session(userID: try $0.decode(Int64.self, forColumn: "userID"), tenantID: try $0.decode(Int64?.self, forColumn: "tenantID"),
                    csrfToken: try $0.decode(String.self, forColumn: "csrfToken"),
                    createdAt: Date(timeIntervalSince1970: try $0.decode(Double.self, forColumn: "createdAt")),
                    expiresAt: Date(timeIntervalSince1970: try $0.decode(Double.self, forColumn: "expiresAt")))
        }
    }

    static func memberships(_ db: Database, userID: Int64) throws -> [(tenant: Tenant, role: Membership.Role)] {
        try Row.fetchAll(db, sql: """
            SELECT tenant.*, membership.role FROM membership JOIN tenant ON tenant.id = membership.tenantID
            WHERE membership.userID = ? ORDER BY tenant.name
            """, arguments: [userID]).map {
                (try Tenant(row: $0), Membership.Role(rawValue: try $0.decode(String.self, forColumn: "role")) ?? .member)
            }
    }
}
