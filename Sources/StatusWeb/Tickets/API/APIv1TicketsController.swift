import Foundation
import Hummingbird
import Portal
import StatusModel

/// `/api/v1/tickets`: support requests for programs. A tenant's key lists and reads its
/// tenant's tickets (as the tenant's administrators see them: never an internal note), opens
/// tickets for one of its users and writes to them; a staff key lists and reads every ticket,
/// internal notes included, and writes nothing (agents work on the pages). What each key sees
/// is the store's rule (`TicketReader`); another tenant's ticket is a 404.
struct APIv1TicketsController<Store: StatusStore>: Sendable {
    let tickets: TicketSite
    let accounts: AccountService
    let store: Store
    let catalog: MessageCatalog
    let calendar: DayCalendar

    private var service: TicketService { tickets.service }

    static var maxPerPage: Int { 100 }

    func addRoutes(to routes: SiteRoutes) {
        let keys = routes.api(.apiKey)
        let tenantKeys = routes.api(.tenantKey)
        keys.get("tickets") { request, context in
            let reader = TicketReader(context.identity)
            let query = try await query(request, staff: reader.isStaff)
            let results = try await service.list(query, for: reader)
            let people = try await accounts.users(ids: results.tickets.map(\.contactUserID) + results.tickets.compactMap(\.assigneeID))
            let tenants = try await tenantCodes(results.tickets)
            return TicketJSON.List(tickets: results.tickets.map { TicketJSON.Summary($0, people: people, tenants: tenants, timeZone: calendar.timeZone) },
                                   pagination: .init(page: results.page, pageCount: results.pageCount, perPage: query.pageSize, total: results.total))
        }
        keys.get("tickets/:number") { _, context in
            let reader = TicketReader(context.identity)
            let number = try Self.number(context)
            guard let ticket = try await service.ticket(number, for: reader) else { throw APIError.notFound("ticket") }
            return try await full(ticket, reader: reader)
        }
        tenantKeys.post("tickets") { request, context in
            guard case .tenantKey(let key) = context.identity else { throw APIError.tenantKeyRequired }
            let body = try await APIv1JSON.decode(TicketJSON.Create.self, from: request)
            guard let email = body.contact?.trimmingCharacters(in: .whitespaces), !email.isEmpty else { throw APIError.missing("contact") }
            let contact = try await member(email, tenantID: key.tenantID, field: "contact")
            guard let type = body.type, !type.isEmpty else { throw APIError.missing("type") }
            let request = TicketRequest(type: type, theme: body.theme ?? "", subTheme: body.subTheme ?? "", precision: body.precision ?? "",
                                        productSlug: body.product, impact: body.impact, project: body.project,
                                        fields: Dictionary((body.fields ?? []).map { ($0.key, $0.value) }) { _, last in last },
                                        description: body.description ?? "", followUpEmails: (body.followUpEmails ?? []).joined(separator: ", "),
                                        incidentID: body.incidentId)
            let allowed = try await store.visibleProducts(for: context.audience).products.map(\.slug)
            let ticket = try await refusingInAPIWords {
                try await service.open(request, by: contact, tenantID: key.tenantID, allowedProducts: allowed)
            }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/tickets/\(ticket.number)"],
                                  response: try await full(ticket, reader: .tenantKey(key.tenantID)))
        }
        tenantKeys.post("tickets/:number/messages") { request, context in
            guard case .tenantKey(let key) = context.identity else { throw APIError.tenantKeyRequired }
            let reader = TicketReader.tenantKey(key.tenantID)
            let number = try Self.number(context)
            guard let ticket = try await service.ticket(number, for: reader) else { throw APIError.notFound("ticket") }
            let body = try await APIv1JSON.decode(TicketJSON.NewMessage.self, from: request)
            let author: User
            if let email = body.author?.trimmingCharacters(in: .whitespaces), !email.isEmpty {
                author = try await member(email, tenantID: key.tenantID, field: "author")
            } else {
                guard let contact = try await accounts.users(ids: [ticket.contactUserID])[ticket.contactUserID] else { throw APIError.missing("author") }
                author = contact
            }
            let changed = try await refusingInAPIWords {
                try await service.reply(number, body: body.body ?? "", attachments: [], by: author, reader: reader)
            }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/tickets/\(changed.number)"],
                                  response: try await full(changed, reader: reader))
        }
    }

    static func number(_ context: StatusRequestContext) throws -> TicketNumber {
        guard let number = TicketNumber(try context.parameters.require("number")) else { throw APIError.notFound("ticket") }
        return number
    }

    /// The list's query string, strictly: a value that means nothing is a 400 naming it.
    private func query(_ request: Request, staff: Bool) async throws -> TicketQuery {
        let parameters = FormQuery.values(request)
        func value(_ name: String) -> String? {
            parameters[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        var query = TicketQuery(sort: .updated, pageSize: 25)
        if let text = value("q") {
            guard text.count <= 200 else { throw APIError.badParameter("q", "The parameter q is longer than 200 characters.") }
            query.text = text
        }
        if let state = value("state") {
            if state == "open" {
                query.states = TicketState.allCases.filter(\.isOpen)
            } else {
                guard let wanted = TicketState(rawValue: state) else {
                    throw APIError.badParameter("state", "The parameter state must be open or one of: \(TicketState.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                query.states = [wanted]
            }
        }
        if let priority = value("priority") {
            guard let wanted = Int(priority).flatMap(TicketPriority.init(rawValue:)) else {
                throw APIError.badParameter("priority", "The parameter priority must be 1, 2, 3 or 4.")
            }
            query.priority = wanted
        }
        if let type = value("type") {
            guard tickets.forms.type(type) != nil else { throw APIError.badParameter("type", "No request type has the key \"\(type)\".") }
            query.type = type
        }
        query.productSlug = value("product")
        if let sort = value("sort") {
            guard let wanted = TicketSort(rawValue: sort) else {
                throw APIError.badParameter("sort", "The parameter sort must be one of: \(TicketSort.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            query.sort = wanted
        }
        if let page = value("page") {
            guard let wanted = Int(page), (1...10_000).contains(wanted) else {
                throw APIError.badParameter("page", "The parameter page must be a whole number from 1 to 10000.")
            }
            query.page = wanted
        }
        if let perPage = value("per_page") {
            guard let wanted = Int(perPage), (1...Self.maxPerPage).contains(wanted) else {
                throw APIError.badParameter("per_page", "The parameter per_page must be a whole number from 1 to \(Self.maxPerPage).")
            }
            query.pageSize = wanted
        }
        if let code = value("tenant") {
            // A tenant's key sees its own tenant only: the parameter is for staff keys.
            guard staff else { throw APIError.badParameter("tenant", "The parameter tenant is for staff keys.") }
            guard let tenant = try await accounts.tenants().first(where: { $0.code == code }) else {
                throw APIError.badParameter("tenant", "No customer account has the code \"\(code)\".")
            }
            query.tenantID = tenant.id
        }
        return query
    }

    /// A user of the key's tenant by address; anyone else is refused as unknown.
    private func member(_ email: String, tenantID: Int64, field: String) async throws -> User {
        let wanted = User.normalize(email)
        guard let found = try await accounts.members(tenantID: tenantID).first(where: { $0.user.email == wanted })?.user,
              found.state == .active else {
            throw APIError.invalid(field, "The field \(field) must be the address of an active user of the key's customer account.")
        }
        return found
    }

    /// The service's refusals as the API's errors: a form mistake is a 422 naming the field, a
    /// ticket that moved on a 409, one the key may not see a 404.
    private func refusingInAPIWords(_ change: () async throws -> Ticket) async throws -> Ticket {
        do {
            return try await change()
        } catch let errors as FormErrors {
            let field = errors.fields.keys.sorted().first ?? "body"
            let sentence = errors[field].map { catalog.text($0, .en) }
            // A key the catalogs do not have yet would read as a code: say which field instead.
            let message = sentence.flatMap { $0.hasPrefix("ticket_") || $0.hasPrefix("tstaff_") ? nil : $0 }
                ?? "The field \(APIFieldName.snakeCase(field)) is not valid."
            throw APIError(.unprocessableContent, "invalid_value", message, field: APIFieldName.snakeCase(field))
        } catch let changed as TicketChanged {
            throw APIError(.conflict, "ticket_changed", "The ticket is \(changed.current.rawValue): it does not take this change now.")
        } catch is NotInTenant {
            throw APIError.notFound("ticket")
        } catch is NotAllowed {
            throw APIError.forbidden
        }
    }

    private func tenantCodes(_ tickets: [Ticket]) async throws -> [Int64: String] {
        var codes: [Int64: String] = [:]
        for id in Set(tickets.map(\.tenantID)) { codes[id] = try await accounts.tenant(id: id)?.code }
        return codes
    }

    private func full(_ ticket: Ticket, reader: TicketReader) async throws -> TicketJSON.Full {
        // The store leaves notes out for a reader who may not see them; this keeps them out even if it did not.
        let messages = try await service.conversation(ticket.number, for: reader).filter { reader.seesNotes || $0.visibleToCustomer }
        let people = try await accounts.users(ids: [ticket.contactUserID] + [ticket.assigneeID].compactMap { $0 })
        return TicketJSON.Full(ticket, messages: messages, people: people, tenants: try await tenantCodes([ticket]), timeZone: calendar.timeZone)
    }
}

/// The JSON shapes of `/api/v1/tickets`.
enum TicketJSON {
    struct Summary: Encodable {
        let number: String
        let subject: String
        let type: String
        let state: String
        let priority: Int
        let product: String?
        let tenantCode: String?
        let contact: String?
        let assignee: String?
        let incidentId: String?
        let openedAt: String
        let updatedAt: String
        let firstResponseDueAt: String?
        let url: String

        init(_ ticket: Ticket, people: [Int64: User], tenants: [Int64: String], timeZone: TimeZone) {
            number = ticket.number.description
            subject = ticket.subject
            type = ticket.type
            state = ticket.state.rawValue
            priority = ticket.priority.rawValue
            product = ticket.productSlug
            tenantCode = tenants[ticket.tenantID]
            contact = people[ticket.contactUserID]?.email
            assignee = ticket.assigneeID.flatMap { people[$0]?.displayName }
            incidentId = ticket.incidentID
            openedAt = APIv1JSON.format(ticket.openedAt, in: timeZone)
            updatedAt = APIv1JSON.format(ticket.updatedAt, in: timeZone)
            firstResponseDueAt = ticket.firstResponseDueAt.map { APIv1JSON.format($0, in: timeZone) }
            url = "/requests/\(ticket.number)"
        }
    }

    struct Pagination: Encodable {
        let page: Int
        let pageCount: Int
        let perPage: Int
        let total: Int
    }

    struct List: ResponseEncodable {
        let tickets: [Summary]
        let pagination: Pagination
    }

    struct Message: Encodable {
        struct Attachment: Encodable {
            let id: String
            let fileName: String
            let size: Int64
            let contentType: String
        }
        let id: String
        let kind: String
        let author: String
        let body: String
        let createdAt: String
        let attachments: [Attachment]
    }

    struct Full: ResponseEncodable {
        let ticket: Summary
        let theme: String
        let subTheme: String
        let precision: String
        let impact: String?
        let project: String?
        let fields: [Field]
        let followUpEmails: [String]
        let resolvedAt: String?
        let messages: [Message]

        init(_ ticket: Ticket, messages: [TicketMessage], people: [Int64: User], tenants: [Int64: String], timeZone: TimeZone) {
            self.ticket = Summary(ticket, people: people, tenants: tenants, timeZone: timeZone)
            theme = ticket.theme
            subTheme = ticket.subTheme
            precision = ticket.precision
            impact = ticket.impact
            project = ticket.project
            fields = ticket.fields.sorted { $0.key < $1.key }.map { Field(key: $0.key, value: $0.value) }
            followUpEmails = ticket.followUpEmails
            resolvedAt = ticket.resolvedAt.map { APIv1JSON.format($0, in: timeZone) }
            self.messages = messages.map { message in
                Message(id: String(message.id), kind: message.kind.rawValue, author: message.authorName, body: message.body,
                        createdAt: APIv1JSON.format(message.createdAt, in: timeZone),
                        attachments: message.attachments.map { .init(id: String($0.id), fileName: $0.fileName, size: $0.blob.size, contentType: $0.blob.contentType) })
            }
        }
    }

    /// One of a request type's fields. A list of pairs rather than an object: the API's
    /// snake_case conversion would rename an object's keys, which are the forms file's.
    struct Field: Codable {
        let key: String
        let value: String
    }

    /// A new ticket: `contact` is the address of a user of the key's tenant, for whom it is opened.
    struct Create: Decodable {
        var contact: String?
        var type: String?
        var theme: String?
        var subTheme: String?
        var precision: String?
        var product: String?
        var impact: String?
        var project: String?
        var fields: [Field]?
        var description: String?
        var followUpEmails: [String]?
        var incidentId: String?
    }

    /// A message from the customer; `author` (a user of the key's tenant) defaults to the ticket's contact.
    struct NewMessage: Decodable {
        var body: String?
        var author: String?
    }
}
