import Foundation
import GRDB
import Notify
import StatusModel

/// Tickets on SQLite: numbered in sequence, their conversations and attachments, changes
/// written compare-and-set with their mails, lists (`+Lists`), search (`+Search`), and the
/// answers, ratings and projects (`+Answers`). Every read applies `TicketAccess`.
public struct SQLiteTicketStore: TicketStore {
    let writer: any DatabaseWriter

    public init(database: SQLiteDatabase) {
        writer = database.writer
    }

    public func createTicket(_ draft: TicketDraft, at: Date, mails: @Sendable (Ticket) -> [Mail]) async throws -> Ticket {
        try await writer.write { db in
            let number = try Self.nextNumber(db)
            var ticket = Ticket(number: number, tenantID: draft.tenantID, contactUserID: draft.contactUserID, type: draft.type,
                                subject: draft.subject, theme: draft.theme, subTheme: draft.subTheme, precision: draft.precision,
                                productSlug: draft.productSlug, impact: draft.impact, priority: draft.priority, state: .new,
                                project: draft.project, fields: draft.fields, followUpEmails: draft.followUpEmails,
                                incidentID: draft.incidentID, language: draft.language, openedAt: at, updatedAt: at,
                                firstResponseDueAt: draft.firstResponseDueAt)
            ticket.id = try Self.insertTicket(db, ticket)
            let first = TicketMessage(kind: .customer, authorUserID: draft.contactUserID, authorName: draft.authorName,
                                      body: draft.description, createdAt: at, attachments: draft.attachments)
            _ = try Self.insertMessage(db, ticketID: ticket.id, first)
            try Self.writeText(db, ticket: ticket, messages: [first])
            for mail in mails(ticket) { _ = try Outbox.enqueue(mail, in: db, now: at) }
            return ticket
        }
    }

    public func ticket(_ number: TicketNumber, for reader: TicketReader) async throws -> Ticket? {
        try await writer.read { db in try Self.ticket(db, number, for: reader) }
    }

    public func messages(of number: TicketNumber, for reader: TicketReader) async throws -> [TicketMessage] {
        try await writer.read { db in
            guard let ticket = try Self.ticket(db, number, for: reader) else { return [] }
            var messages = try Row.fetchAll(db, sql: """
                SELECT * FROM ticketMessage WHERE ticketID = ? AND \(TicketAccess.messageKinds(reader)) ORDER BY createdAt, id
                """, arguments: [ticket.id]).map(TicketMessage.init(row:))
            guard !messages.isEmpty else { return [] }
            let attachments = try Row.fetchAll(db, sql: """
                SELECT ticketAttachment.* FROM ticketAttachment JOIN ticketMessage ON ticketMessage.id = ticketAttachment.messageID
                WHERE ticketMessage.ticketID = ? AND \(TicketAccess.messageKinds(reader)) ORDER BY ticketAttachment.id
                """, arguments: [ticket.id])
            var byMessage: [Int64: [TicketAttachment]] = [:]
            for row in attachments {
                byMessage[try row.decode(Int64.self, forColumn: "messageID"), default: []].append(try TicketAttachment(row: row))
            }
            for index in messages.indices { messages[index].attachments = byMessage[messages[index].id] ?? [] }
            return messages
        }
    }

    public func apply(_ change: TicketChange, to number: TicketNumber, mails: [Mail]) async throws -> Ticket? {
        try await writer.write { db in
            guard let current = try Self.ticket(db, number, for: .staff) else { return nil }
            if let key = change.idempotencyKey {
                // Written before: the retry changes nothing and mails nobody.
                try db.execute(sql: "INSERT OR IGNORE INTO ticketChangeKey (key, ticketID) VALUES (?, ?)", arguments: [key, current.id])
                guard db.changesCount == 1 else { return current }
            }
            guard current.state == change.expectedState else { throw TicketChanged(current: current.state) }
            var ticket = current
            ticket.state = change.newState
            ticket.updatedAt = change.at
            if let assignee = change.assigneeID { ticket.assigneeID = assignee }
            if let priority = change.priority { ticket.priority = priority }
            if let incident = change.incidentID { ticket.incidentID = incident }
            if let emails = change.followUpEmails { ticket.followUpEmails = emails }
            if ticket.firstRespondedAt == nil, let responded = change.firstRespondedAt { ticket.firstRespondedAt = responded }
            if change.newState == .resolved, current.state != .resolved { ticket.resolvedAt = change.at }
            try db.execute(sql: """
                UPDATE ticket SET state = ?, updatedAt = ?, assigneeID = ?, priority = ?, incidentID = ?, followUpEmails = ?,
                                  firstRespondedAt = ?, resolvedAt = ?
                WHERE id = ? AND state = ?
                """, arguments: [ticket.state.rawValue, ticket.updatedAt.timeIntervalSince1970, ticket.assigneeID, ticket.priority.rawValue,
                                 ticket.incidentID, try StoredJSON.encode(ticket.followUpEmails),
                                 ticket.firstRespondedAt?.timeIntervalSince1970, ticket.resolvedAt?.timeIntervalSince1970,
                                 ticket.id, change.expectedState.rawValue])
            guard db.changesCount == 1 else { throw TicketChanged(current: current.state) }
            if let message = change.message {
                _ = try Self.insertMessage(db, ticketID: ticket.id, message)
                try Self.appendText(db, ticketID: ticket.id, message)
            }
            for mail in mails { _ = try Outbox.enqueue(mail, in: db, now: change.at) }
            return ticket
        }
    }

    public func attachment(id: Int64, of number: TicketNumber, for reader: TicketReader) async throws -> TicketAttachment? {
        try await writer.read { db in
            let access = TicketAccess(reader)
            return try Row.fetchOne(db, sql: """
                SELECT ticketAttachment.* FROM ticketAttachment
                JOIN ticketMessage ON ticketMessage.id = ticketAttachment.messageID
                JOIN ticket ON ticket.id = ticketMessage.ticketID
                WHERE ticketAttachment.id = ? AND ticket.number = ? AND \(access.sql) AND \(TicketAccess.messageKinds(reader))
                """, arguments: [id, number.value] + access.arguments).map(TicketAttachment.init(row:))
        }
    }

    public func openTickets(on productSlugs: [String], openedSince since: Date) async throws -> [Ticket] {
        let slugs = Array(Set(productSlugs)).sorted().prefix(500)
        guard !slugs.isEmpty else { return [] }
        return try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM ticket WHERE productSlug IN (\(Self.marks(slugs.count))) AND openedAt >= ? AND incidentID IS NULL
                AND state IN (\(Self.openStatesSQL)) ORDER BY openedAt DESC, id DESC
                """, arguments: StatementArguments(Array(slugs)) + [since.timeIntervalSince1970]).map(Ticket.init(row:))
        }
    }

    public func tickets(linkedTo incidentID: String) async throws -> [Ticket] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ticket WHERE incidentID = ? ORDER BY openedAt DESC, id DESC",
                             arguments: [incidentID]).map(Ticket.init(row:))
        }
    }

    public func importTickets(_ tickets: [ImportedTicket]) async throws -> [Bool] {
        try await writer.write { db in
            var seen: Set<Int> = []
            return try tickets.map { imported in
                let number = imported.ticket.number
                guard number.value > 0, seen.insert(number.value).inserted,
                      try !(Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM ticket WHERE number = ?)"),
                                          arguments: [number.value]) ?? false)
                else { return false }
                var ticket = imported.ticket
                ticket.id = try Self.insertTicket(db, ticket)
                for message in imported.messages { _ = try Self.insertMessage(db, ticketID: ticket.id, message) }
                try Self.writeText(db, ticket: ticket, messages: imported.messages)
                try db.cachedStatement(sql: "UPDATE ticketSequence SET lastNumber = max(lastNumber, ?) WHERE id = 1").execute(arguments: [number.value])
                return true
            }
        }
    }

    // MARK: - Inside a transaction

    static let openStatesSQL = TicketState.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ", ")

    static func marks(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

    static func ticket(_ db: Database, _ number: TicketNumber, for reader: TicketReader) throws -> Ticket? {
        let access = TicketAccess(reader)
        return try Row.fetchOne(db, sql: "SELECT * FROM ticket WHERE number = ? AND \(access.sql)",
                                arguments: [number.value] + access.arguments).map(Ticket.init(row:))
    }

    /// One past the highest number ever given or imported.
    static func nextNumber(_ db: Database) throws -> TicketNumber {
        let last = try Int.fetchOne(db, sql: "SELECT lastNumber FROM ticketSequence WHERE id = 1") ?? 0
        let highest = try Int.fetchOne(db, sql: "SELECT max(number) FROM ticket") ?? 0
        let next = max(last, highest) + 1
        try db.execute(sql: "UPDATE ticketSequence SET lastNumber = ? WHERE id = 1", arguments: [next])
        return TicketNumber(next)
    }

    static func insertTicket(_ db: Database, _ ticket: Ticket) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO ticket (number, tenantID, contactUserID, type, subject, theme, subTheme, precision, productSlug, impact, priority,
                                state, assigneeID, project, fields, followUpEmails, incidentID, language, openedAt, updatedAt,
                                firstResponseDueAt, firstRespondedAt, resolvedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [ticket.number.value, ticket.tenantID, ticket.contactUserID, ticket.type, ticket.subject, ticket.theme,
                             ticket.subTheme, ticket.precision, ticket.productSlug, ticket.impact, ticket.priority.rawValue,
                             ticket.state.rawValue, ticket.assigneeID, ticket.project, try StoredJSON.encode(ticket.fields),
                             try StoredJSON.encode(ticket.followUpEmails), ticket.incidentID, ticket.language,
                             ticket.openedAt.timeIntervalSince1970, ticket.updatedAt.timeIntervalSince1970,
                             ticket.firstResponseDueAt?.timeIntervalSince1970, ticket.firstRespondedAt?.timeIntervalSince1970,
                             ticket.resolvedAt?.timeIntervalSince1970])
        return db.lastInsertedRowID
    }

    /// Inserts the message and its attachments; returns it with their ids.
    static func insertMessage(_ db: Database, ticketID: Int64, _ message: TicketMessage) throws -> TicketMessage {
        try db.cachedStatement(sql: """
            INSERT INTO ticketMessage (ticketID, kind, authorUserID, authorName, body, createdAt) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [ticketID, message.kind.rawValue, message.authorUserID, message.authorName, message.body,
                             message.createdAt.timeIntervalSince1970])
        var stored = message
        stored.id = db.lastInsertedRowID
        stored.ticketID = ticketID
        for index in stored.attachments.indices {
            let attachment = stored.attachments[index]
            try db.cachedStatement(sql: """
                INSERT INTO ticketAttachment (messageID, fileName, sha256, size, contentType) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [stored.id, attachment.fileName, attachment.blob.sha256, attachment.blob.size, attachment.blob.contentType])
            stored.attachments[index].id = db.lastInsertedRowID
        }
        return stored
    }

    /// The search row of a new ticket: its subject, messages (customer-visible apart from notes) and tags.
    static func writeText(_ db: Database, ticket: Ticket, messages: [TicketMessage]) throws {
        let body = messages.filter(\.visibleToCustomer).map { TicketIndexText.clean($0.body) }.joined(separator: "\n")
        let notes = messages.filter { !$0.visibleToCustomer }.map { TicketIndexText.clean($0.body) }.joined(separator: "\n")
        try db.cachedStatement(sql: "INSERT INTO ticketText (ticketID, subject, body, notes, tags) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [ticket.id, TicketIndexText.clean(ticket.subject), body, notes,
                                 TicketIndexText.tags(tenantID: ticket.tenantID, contactUserID: ticket.contactUserID)])
    }

    /// Adds a message's text to the ticket's search row (a note to the notes column).
    static func appendText(_ db: Database, ticketID: Int64, _ message: TicketMessage) throws {
        let column = message.visibleToCustomer ? "body" : "notes"
        try db.execute(sql: """
            UPDATE ticketText SET \(column) = CASE \(column) WHEN '' THEN ? ELSE \(column) || char(10) || ? END WHERE ticketID = ?
            """, arguments: [TicketIndexText.clean(message.body), TicketIndexText.clean(message.body), ticketID])
    }
}
