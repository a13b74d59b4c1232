import Foundation
import GRDB

/// Lists, with their work bounded at a million tickets:
/// - a customer's list, a tenant's, a search's candidates are small sets (an index on the
///   contact or the tenant, or at most `searchCandidates` ids): filtered, counted and sorted as
///   they are;
/// - the agents' queue over every ticket reads each asked state through the index of the sort
///   (`state, updatedAt`, …), at most one page past the offset per state, and merges them; its
///   total and counts are sums over `ticketQueueCount` or `ticketCount`, which triggers keep in
///   every change's transaction (one row per combination of state, priority, assignee, and type
///   and product for the second, whatever the number of tickets). When the filters match few of a state's tickets (a rare
///   product), walking the sort's index would pass over most of them: that state's matches are
///   read through the index of the filter instead and sorted here (`selectiveScan`);
/// - lists go `maxDepth` tickets deep: past that, filters narrow them.
extension SQLiteTicketStore {
    static let maxDepth = 10_000
    /// How many index entries a state's ordered walk may be expected to pass before its
    /// matches are read through the filter's index instead.
    static let selectiveScan = 20_000

    public func tickets(_ query: TicketQuery, for reader: TicketReader) async throws -> TicketResults {
        let pageSize = min(max(query.pageSize, 1), 100)
        let text = TicketSearchText(query.text)
        return try await writer.read { db in
            if !text.numbers.isEmpty {
                let found = try Self.numbered(db, text.numbers, for: reader)
                return TicketResults(tickets: Array(found.prefix(pageSize)), total: found.count, page: 1, pageCount: 1,
                                     stateCounts: Dictionary(grouping: found, by: \.state).mapValues(\.count),
                                     priorityCounts: Dictionary(grouping: found, by: \.priority).mapValues(\.count))
            }
            var filters = TicketFilters(query, reader)
            var truncated = false
            if !text.words.isEmpty {
                let candidates = try Self.searchCandidates(db, words: text.words, for: reader)
                filters.candidates = candidates.ids
                truncated = candidates.truncated
            }
            var results = try filters.usesQueueCounts ? Self.queue(db, filters, query, pageSize: pageSize)
                                                      : Self.bounded(db, filters, query, pageSize: pageSize)
            results.truncated = truncated
            return results
        }
    }

    static func page(_ requested: Int, total: Int, pageSize: Int) -> (page: Int, pageCount: Int, offset: Int) {
        let reachable = max(1, maxDepth / pageSize)
        let pageCount = min(max(1, (total + pageSize - 1) / pageSize), reachable)
        let page = min(max(requested, 1), pageCount)
        return (page, pageCount, (page - 1) * pageSize)
    }

    /// A small set: plain SQL over the index of the contact, tenant or candidates.
    static func bounded(_ db: Database, _ filters: TicketFilters, _ query: TicketQuery, pageSize: Int) throws -> TicketResults {
        let all = filters.sql()
        let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM ticket WHERE \(all.sql)", arguments: all.arguments) ?? 0
        let (page, pageCount, offset) = Self.page(query.page, total: total, pageSize: pageSize)
        let tickets = try Row.fetchAll(db, sql: "SELECT * FROM ticket WHERE \(all.sql) ORDER BY \(orderSQL(query.sort)) LIMIT ? OFFSET ?",
                                       arguments: all.arguments + [pageSize, offset]).map(Ticket.init(row:))
        let byState = filters.sql(states: false)
        var stateCounts: [TicketState: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM ticket WHERE \(byState.sql) GROUP BY state",
                                    arguments: byState.arguments) {
            if let state = TicketState(rawValue: try row.decode(String.self, forColumn: "state")) {
                stateCounts[state] = try row.decode(Int.self, forColumn: "n")
            }
        }
        let byPriority = filters.sql(priority: false)
        var priorityCounts: [TicketPriority: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT priority, count(*) AS n FROM ticket WHERE \(byPriority.sql) GROUP BY priority",
                                    arguments: byPriority.arguments) {
            if let priority = TicketPriority(rawValue: try row.decode(Int.self, forColumn: "priority")) {
                priorityCounts[priority] = try row.decode(Int.self, forColumn: "n")
            }
        }
        return TicketResults(tickets: tickets, total: total, page: page, pageCount: pageCount, stateCounts: stateCounts,
                             priorityCounts: priorityCounts)
    }

    /// The agents' queue over every ticket: counts from `ticketCount`, the page merged from one
    /// ordered read per state.
    static func queue(_ db: Database, _ filters: TicketFilters, _ query: TicketQuery, pageSize: Int) throws -> TicketResults {
        let byState = filters.countSQL(states: false)
        var stateCounts: [TicketState: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT state, sum(count) AS n FROM \(byState.table) WHERE \(byState.sql) GROUP BY state",
                                    arguments: byState.arguments) {
            if let state = TicketState(rawValue: try row.decode(String.self, forColumn: "state")) {
                let count = try row.decode(Int.self, forColumn: "n")
                if count > 0 { stateCounts[state] = count }
            }
        }
        let byPriority = filters.countSQL(priority: false)
        var priorityCounts: [TicketPriority: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT priority, sum(count) AS n FROM \(byPriority.table) WHERE \(byPriority.sql) GROUP BY priority",
                                    arguments: byPriority.arguments) {
            if let priority = TicketPriority(rawValue: try row.decode(Int.self, forColumn: "priority")) {
                let count = try row.decode(Int.self, forColumn: "n")
                if count > 0 { priorityCounts[priority] = count }
            }
        }
        let states = filters.states.isEmpty ? TicketState.allCases : filters.states
        let total = states.reduce(0) { $0 + (stateCounts[$1] ?? 0) }
        let (page, pageCount, offset) = Self.page(query.page, total: total, pageSize: pageSize)

        let others = filters.sql(states: false)
        var sizes: [TicketState: Int] = [:]
        if filters.selectiveIndex != nil {
            for row in try Row.fetchAll(db, sql: "SELECT state, sum(count) AS n FROM ticketQueueCount GROUP BY state") {
                if let state = TicketState(rawValue: try row.decode(String.self, forColumn: "state")) {
                    sizes[state] = try row.decode(Int.self, forColumn: "n")
                }
            }
        }
        var keyed: [(key: [Double], id: Int64)] = []
        for state in states where (stateCounts[state] ?? 0) > 0 {
            let matches = stateCounts[state] ?? 0
            if let index = filters.selectiveIndex, (offset + pageSize) * (sizes[state] ?? 0) > selectiveScan * matches {
                let indexed = filters.sql(states: false, typeIndexed: true)
                let rows = try Row.fetchAll(db, sql: """
                    SELECT id, updatedAt, openedAt, priority, firstResponseDueAt FROM ticket INDEXED BY \(index)
                    WHERE state = ? AND \(indexed.sql)
                    """, arguments: [state.rawValue] + indexed.arguments)
                var found = try rows.map { (key: try sortKey($0, query.sort), id: try $0.decode(Int64.self, forColumn: "id")) }
                found.sort { $0.key.lexicographicallyPrecedes($1.key) }
                keyed += found.prefix(offset + pageSize)
                continue
            }
            var reads: [(extra: String, order: String)] = [("", orderSQL(query.sort))]
            if query.sort == .due {
                // NULLs sort first in the index: the tickets with a due time, then those without.
                reads = [(" AND firstResponseDueAt IS NOT NULL", "firstResponseDueAt, id"), (" AND firstResponseDueAt IS NULL", "id")]
            }
            var wanted = offset + pageSize
            for read in reads where wanted > 0 {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT id, updatedAt, openedAt, priority, firstResponseDueAt FROM ticket
                    WHERE state = ? AND \(others.sql)\(read.extra) ORDER BY \(read.order) LIMIT ?
                    """, arguments: [state.rawValue] + others.arguments + [wanted])
                for row in rows { keyed.append((try sortKey(row, query.sort), try row.decode(Int64.self, forColumn: "id"))) }
                wanted -= rows.count
            }
        }
        keyed.sort { $0.key.lexicographicallyPrecedes($1.key) }
        let ids = keyed.dropFirst(offset).prefix(pageSize).map(\.id)
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM ticket WHERE id IN (\(marks(ids.count)))", arguments: StatementArguments(ids))
        let byID = Dictionary(try rows.map { (try $0.decode(Int64.self, forColumn: "id"), try Ticket(row: $0)) }) { first, _ in first }
        return TicketResults(tickets: ids.compactMap { byID[$0] }, total: total, page: page, pageCount: pageCount,
                             stateCounts: stateCounts, priorityCounts: priorityCounts)
    }

    static func orderSQL(_ sort: TicketSort) -> String {
        switch sort {
        case .updated: "updatedAt DESC, id DESC"
        case .newest: "openedAt DESC, id DESC"
        case .oldest: "openedAt, id"
        case .priority: "priority, openedAt, id"
        case .due: "firstResponseDueAt IS NULL, firstResponseDueAt, id"
        }
    }

    /// The same order as `orderSQL`, as a key that sorts ascending.
    static func sortKey(_ row: Row, _ sort: TicketSort) throws -> [Double] {
        let id = Double(try row.decode(Int64.self, forColumn: "id"))
        let updated = try row.decode(Double.self, forColumn: "updatedAt")
        let opened = try row.decode(Double.self, forColumn: "openedAt")
        switch sort {
        case .updated: return [-updated, -id]
        case .newest: return [-opened, -id]
        case .oldest: return [opened, id]
        case .priority: return [Double(try row.decode(Int.self, forColumn: "priority")), opened, id]
        case .due:
            let due = try row.decode(Double?.self, forColumn: "firstResponseDueAt")
            return [due == nil ? 1 : 0, due ?? 0, id]
        }
    }
}
