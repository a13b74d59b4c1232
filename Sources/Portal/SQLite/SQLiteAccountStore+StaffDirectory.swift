import Foundation
import GRDB

extension SQLiteAccountStore: StaffDirectory {
    public func staffUsers() async throws -> [User] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM user WHERE staffRole IS NOT NULL AND state = ?
                ORDER BY lastName COLLATE NOCASE, firstName COLLATE NOCASE, email
                """, arguments: [User.State.active.rawValue]).map(User.init(row:))
        }
    }
}
