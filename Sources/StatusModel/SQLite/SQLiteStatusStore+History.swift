import Foundation
import GRDB

extension SQLiteStatusStore {
    public func dayStates(days: [LocalDay], now: Date) async throws -> [String: [DayState]] {
        guard let first = days.min(), let last = days.max() else { return [:] }
        return try await writer.read { db in
            let products = try Row.fetchAll(db, sql: "SELECT * FROM product").map(Product.init(row:))
            let rollups = try rollupsByProduct(db, from: first, to: last)
            var states: [String: [DayState]] = [:]
            for product in products {
                let summaries = try daySummaries(db, product: product, days: days, stored: rollups[product.slug] ?? [:], now: now)
                states[product.slug] = summaries.map(\.state)
            }
            return states
        }
    }

    public func history(productSlug: String, days: [LocalDay], now: Date) async throws -> ProductHistory {
        guard let first = days.min(), let last = days.max() else {
            return ProductHistory(days: [], states: [], uptime: nil, condition: .operational)
        }
        return try await writer.read { db in
            guard let product = try Row.fetchOne(db, sql: "SELECT * FROM product WHERE slug = ?", arguments: [productSlug]).map(Product.init(row:)) else {
                return ProductHistory(days: days, states: days.map { _ in .noData }, uptime: nil, condition: .operational)
            }
            let rollups = try rollupsByProduct(db, from: first, to: last, productSlug: productSlug)
            let summaries = try daySummaries(db, product: product, days: days, stored: rollups[productSlug] ?? [:], now: now)
            let current = try Self.episodes(db, productSlug: productSlug, overlapping: DateInterval(start: now, duration: 1))
            return ProductHistory(
                days: days,
                states: summaries.map(\.state),
                uptime: DayStateRule.uptime(of: summaries.map { ($0.observedSeconds, $0.summary) }),
                condition: DayStateRule.condition(of: current, at: now)
            )
        }
    }

    public func conditions(now: Date) async throws -> [String: Condition] {
        try await writer.read { db in
            let episodes = try Row.fetchAll(db, sql: """
                SELECT * FROM episode WHERE start <= ? AND ("end" IS NULL OR "end" > ?)
                """, arguments: [now.storedSeconds, now.storedSeconds]).map(Episode.init(row:))
            let slugs = try String.fetchAll(db, sql: "SELECT slug FROM product")
            let byProduct = Dictionary(grouping: episodes, by: \.productSlug)
            return Dictionary(uniqueKeysWithValues: slugs.map { ($0, DayStateRule.condition(of: byProduct[$0] ?? [], at: now)) })
        }
    }

    public func nextScheduledChange(after now: Date) async throws -> Date? {
        try await writer.read { db in
            try Double.fetchOne(db, sql: """
                SELECT MIN(moment) FROM (
                    SELECT MIN(start) AS moment FROM episode WHERE start > ?1
                    UNION ALL SELECT MIN("end") FROM episode WHERE "end" > ?1)
                """, arguments: [now.storedSeconds]).map(Date.init(timeIntervalSince1970:))
        }
    }

    @discardableResult
    public func pruneHistory(before cutoff: LocalDay) async throws -> Int {
        let cutoffStart = calendar.interval(of: cutoff).start
        return try await writer.write { db in
            try db.execute(sql: "DELETE FROM dayRollup WHERE day < ?", arguments: [cutoff.description])
            var removed = db.changesCount
            try db.execute(sql: "DELETE FROM episode WHERE \"end\" IS NOT NULL AND \"end\" < ?", arguments: [cutoffStart.storedSeconds])
            removed += db.changesCount
            try db.execute(sql: "DELETE FROM timingBucket WHERE hour < ?", arguments: [cutoffStart.storedSeconds])
            removed += db.changesCount
            return removed
        }
    }

    // MARK: Reading rollups

    private func rollupsByProduct(_ db: Database, from first: LocalDay, to last: LocalDay, productSlug: String? = nil) throws -> [String: [String: StoredDay]] {
        var sql = "SELECT * FROM dayRollup WHERE day BETWEEN ? AND ?"
        var arguments: StatementArguments = [first.description, last.description]
        if let productSlug {
            sql += " AND productSlug = ?"
            arguments += [productSlug]
        }
        var result: [String: [String: StoredDay]] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
            let slug = try row.decode(String.self, forColumn: "productSlug")
            let day = try row.decode(String.self, forColumn: "day")
            result[slug, default: [:]][day] = try DayRollupRow(row: row).stored
        }
        return result
    }

    /// Loads what `DayReadings` needs beside the stored rollups (the open episodes' start, the
    /// live days' episodes) and reads the days.
    private func daySummaries(_ db: Database, product: Product, days: [LocalDay], stored: [String: StoredDay], now: Date) throws -> [DayReading] {
        let rule = DayReadings(calendar: calendar)
        let openSince = try Double.fetchOne(db, sql: """
            SELECT MIN(start) FROM episode WHERE productSlug = ? AND "end" IS NULL
            """, arguments: [product.slug]).map(Date.init(timeIntervalSince1970:))
        let liveDays = rule.liveDays(days, openSince: openSince, now: now)
        let liveEpisodes = try rule.liveSpan(of: liveDays, now: now).map { span in
            try Self.episodes(db, productSlug: product.slug, overlapping: span)
        } ?? []
        return rule.readings(product: product, days: days, stored: stored, liveDays: liveDays, liveEpisodes: liveEpisodes, now: now)
    }
}
