import Foundation
import GRDB

/// A query's filters as SQL over `ticket` (and over `ticketCount` for the queue's counts).
struct TicketFilters {
    let access: TicketAccess
    let states: [TicketState]
    let query: TicketQuery
    /// The search's matches, when words were typed.
    var candidates: [Int64]?
    let isStaff: Bool

    init(_ query: TicketQuery, _ reader: TicketReader) {
        access = TicketAccess(reader)
        var seen: Set<TicketState> = []
        states = query.states.filter { seen.insert($0).inserted }
        self.query = query
        isStaff = reader.isStaff
    }

    /// Whether counts come from `ticketCount`: staff over every ticket, filtered only by what it counts.
    var usesQueueCounts: Bool { isStaff && candidates == nil && query.tenantID == nil && query.contactUserID == nil }

    /// The index that reads a state's tickets matching the queue's filters, most selective first
    /// (a product, an assignee, a type, a priority); nil without filters.
    var selectiveIndex: String? {
        if query.productSlug != nil { return "ticket_byProduct" }
        if query.unassignedOnly || query.assigneeID != nil { return "ticket_byAssignee" }
        if query.type != nil { return "ticket_byType" }
        if query.priority != nil { return "ticket_byStatePriority" }
        return nil
    }

    /// The WHERE clause. Over a small set (`usesQueueCounts` false) the contact, tenant or
    /// candidates must lead: the other columns are written `+column`, which SQLite never reads
    /// through an index (without it, `state IN (…)` looks as good to the planner as a
    /// customer's contact, and would walk every open ticket).
    func sql(states withStates: Bool = true, priority withPriority: Bool = true,
             typeIndexed: Bool = false) -> (sql: String, arguments: StatementArguments) {
        let plus = usesQueueCounts ? "" : "+"
        var clauses = [access.sql]
        var arguments = access.arguments
        if let candidates {
            clauses.append("id IN (SELECT value FROM json_each(?))")
            arguments += [(try? StoredJSON.encode(candidates)) ?? "[]"]
        }
        if withStates, !states.isEmpty {
            clauses.append("\(plus)state IN (\(SQLiteTicketStore.marks(states.count)))")
            arguments += StatementArguments(states.map(\.rawValue))
        }
        if withPriority, let priority = query.priority {
            clauses.append("\(plus)priority = ?")
            arguments += [priority.rawValue]
        }
        if let type = query.type {
            // A type is one of a few: walking the sort's index past the others costs less than sorting all of it.
            clauses.append("\(usesQueueCounts && typeIndexed ? "" : "+")type = ?")
            arguments += [type]
        }
        if let product = query.productSlug {
            clauses.append("\(plus)productSlug = ?")
            arguments += [product]
        }
        if let tenant = query.tenantID {
            clauses.append("tenantID = ?")
            arguments += [tenant]
        }
        if query.unassignedOnly {
            clauses.append("\(plus)assigneeID IS NULL")
        } else if let assignee = query.assigneeID {
            clauses.append("\(plus)assigneeID = ?")
            arguments += [assignee]
        }
        if let contact = query.contactUserID {
            clauses.append("contactUserID = ?")
            arguments += [contact]
        }
        return (clauses.joined(separator: " AND "), arguments)
    }

    /// The counts' table and WHERE clause: `ticketQueueCount` unless a type or product is asked.
    func countSQL(states withStates: Bool = true, priority withPriority: Bool = true) -> (table: String, sql: String, arguments: StatementArguments) {
        var clauses = ["1"]
        var arguments = StatementArguments()
        if withStates, !states.isEmpty {
            clauses.append("state IN (\(SQLiteTicketStore.marks(states.count)))")
            arguments += StatementArguments(states.map(\.rawValue))
        }
        if withPriority, let priority = query.priority {
            clauses.append("priority = ?")
            arguments += [priority.rawValue]
        }
        if let type = query.type {
            clauses.append("type = ?")
            arguments += [type]
        }
        if let product = query.productSlug {
            clauses.append("productKey = ?")
            arguments += [product]
        }
        if query.unassignedOnly {
            clauses.append("assigneeKey = 0")
        } else if let assignee = query.assigneeID {
            clauses.append("assigneeKey = ?")
            arguments += [assignee]
        }
        let table = query.type == nil && query.productSlug == nil ? "ticketQueueCount" : "ticketCount"
        return (table, clauses.joined(separator: " AND "), arguments)
    }
}
