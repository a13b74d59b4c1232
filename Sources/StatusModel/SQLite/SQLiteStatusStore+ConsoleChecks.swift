import Foundation
import GRDB

extension SQLiteStatusStore {
    public func consoleChecks() async throws -> [ConsoleCheck] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM consoleCheck ORDER BY productSlug, name").map {
                ConsoleCheck(productSlug: try $0.decode(String.self, forColumn: "productSlug"),
                             name: try $0.decode(String.self, forColumn: "name"), spec: try $0.decode(String.self, forColumn: "spec"))
            }
        }
    }

    public func saveConsoleCheck(_ check: ConsoleCheck) async throws {
        try await writer.write { db in
            let origin = try String.fetchOne(db, sql: "SELECT origin FROM product WHERE slug = ?", arguments: [check.productSlug])
            guard origin == Product.Origin.console.rawValue else { throw StoreError.notEditable }
            try db.execute(sql: """
                INSERT INTO consoleCheck (productSlug, name, spec) VALUES (?, ?, ?)
                ON CONFLICT(productSlug, name) DO UPDATE SET spec = excluded.spec
                """, arguments: [check.productSlug, check.name, check.spec])
            // From now on its days count as observed only when its checks ran.
            try db.execute(sql: "UPDATE product SET hasChecks = 1 WHERE slug = ?", arguments: [check.productSlug])
            try Self.bumpVersion(db)
        }
    }

    public func deleteConsoleCheck(productSlug: String, name: String) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM consoleCheck WHERE productSlug = ? AND name = ?", arguments: [productSlug, name])
            let existed = db.changesCount > 0
            let left = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM consoleCheck WHERE productSlug = ?", arguments: [productSlug]) ?? 0
            if left == 0 { try db.execute(sql: "UPDATE product SET hasChecks = 0 WHERE slug = ? AND origin = 'console'", arguments: [productSlug]) }
            try Self.bumpVersion(db)
            return existed
        }
    }
}
