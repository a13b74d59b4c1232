import Foundation
import GRDB

extension SQLiteAccountStore {
    public func updateProfile(userID: Int64, firstName: String, lastName: String, phone: String, language: String) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "UPDATE user SET firstName = ?, lastName = ?, phone = ?, language = ? WHERE id = ?",
                           arguments: [firstName, lastName, phone, language, userID])
            return db.changesCount == 1
        }
    }
}
