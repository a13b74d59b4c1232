import Foundation
import GRDB
import StatusModel

/// OpenID Connect's identities and pending logins on SQLite, beside the accounts they open.
public struct SQLiteOpenIDStore: OpenIDStore {
    let writer: any DatabaseWriter

    public init(database: SQLiteDatabase) {
        writer = database.writer
    }

    public func savePendingLogin(_ login: PendingOpenIDLogin, now: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM openIDLogin WHERE expiresAt <= ?", arguments: [now.timeIntervalSince1970])
            try LoginRecord(login).insert(db)
        }
    }

    public func takePendingLogin(stateHash: String) async throws -> PendingOpenIDLogin? {
        try await writer.write { db in
            // Read and delete in one transaction: of two callbacks with the same state, one wins.
            guard let record = try LoginRecord.fetchOne(db, key: stateHash) else { return nil }
            try LoginRecord.deleteOne(db, key: stateHash)
            return record.login
        }
    }

    public func identity(providerID: String, subject: String) async throws -> UserIdentity? {
        try await writer.read { db in
            try IdentityRecord.filter(Column("providerID") == providerID && Column("subject") == subject).fetchOne(db)?.identity
        }
    }

    public func identities(userID: Int64) async throws -> [UserIdentity] {
        try await writer.read { db in
            try IdentityRecord.filter(Column("userID") == userID).order(Column("providerID"), Column("linkedAt")).fetchAll(db).map(\.identity)
        }
    }

    public func link(_ identity: UserIdentity) async throws -> Bool {
        try await writer.write { db in
            let active = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM user WHERE id = ? AND state = 'active')",
                                           arguments: [identity.userID]) ?? false
            guard active else { return false }
            return try Self.insert(identity, db)
        }
    }

    public func linkActivating(_ identity: UserIdentity, firstName: String, lastName: String) async throws -> Bool {
        do {
            return try await activating(identity, firstName: firstName, lastName: lastName)
        } catch is IdentityTaken {
            return false
        }
    }

    private func activating(_ identity: UserIdentity, firstName: String, lastName: String) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE user SET state = 'active',
                    firstName = CASE WHEN firstName = '' THEN ? ELSE firstName END,
                    lastName = CASE WHEN lastName = '' THEN ? ELSE lastName END
                WHERE id = ? AND state = 'pending'
                """, arguments: [firstName, lastName, identity.userID])
            guard db.changesCount == 1 else { return false }
            guard try Self.insert(identity, db) else {
                // Roll the activation back with the rest.
                throw IdentityTaken()
            }
            // The invitation is used: its links must not open the account a second time.
            try db.execute(sql: "UPDATE accountToken SET usedAt = ? WHERE userID = ? AND purpose = 'activation' AND usedAt IS NULL",
                           arguments: [identity.linkedAt.timeIntervalSince1970, identity.userID])
            return true
        }
    }

    public func updateEmail(providerID: String, subject: String, email: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE userIdentity SET email = ? WHERE providerID = ? AND subject = ?",
                           arguments: [email, providerID, subject])
        }
    }

    public func unlink(userID: Int64, providerID: String, usableProviders: Set<String>) async throws -> UnlinkOutcome {
        do {
            return try await writer.write { db in
                try db.execute(sql: "DELETE FROM userIdentity WHERE userID = ? AND providerID = ?", arguments: [userID, providerID])
                guard db.changesCount > 0 else { return .notLinked }
                let hasPassword = try Bool.fetchOne(db, sql: "SELECT passwordHash IS NOT NULL FROM user WHERE id = ?", arguments: [userID]) ?? false
                let others = try String.fetchAll(db, sql: "SELECT providerID FROM userIdentity WHERE userID = ?", arguments: [userID])
                guard hasPassword || others.contains(where: usableProviders.contains) else { throw LastWayToSignIn() }
                return .unlinked
            }
        } catch is LastWayToSignIn {
            return .lastWayToSignIn
        }
    }

    /// False when the provider's subject is already linked.
    private static func insert(_ identity: UserIdentity, _ db: Database) throws -> Bool {
        try db.execute(sql: """
            INSERT INTO userIdentity (userID, providerID, subject, email, linkedAt) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (providerID, subject) DO NOTHING
            """, arguments: [identity.userID, identity.providerID, identity.subject, identity.email, identity.linkedAt.timeIntervalSince1970])
        return db.changesCount == 1
    }
}

/// Thrown inside a write to roll it back.
private struct IdentityTaken: Error {}
private struct LastWayToSignIn: Error {}

private struct IdentityRecord: Codable, FetchableRecord, TableRecord {
    static let databaseTableName = "userIdentity"
    var userID: Int64
    var providerID: String
    var subject: String
    var email: String
    var linkedAt: Double

    var identity: UserIdentity {
        UserIdentity(userID: userID, providerID: providerID, subject: subject, email: email,
                     linkedAt: Date(timeIntervalSince1970: linkedAt))
    }
}

private struct LoginRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "openIDLogin"
    var stateHash: String
    var browserKeyHash: String
    var providerID: String
    var nonce: String
    var codeVerifier: String
    var returnTo: String
    var expiresAt: Double

    init(_ login: PendingOpenIDLogin) {
        stateHash = login.stateHash
        browserKeyHash = login.browserKeyHash
        providerID = login.providerID
        nonce = login.nonce
        codeVerifier = login.codeVerifier
        returnTo = login.returnTo
        expiresAt = login.expiresAt.timeIntervalSince1970
    }

    var login: PendingOpenIDLogin {
        PendingOpenIDLogin(stateHash: stateHash, browserKeyHash: browserKeyHash, providerID: providerID, nonce: nonce,
                           codeVerifier: codeVerifier, returnTo: returnTo, expiresAt: Date(timeIntervalSince1970: expiresAt))
    }
}
