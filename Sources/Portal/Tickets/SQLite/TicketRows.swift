import Foundation
import GRDB

// Columns are decoded with `try`, never read with `row["column"]`: GRDB's subscript traps on a
// NULL or a value of another type, and one damaged row would stop the whole server.

/// A stored value the store cannot read: the read fails, the process does not.
struct DamagedTicketRow: Error, CustomStringConvertible {
    let description: String
}

extension Ticket {
    /// Reads a `ticket` row (all its columns).
    init(row: Row) throws {
        let stateName = try row.decode(String.self, forColumn: "state")
        guard let state = TicketState(rawValue: stateName) else { throw DamagedTicketRow(description: "unknown ticket state \(stateName)") }
        let priorityValue = try row.decode(Int.self, forColumn: "priority")
        guard let priority = TicketPriority(rawValue: priorityValue) else {
            throw DamagedTicketRow(description: "unknown ticket priority \(priorityValue)")
        }
        func date(_ column: String) throws -> Date? {
            try row.decode(Double?.self, forColumn: column).map(Date.init(timeIntervalSince1970:))
        }
        self.init(id: try row.decode(Int64.self, forColumn: "id"), number: TicketNumber(try row.decode(Int.self, forColumn: "number")),
                  tenantID: try row.decode(Int64.self, forColumn: "tenantID"),
                  contactUserID: try row.decode(Int64.self, forColumn: "contactUserID"),
                  type: try row.decode(String.self, forColumn: "type"), subject: try row.decode(String.self, forColumn: "subject"),
                  theme: try row.decode(String.self, forColumn: "theme"), subTheme: try row.decode(String.self, forColumn: "subTheme"),
                  precision: try row.decode(String.self, forColumn: "precision"),
                  productSlug: try row.decode(String?.self, forColumn: "productSlug"),
                  impact: try row.decode(String?.self, forColumn: "impact"), priority: priority, state: state,
                  assigneeID: try row.decode(Int64?.self, forColumn: "assigneeID"), project: try row.decode(String?.self, forColumn: "project"),
                  fields: try StoredJSON.decode([String: String].self, try row.decode(String.self, forColumn: "fields")),
                  followUpEmails: try StoredJSON.decode([String].self, try row.decode(String.self, forColumn: "followUpEmails")),
                  incidentID: try row.decode(String?.self, forColumn: "incidentID"),
                  language: try row.decode(String.self, forColumn: "language"),
                  openedAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "openedAt")),
                  updatedAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "updatedAt")),
                  firstResponseDueAt: try date("firstResponseDueAt"), firstRespondedAt: try date("firstRespondedAt"),
                  resolvedAt: try date("resolvedAt"))
    }
}

extension TicketMessage {
    /// Reads a `ticketMessage` row; attachments are added by the caller.
    init(row: Row) throws {
        let kindName = try row.decode(String.self, forColumn: "kind")
        guard let kind = Kind(rawValue: kindName) else { throw DamagedTicketRow(description: "unknown message kind \(kindName)") }
        self.init(id: try row.decode(Int64.self, forColumn: "id"), ticketID: try row.decode(Int64.self, forColumn: "ticketID"), kind: kind,
                  authorUserID: try row.decode(Int64?.self, forColumn: "authorUserID"),
                  authorName: try row.decode(String.self, forColumn: "authorName"), body: try row.decode(String.self, forColumn: "body"),
                  createdAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "createdAt")))
    }
}

extension TicketAttachment {
    /// Reads a `ticketAttachment` row.
    init(row: Row) throws {
        self.init(id: try row.decode(Int64.self, forColumn: "id"), fileName: try row.decode(String.self, forColumn: "fileName"),
                  blob: BlobReference(sha256: try row.decode(String.self, forColumn: "sha256"),
                                      size: try row.decode(Int64.self, forColumn: "size"),
                                      contentType: try row.decode(String.self, forColumn: "contentType")))
    }
}

/// The ticket's JSON columns (its type's fields, its follow-up addresses).
enum StoredJSON {
    static func encode(_ value: [String: String]) throws -> String {
        value.isEmpty ? "{}" : try encodeValue(value)
    }

    static func encode(_ value: [String]) throws -> String {
        value.isEmpty ? "[]" : try encodeValue(value)
    }

    static func encode(_ value: [Int64]) throws -> String {
        "[" + value.map(String.init).joined(separator: ",") + "]"
    }

    static func encodeValue(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ text: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// Who may see a ticket, as SQL over the `ticket` row named `alias`: staff every ticket, a
/// customer those they are the contact of and those of the tenants they administer, anyone
/// else none. One rule for every read.
struct TicketAccess {
    let sql: String
    let arguments: StatementArguments

    init(_ reader: TicketReader, alias: String = "ticket") {
        if reader.isStaff {
            sql = "1"
            arguments = []
            return
        }
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let userID = reader.userID {
            clauses.append("\(alias).contactUserID = ?")
            arguments += [userID]
        }
        let tenants = Array(Set(reader.adminTenantIDs)).sorted().prefix(500)
        if !tenants.isEmpty {
            clauses.append("\(alias).tenantID IN (\(SQLiteTicketStore.marks(tenants.count)))")
            arguments += StatementArguments(Array(tenants))
        }
        sql = clauses.isEmpty ? "0" : "(" + clauses.joined(separator: " OR ") + ")"
        self.arguments = arguments
    }

    /// Message kinds the reader may see: notes only for staff.
    static func messageKinds(_ reader: TicketReader, alias: String = "ticketMessage") -> String {
        reader.seesNotes ? "1" : "\(alias).kind <> 'note'"
    }
}

/// What the search index holds besides the words: who may find the ticket, as tags (digits keep
/// them out of the stemmer; the `tags` column is never searched for words).
enum TicketIndexText {
    static func tenant(_ id: Int64) -> String { "zzt\(id)" }
    static func contact(_ id: Int64) -> String { "zzu\(id)" }
    static func tags(tenantID: Int64, contactUserID: Int64) -> String { "\(tenant(tenantID)) \(contact(contactUserID))" }

    /// The tags `reader` may find, as an FTS5 expression; nil for staff (everything).
    static func visibility(_ reader: TicketReader) -> String? {
        guard !reader.isStaff else { return nil }
        var tags: [String] = []
        if let userID = reader.userID { tags.append(contact(userID)) }
        tags += Array(Set(reader.adminTenantIDs)).sorted().prefix(500).map(tenant)
        return tags.isEmpty ? "tags : zznone" : "tags : (\(tags.joined(separator: " OR ")))"
    }

    /// Private-use characters that would confuse later highlighting are dropped from indexed text.
    static func clean(_ text: String) -> String { SearchIndexText.clean(text) }
}
