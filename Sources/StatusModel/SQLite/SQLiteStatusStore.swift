import Foundation
import GRDB

/// StatusModel's store on SQLite: products, results, episodes, incidents, maintenance and rollups.
public struct SQLiteStatusStore: StatusStore {
    let writer: any DatabaseWriter
    let calendar: DayCalendar
    let stateChanges: StateChangeCounter

    public init(database: SQLiteDatabase, calendar: DayCalendar) {
        self.writer = database.writer
        self.stateChanges = database.stateChanges
        self.calendar = calendar
    }

    public var databaseKind: String { "sqlite" }

    // MARK: Products

    public func syncProducts(_ products: [Product]) async throws {
        try await writer.write { db in
            let known = try String.fetchSet(db, sql: "SELECT slug FROM product WHERE origin = 'config'")
            for product in products {
                // An existing product keeps the date its monitoring began: its history stays true.
                try db.execute(sql: """
                    INSERT INTO product (slug, name, family, position, visibility, monitoredSince, hasChecks, origin)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'config')
                    ON CONFLICT(slug) DO UPDATE SET name = excluded.name, family = excluded.family,
                        position = excluded.position, visibility = excluded.visibility, hasChecks = excluded.hasChecks,
                        origin = 'config'
                    """, arguments: [product.slug, product.name, product.family, product.position,
                                     product.visibility.rawValue, product.monitoredSince.storedSeconds, product.hasChecks])
            }
            let removed = known.subtracting(products.map(\.slug))
            for slug in removed {
                try db.execute(sql: "UPDATE product SET visibility = ? WHERE slug = ?", arguments: [Product.Visibility.hidden.rawValue, slug])
            }
            try Self.bumpVersion(db)
        }
    }

    public func saveConsoleProduct(_ product: Product) async throws {
        try await writer.write { db in
            let origin = try String.fetchOne(db, sql: "SELECT origin FROM product WHERE slug = ?", arguments: [product.slug])
            guard origin != Product.Origin.config.rawValue else { throw StoreError.notEditable }
            try db.execute(sql: """
                INSERT INTO product (slug, name, family, position, visibility, monitoredSince, hasChecks, origin)
                VALUES (?, ?, ?, ?, ?, ?, 0, 'console')
                ON CONFLICT(slug) DO UPDATE SET name = excluded.name, family = excluded.family,
                    position = excluded.position, visibility = excluded.visibility
                """, arguments: [product.slug, product.name, product.family, product.position,
                                 product.visibility.rawValue, product.monitoredSince.storedSeconds])
            try Self.bumpVersion(db)
        }
    }

    public func products() async throws -> [Product] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM product ORDER BY position, name").map(Product.init(row:))
        }
    }

    public func product(slug: String) async throws -> Product? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM product WHERE slug = ?", arguments: [slug]).map(Product.init(row:))
        }
    }

    // MARK: Results

    public func record(_ results: [CheckResult]) async throws {
        guard !results.isEmpty else { return }
        let calendar = self.calendar
        try await writer.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO checkResult (checkID, productSlug, time, region, outcome, durationMilliseconds, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            let bucket = try db.cachedStatement(sql: """
                INSERT INTO timingBucket (productSlug, hour, bucket, count) VALUES (?, ?, ?, 1)
                ON CONFLICT(productSlug, hour, bucket) DO UPDATE SET count = count + 1
                """)
            var observedDays: Set<[String]> = []
            // Calendar arithmetic is slow and a batch spans minutes: every zone's midnight falls on
            // a quarter hour, so the day of a quarter hour is the day of every instant in it.
            var dayOfQuarter: [Int: String] = [:]
            for result in results {
                try insert.execute(arguments: [result.checkID, result.productSlug, result.time.storedSeconds, result.region,
                                               result.outcome.rawValue, result.durationMilliseconds, result.reason])
                let quarter = Int((result.time.storedSeconds / 900).rounded(.down))
                let day = dayOfQuarter[quarter] ?? calendar.day(containing: result.time).description
                dayOfQuarter[quarter] = day
                observedDays.insert([result.productSlug, day])
                if let milliseconds = result.durationMilliseconds, result.outcome != .down {
                    let hour = (result.time.storedSeconds / 3600).rounded(.down) * 3600
                    try bucket.execute(arguments: [result.productSlug, hour, TimingHistogram.bucket(milliseconds)])
                }
            }
            var changed = false
            for key in observedDays {
                try db.execute(sql: """
                    INSERT INTO dayRollup (productSlug, day, observed) VALUES (?, ?, 1)
                    ON CONFLICT(productSlug, day) DO UPDATE SET observed = 1 WHERE observed = 0
                    """, arguments: [key[0], key[1]])
                changed = changed || db.changesCount > 0
            }
            if changed { try Self.bumpVersion(db) }
        }
    }

    public func results(checkID: String, since: Date) async throws -> [CheckResult] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM checkResult WHERE checkID = ? AND time >= ? ORDER BY time",
                             arguments: [checkID, since.storedSeconds]).map(CheckResult.init(row:))
        }
    }

    public func resultCount() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM checkResult") ?? 0 }
    }

    @discardableResult
    public func pruneResults(before cutoff: Date) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM checkResult WHERE time < ?", arguments: [cutoff.storedSeconds])
            return db.changesCount
        }
    }

    // MARK: Version

    public func stateVersion() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT version FROM stateVersion WHERE id = 1") ?? 0 }
    }

    public func localStateChanges() -> Int { stateChanges.value }

    static func bumpVersion(_ db: Database) throws {
        try db.execute(sql: "UPDATE stateVersion SET version = version + 1 WHERE id = 1")
    }
}
