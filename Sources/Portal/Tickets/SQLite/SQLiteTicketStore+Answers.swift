import Foundation
import GRDB

/// "Un article a-t-il répondu à votre question ?", "Votre avis compte", the tenants' projects,
/// and the incident follower's place in the status journal.
extension SQLiteTicketStore {
    public func recordArticleAnswered(_ article: ArticleNumber, userID: Int64, tenantID: Int64, at: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO articleAnswer (articleNumber, userID, tenantID, at) VALUES (?, ?, ?, ?)",
                           arguments: [article.value, userID, tenantID, at.timeIntervalSince1970])
        }
    }

    public func articleAnswers(limit: Int) async throws -> [(article: ArticleNumber, count: Int)] {
        let limit = min(max(limit, 1), 1_000)
        return try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT articleNumber, count(*) AS n FROM articleAnswer GROUP BY articleNumber ORDER BY n DESC, articleNumber LIMIT ?
                """, arguments: [limit]).map {
                (article: ArticleNumber(try $0.decode(Int.self, forColumn: "articleNumber")), count: try $0.decode(Int.self, forColumn: "n"))
            }
        }
    }

    public func recordSatisfaction(_ answer: TicketSatisfaction) async throws -> Bool {
        guard (1...5).contains(answer.stars) else { return false }
        return try await writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO ticketSatisfaction (ticketID, stars, comment, at) VALUES (?, ?, ?, ?)",
                           arguments: [answer.ticketID, answer.stars, answer.comment, answer.at.timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    public func satisfaction(ticketID: Int64) async throws -> TicketSatisfaction? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM ticketSatisfaction WHERE ticketID = ?", arguments: [ticketID]).map { row in
                TicketSatisfaction(ticketID: try row.decode(Int64.self, forColumn: "ticketID"), stars: try row.decode(Int.self, forColumn: "stars"),
                                   comment: try row.decode(String.self, forColumn: "comment"),
                                   at: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "at")))
            }
        }
    }

    public func satisfactionReport() async throws -> [SatisfactionRow] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT ticket.assigneeID, ticket.productSlug, strftime('%Y-%m', answer.at, 'unixepoch') AS month,
                       avg(answer.stars) AS average, count(*) AS n
                FROM ticketSatisfaction answer JOIN ticket ON ticket.id = answer.ticketID
                GROUP BY ticket.assigneeID, ticket.productSlug, month
                ORDER BY month DESC, ticket.assigneeID, ticket.productSlug
                """).map { row in
                SatisfactionRow(assigneeID: try row.decode(Int64?.self, forColumn: "assigneeID"),
                                productSlug: try row.decode(String?.self, forColumn: "productSlug"),
                                month: try row.decode(String.self, forColumn: "month"), average: try row.decode(Double.self, forColumn: "average"),
                                count: try row.decode(Int.self, forColumn: "n"))
            }
        }
    }

    public func projects(tenantID: Int64) async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM tenantProject WHERE tenantID = ? ORDER BY position, name", arguments: [tenantID])
        }
    }

    public func setProjects(_ projects: [String], tenantID: Int64) async throws {
        var seen: Set<String> = []
        let names = projects.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty && seen.insert($0).inserted }
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM tenantProject WHERE tenantID = ?", arguments: [tenantID])
            for (position, name) in names.enumerated() {
                try db.execute(sql: "INSERT INTO tenantProject (tenantID, name, position) VALUES (?, ?, ?)", arguments: [tenantID, name, position])
            }
        }
    }
}

extension SQLiteTicketStore: TicketJournalCursor {
    public func incidentJournalCursor() async throws -> Int64 {
        try await writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT lastEventID FROM ticketJournalCursor WHERE name = 'incidents'") ?? 0
        }
    }

    public func moveIncidentJournalCursor(to eventID: Int64) async throws {
        try await writer.write { db in
            // Never backwards: two processes following the journal may finish out of order.
            try db.execute(sql: """
                INSERT INTO ticketJournalCursor (name, lastEventID) VALUES ('incidents', ?)
                ON CONFLICT (name) DO UPDATE SET lastEventID = max(lastEventID, excluded.lastEventID)
                """, arguments: [eventID])
        }
    }
}
