import Foundation
import Notify

/// A new ticket as the form (or the API) sends it; the store adds the number and the dates.
public struct TicketDraft: Sendable, Hashable {
    public var tenantID: Int64
    public var contactUserID: Int64
    public var type: String
    public var subject: String
    public var theme: String
    public var subTheme: String
    public var precision: String
    public var productSlug: String?
    public var impact: String?
    public var priority: TicketPriority
    public var project: String?
    public var fields: [String: String]
    public var followUpEmails: [String]
    public var incidentID: String?
    public var language: String
    public var firstResponseDueAt: Date?
    /// The first message: the description, written by the contact.
    public var description: String
    public var authorName: String
    public var attachments: [TicketAttachment]

    public init(tenantID: Int64, contactUserID: Int64, type: String, subject: String, theme: String = "", subTheme: String = "",
                precision: String = "", productSlug: String? = nil, impact: String? = nil, priority: TicketPriority,
                project: String? = nil, fields: [String: String] = [:], followUpEmails: [String] = [], incidentID: String? = nil,
                language: String = "fr", firstResponseDueAt: Date? = nil, description: String, authorName: String,
                attachments: [TicketAttachment] = []) {
        self.tenantID = tenantID
        self.contactUserID = contactUserID
        self.type = type
        self.subject = subject
        self.theme = theme
        self.subTheme = subTheme
        self.precision = precision
        self.productSlug = productSlug
        self.impact = impact
        self.priority = priority
        self.project = project
        self.fields = fields
        self.followUpEmails = followUpEmails
        self.incidentID = incidentID
        self.language = language
        self.firstResponseDueAt = firstResponseDueAt
        self.description = description
        self.authorName = authorName
        self.attachments = attachments
    }
}

/// One change to a ticket, written with its message and its mails in one transaction. Fields
/// left nil stay as they are.
public struct TicketChange: Sendable, Hashable {
    public var step: TicketStep
    /// The state the caller saw: the change is written only if the ticket is still in it
    /// (two agents, or an agent and the customer, acting at once: the second gets `TicketChanged`).
    public var expectedState: TicketState
    public var newState: TicketState
    public var message: TicketMessage?
    /// `.some(nil)` unassigns.
    public var assigneeID: Int64??
    public var priority: TicketPriority?
    public var incidentID: String??
    public var followUpEmails: [String]?
    /// Set on the first agent reply or proposed solution.
    public var firstRespondedAt: Date?
    public var at: Date
    /// When set, the change is written at most once for this key (kept with it, in its
    /// transaction): a retry returns the ticket as it is, writes nothing and mails nobody.
    public var idempotencyKey: String?

    public init(step: TicketStep, expectedState: TicketState, newState: TicketState, message: TicketMessage? = nil,
                assigneeID: Int64?? = nil, priority: TicketPriority? = nil, incidentID: String?? = nil,
                followUpEmails: [String]? = nil, firstRespondedAt: Date? = nil, at: Date, idempotencyKey: String? = nil) {
        self.idempotencyKey = idempotencyKey
        self.step = step
        self.expectedState = expectedState
        self.newState = newState
        self.message = message
        self.assigneeID = assigneeID
        self.priority = priority
        self.incidentID = incidentID
        self.followUpEmails = followUpEmails
        self.firstRespondedAt = firstRespondedAt
        self.at = at
    }
}

extension TicketChange {
    /// `step` on `ticket` as it was read: the state it must still be in, and the state
    /// `TicketRules` gives after the step. Throws `TicketChanged` when the rule does not allow it.
    public init(_ step: TicketStep, on ticket: Ticket, message: TicketMessage? = nil, assigneeID: Int64?? = nil,
                priority: TicketPriority? = nil, incidentID: String?? = nil, followUpEmails: [String]? = nil,
                firstRespondedAt: Date? = nil, at: Date, idempotencyKey: String? = nil) throws {
        guard let next = TicketRules.state(after: step, from: ticket.state) else { throw TicketChanged(current: ticket.state) }
        self.init(step: step, expectedState: ticket.state, newState: next, message: message, assigneeID: assigneeID, priority: priority,
                  incidentID: incidentID, followUpEmails: followUpEmails, firstRespondedAt: firstRespondedAt, at: at,
                  idempotencyKey: idempotencyKey)
    }
}

/// The ticket moved on before this change was written: nothing was written.
public struct TicketChanged: Error, Sendable, Hashable {
    public var current: TicketState
    public init(current: TicketState) { self.current = current }
}

/// How ticket lists are ordered.
public enum TicketSort: String, Sendable, Hashable, CaseIterable {
    /// Most recently changed first (the default of "Suivi de vos demandes").
    case updated
    case newest
    case oldest
    /// Most urgent first, then the oldest.
    case priority
    /// The nearest first-response due time first (agents).
    case due
}

/// A list of tickets: the agents' queue, a customer's "Suivi de vos demandes", the API.
public struct TicketQuery: Sendable, Hashable {
    /// A number ("CS0000123") finds that ticket; words search subjects and visible messages
    /// (the agents' search includes notes), the last word as a prefix.
    public var text: String
    public var states: [TicketState]
    public var priority: TicketPriority?
    public var type: String?
    public var productSlug: String?
    public var tenantID: Int64?
    public var assigneeID: Int64?
    public var unassignedOnly: Bool
    /// A member's own tickets only, even where they are an administrator ("Mes demandes").
    public var contactUserID: Int64?
    public var sort: TicketSort
    /// 1-based; the store clamps it to the pages there are.
    public var page: Int
    public var pageSize: Int

    public init(text: String = "", states: [TicketState] = [], priority: TicketPriority? = nil, type: String? = nil,
                productSlug: String? = nil, tenantID: Int64? = nil, assigneeID: Int64? = nil, unassignedOnly: Bool = false,
                contactUserID: Int64? = nil, sort: TicketSort = .updated, page: Int = 1, pageSize: Int = 25) {
        self.text = text
        self.states = states
        self.priority = priority
        self.type = type
        self.productSlug = productSlug
        self.tenantID = tenantID
        self.assigneeID = assigneeID
        self.unassignedOnly = unassignedOnly
        self.contactUserID = contactUserID
        self.sort = sort
        self.page = page
        self.pageSize = pageSize
    }
}

/// A page of tickets, with the counts the filters show (each value's count among the tickets
/// that match the other filters).
public struct TicketResults: Sendable, Hashable {
    public var tickets: [Ticket]
    public var total: Int
    public var page: Int
    public var pageCount: Int
    public var stateCounts: [TicketState: Int]
    public var priorityCounts: [TicketPriority: Int]
    /// A search by words considers only its newest matches (`SQLiteTicketStore.searchCandidates`):
    /// true when there were more, so the total and counts are "at least" (the page says "1 000+").
    public var truncated: Bool

    public init(tickets: [Ticket], total: Int, page: Int, pageCount: Int, stateCounts: [TicketState: Int] = [:],
                priorityCounts: [TicketPriority: Int] = [:], truncated: Bool = false) {
        self.truncated = truncated
        self.tickets = tickets
        self.total = total
        self.page = page
        self.pageCount = pageCount
        self.stateCounts = stateCounts
        self.priorityCounts = priorityCounts
    }
}

/// A ticket of the old portal, for `statusd import tickets`: it keeps its number and dates.
public struct ImportedTicket: Sendable, Hashable {
    public var ticket: Ticket
    /// The conversation, oldest first; attachments already taken into the blob store.
    public var messages: [TicketMessage]

    public init(ticket: Ticket, messages: [TicketMessage]) {
        self.ticket = ticket
        self.messages = messages
    }
}

/// A contact's answer to "Votre avis compte" (once per resolved ticket).
public struct TicketSatisfaction: Sendable, Hashable {
    public var ticketID: Int64
    public var stars: Int
    public var comment: String
    public var at: Date

    public init(ticketID: Int64, stars: Int, comment: String, at: Date) {
        self.ticketID = ticketID
        self.stars = stars
        self.comment = comment
        self.at = at
    }
}

/// The agents' view of the answers: average and count per agent, product and month ("2026-11").
public struct SatisfactionRow: Sendable, Hashable {
    public var assigneeID: Int64?
    public var productSlug: String?
    public var month: String
    public var average: Double
    public var count: Int

    public init(assigneeID: Int64?, productSlug: String?, month: String, average: Double, count: Int) {
        self.assigneeID = assigneeID
        self.productSlug = productSlug
        self.month = month
        self.average = average
        self.count = count
    }
}

/// What tickets need from storage. Every read takes the reader and the store's query applies
/// who may see what (`TicketReader`), notes included, so no surface can show a ticket, or a
/// note, to someone who may not see it. A change and the mails it causes are written in one
/// transaction. Search stays behind `tickets(_:for:)`, so another store can use its own full-text engine.
public protocol TicketStore: Sendable {
    /// Opens a ticket with the next number (numbers are never reused), with its first message,
    /// and queues `mails` (the acknowledgement) in the same transaction.
    func createTicket(_ draft: TicketDraft, at: Date, mails: @Sendable (Ticket) -> [Mail]) async throws -> Ticket
    func ticket(_ number: TicketNumber, for reader: TicketReader) async throws -> Ticket?
    /// The conversation, oldest first; notes only when `reader.seesNotes`.
    func messages(of number: TicketNumber, for reader: TicketReader) async throws -> [TicketMessage]
    /// Writes `change` (and its message) if the ticket is still in `change.expectedState`, and
    /// queues `mails` in the same transaction. Throws `TicketChanged` when it was not; nil when
    /// there is no such ticket.
    func apply(_ change: TicketChange, to number: TicketNumber, mails: [Mail]) async throws -> Ticket?
    func tickets(_ query: TicketQuery, for reader: TicketReader) async throws -> TicketResults

    /// One attachment of a ticket's message when `reader` may see it (a note's only for staff).
    func attachment(id: Int64, of number: TicketNumber, for reader: TicketReader) async throws -> TicketAttachment?

    /// Open tickets on any of `productSlugs` opened at or after `since`, not yet linked to an incident.
    func openTickets(on productSlugs: [String], openedSince since: Date) async throws -> [Ticket]
    /// Tickets linked to the incident, newest first (staff).
    func tickets(linkedTo incidentID: String) async throws -> [Ticket]

    /// Adds the tickets whose numbers are not yet taken, with their messages and dates, in one
    /// transaction; returns whether each was added (a second import adds nothing).
    func importTickets(_ tickets: [ImportedTicket]) async throws -> [Bool]

    /// "Un article a-t-il répondu à votre question ? Oui": counts for the article.
    func recordArticleAnswered(_ article: ArticleNumber, userID: Int64, tenantID: Int64, at: Date) async throws
    /// Each article's "Oui" count, highest first (agents).
    func articleAnswers(limit: Int) async throws -> [(article: ArticleNumber, count: Int)]

    /// Records the contact's one answer for a resolved ticket; false when it already has one.
    func recordSatisfaction(_ answer: TicketSatisfaction) async throws -> Bool
    func satisfaction(ticketID: Int64) async throws -> TicketSatisfaction?
    func satisfactionReport() async throws -> [SatisfactionRow]

    /// The projects or environments a tenant's administrators keep, for the form's list.
    func projects(tenantID: Int64) async throws -> [String]
    func setProjects(_ projects: [String], tenantID: Int64) async throws
}
