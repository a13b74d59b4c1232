import Foundation
import Notify
import StatusModel

/// What a customer sends from a request form (or the API): the service checks it against the
/// forms file, fills the subject and the priority, and opens the ticket.
public struct TicketRequest: Sendable, Hashable {
    public var type: String
    public var theme: String
    public var subTheme: String
    public var precision: String
    public var productSlug: String?
    public var impact: String?
    /// Nil when the request concerns no project ("Non").
    public var project: String?
    public var fields: [String: String]
    public var description: String
    /// As typed: addresses separated by commas; each is checked.
    public var followUpEmails: String
    public var attachments: [TakenAttachment]
    /// The open incident (or maintenance) the form showed for the product: the ticket is linked to it.
    public var incidentID: String?

    public init(type: String, theme: String = "", subTheme: String = "", precision: String = "", productSlug: String? = nil,
                impact: String? = nil, project: String? = nil, fields: [String: String] = [:], description: String,
                followUpEmails: String = "", attachments: [TakenAttachment] = [], incidentID: String? = nil) {
        self.type = type
        self.theme = theme
        self.subTheme = subTheme
        self.precision = precision
        self.productSlug = productSlug
        self.impact = impact
        self.project = project
        self.fields = fields
        self.description = description
        self.followUpEmails = followUpEmails
        self.attachments = attachments
        self.incidentID = incidentID
    }
}

/// The ticket rules in one place, for the customer pages, the agents' pages and the API alike:
/// who may do what, the transitions (`TicketRules`), and the mails each change sends (through
/// the outbox, in the change's transaction, never for a note). Form mistakes are `FormErrors`
/// (field → message key); a ticket the actor may not see is `NotInTenant` (the page answers
/// 404); a step the ticket's state does not allow, or a race lost, is `TicketChanged`.
///
/// `actor` is the signed-in user; `reader` says what they may see (built by the web layer from
/// the request's identity). Agents are users with a staff role (`reader.isStaff`).
public struct TicketService: Sendable {
    public let store: any TicketStore
    public let forms: TicketForms
    let accounts: any AccountStore
    let baseURL: String
    let siteName: StatusConfig.Branding.Text
    let clock: @Sendable () -> Date

    public init(store: any TicketStore, accounts: any AccountStore, forms: TicketForms, baseURL: String,
                siteName: StatusConfig.Branding.Text = StatusConfig.Branding.defaultName,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.accounts = accounts
        self.forms = forms
        self.baseURL = baseURL
        self.siteName = siteName
        self.clock = clock
    }

    // MARK: customers

    /// Opens a ticket in `tenantID` for `user` (a member of it): checks the type, the lists'
    /// keys, required fields, the product (`allowedProducts`: those the tenant has), the
    /// impact, the project (from the tenant's list), the description and each follow-up
    /// address; fills the subject and the priority (forms rule) and the first-response due time;
    /// queues the acknowledgement with the number to the contact and the follow-up addresses.
    public func open(_ request: TicketRequest, by user: User, tenantID: Int64, allowedProducts: [String]) async throws -> Ticket {
        throw TicketServiceNotBuilt()
    }

    public func ticket(_ number: TicketNumber, for reader: TicketReader) async throws -> Ticket? {
        try await store.ticket(number, for: reader)
    }

    public func conversation(_ number: TicketNumber, for reader: TicketReader) async throws -> [TicketMessage] {
        try await store.messages(of: number, for: reader)
    }

    public func list(_ query: TicketQuery, for reader: TicketReader) async throws -> TicketResults {
        try await store.tickets(query, for: reader)
    }

    /// A message from the customer (contact or tenant administrator), or from an agent when
    /// `reader.isStaff` (`awaitCustomer` asks the customer and waits: "En attente client").
    public func reply(_ number: TicketNumber, body: String, attachments: [TakenAttachment], awaitCustomer: Bool = false,
                      by actor: User, reader: TicketReader) async throws -> Ticket {
        throw TicketServiceNotBuilt()
    }

    /// "Accepter la solution": resolved; asks "Votre avis compte" in the resolution mail.
    public func acceptSolution(_ number: TicketNumber, by actor: User, reader: TicketReader) async throws -> Ticket {
        throw TicketServiceNotBuilt()
    }

    /// "Refuser la solution": the reason is required (`FormErrors("reason", …)`); back to the agent, En cours.
    public func refuseSolution(_ number: TicketNumber, reason: String, by actor: User, reader: TicketReader) async throws -> Ticket {
        throw TicketServiceNotBuilt()
    }

    /// "Annulation de cette demande".
    public func cancel(_ number: TicketNumber, by actor: User, reader: TicketReader) async throws -> Ticket {
        throw TicketServiceNotBuilt()
    }

    /// Replaces the follow-up addresses (each checked: `FormErrors("follow_up_emails", …)`).
    public func setFollowUps(_ number: TicketNumber, emails: String, by actor: User, reader: TicketReader) async throws -> Ticket {
        throw TicketServiceNotBuilt()
    }

    /// "Votre avis compte": 1 to 5 and a comment, once, by the contact of a resolved (or closed) ticket.
    public func rate(_ number: TicketNumber, stars: Int, comment: String, by actor: User, reader: TicketReader) async throws {
        throw TicketServiceNotBuilt()
    }

    /// "Un article a-t-il répondu à votre question ? Oui": no ticket; counts for the article.
    public func articleAnswered(_ article: ArticleNumber, by user: User, tenantID: Int64) async throws {
        try await store.recordArticleAnswered(article, userID: user.id, tenantID: tenantID, at: Date())
    }

    // MARK: agents (actor has a staff role; otherwise `NotAllowed`)

    /// Assigns to `agentID` (nil: unassigns). A new ticket goes En cours.
    public func assign(_ number: TicketNumber, to agentID: Int64?, by agent: User) async throws -> Ticket {
        throw TicketServiceNotBuilt()
    }

    /// An internal note: no mail, never shown to a customer.
    public func note(_ number: TicketNumber, body: String, attachments: [TakenAttachment], by agent: User) async throws -> Ticket {
        throw TicketServiceNotBuilt()
    }

    /// "Solution proposée": the customer accepts or refuses it; mailed to the contact and follow-ups.
    public func proposeSolution(_ number: TicketNumber, body: String, attachments: [TakenAttachment], by agent: User) async throws -> Ticket {
        throw TicketServiceNotBuilt()
    }

    /// A new priority with a required reason (recorded in the conversation as an event).
    public func changePriority(_ number: TicketNumber, to priority: TicketPriority, reason: String, by agent: User) async throws -> Ticket {
        throw TicketServiceNotBuilt()
    }

    /// Links the ticket to an incident (nil: unlinks).
    public func linkIncident(_ number: TicketNumber, incidentID: String?, by agent: User) async throws -> Ticket {
        throw TicketServiceNotBuilt()
    }

    /// Closes a resolved ticket.
    public func close(_ number: TicketNumber, by agent: User) async throws -> Ticket {
        throw TicketServiceNotBuilt()
    }

    /// In one action: links every open ticket on the incident's products opened since it
    /// started and not yet linked; returns how many.
    public func linkOpenTickets(to incident: Incident, by agent: User) async throws -> Int {
        throw TicketServiceNotBuilt()
    }

    /// The incident was resolved: every linked open ticket gets `message` as a proposed
    /// solution, and its contact and follow-up addresses exactly one mail each. Called once per
    /// resolution (by the follower of the status journal); returns how many tickets got it.
    public func incidentResolved(_ incidentID: String, message: String, at: Date) async throws -> Int {
        throw TicketServiceNotBuilt()
    }

    /// Each article's "Oui" count, highest first.
    public func articleAnswers(limit: Int = 50) async throws -> [(article: ArticleNumber, count: Int)] {
        try await store.articleAnswers(limit: limit)
    }

    public func satisfactionReport() async throws -> [SatisfactionRow] {
        try await store.satisfactionReport()
    }
}

/// Placeholder while the service's rules are written (tickets-store branch); never shipped.
struct TicketServiceNotBuilt: Error {}
