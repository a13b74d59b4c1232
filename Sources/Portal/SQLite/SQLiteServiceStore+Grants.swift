import Foundation
import GRDB
import Notify

/// What a tenant's administrators do to subscriptions beyond deciding on requests: subscribe
/// users at once, take a service away, and choose who hears of new requests by mail.
extension SQLiteServiceStore {
    public func grant(serviceID: Int64, userIDs: [Int64], tenantID: Int64, at: Date) async throws -> Set<Int64> {
        try await writer.write { db in
            var changed: Set<Int64> = []
            for userID in Set(userIDs) {
                // Membership is checked here too: a user who left the tenant since the form was read gets nothing.
                let member = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM membership WHERE userID = ? AND tenantID = ?)",
                                               arguments: [userID, tenantID]) ?? false
                guard member else { continue }
                let live = try Row.fetchOne(db, sql: """
                    SELECT id, state FROM serviceSubscription WHERE tenantID = ? AND userID = ? AND serviceID = ? AND state <> 'refused'
                    """, arguments: [tenantID, userID, serviceID])
                if let live {
                    let id: Int64 = try live.decode(Int64.self, atIndex: 0)
                    guard try live.decode(String.self, atIndex: 1) != ServiceSubscription.State.accepted.rawValue else { continue }
                    try db.execute(sql: "UPDATE serviceSubscription SET state = 'accepted', reason = '', decidedAt = ? WHERE id = ?",
                                   arguments: [at.timeIntervalSince1970, id])
                } else {
                    try db.execute(sql: """
                        INSERT INTO serviceSubscription (tenantID, userID, serviceID, state, reason, requestedAt, decidedAt)
                        VALUES (?, ?, ?, 'accepted', '', ?, ?)
                        """, arguments: [tenantID, userID, serviceID, at.timeIntervalSince1970, at.timeIntervalSince1970])
                }
                changed.insert(userID)
            }
            return changed
        }
    }

    public func withdraw(id: Int64, tenantID: Int64) async throws -> Bool {
        try await writer.write { db in
            // The row goes: the user no longer has the service and may ask for it again; the
            // activity trail keeps what happened.
            try db.execute(sql: "DELETE FROM serviceSubscription WHERE id = ? AND tenantID = ? AND state IN ('accepted', 'suspended')",
                           arguments: [id, tenantID])
            return db.changesCount == 1
        }
    }

    public func requestMailRecipients(tenantID: Int64) async throws -> Set<Int64> {
        try await writer.read { db in
            // Only those still administrators: a demoted one stops getting the mail without anyone unticking it.
            Set(try Int64.fetchAll(db, sql: """
                SELECT r.userID FROM adminRequestMail r
                JOIN membership m ON m.userID = r.userID AND m.tenantID = r.tenantID AND m.role = 'admin'
                WHERE r.tenantID = ?
                """, arguments: [tenantID]))
        }
    }

    public func setRequestMail(userID: Int64, tenantID: Int64, enabled: Bool) async throws -> Bool {
        try await writer.write { db in
            let admin = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM membership WHERE userID = ? AND tenantID = ? AND role = 'admin')",
                                          arguments: [userID, tenantID]) ?? false
            guard admin else { return false }
            if enabled {
                try db.execute(sql: "INSERT OR IGNORE INTO adminRequestMail (tenantID, userID) VALUES (?, ?)", arguments: [tenantID, userID])
            } else {
                try db.execute(sql: "DELETE FROM adminRequestMail WHERE tenantID = ? AND userID = ?", arguments: [tenantID, userID])
            }
            return true
        }
    }

    public func enqueue(_ mails: [Mail], at: Date) async throws {
        guard !mails.isEmpty else { return }
        try await writer.write { db in
            for mail in mails { _ = try Outbox.enqueue(mail, in: db, now: at) }
        }
    }
}

/// The table of the administrators' notification choice (registered by `PortalMigrations`).
enum AdminSettingsMigrations {
    /// One row per administrator who wants a mail for each new service request; no row, no mail
    /// (the default, so nobody gets mail they did not ask for).
    static func createTables(_ db: Database) throws {
        try db.create(table: "adminRequestMail") { t in
            t.column("tenantID", .integer).notNull().references("tenant", onDelete: .cascade)
            t.column("userID", .integer).notNull().references("user", onDelete: .cascade)
            t.primaryKey(["tenantID", "userID"])
        }
    }
}
