import Foundation
import Logging
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
    /// The users' trail: tickets opened, solutions accepted or refused, cancellations.
    let activity: ActivityLog?
    /// When set, what agents do reaches the ticket's contact the way they chose for ticket
    /// updates (the bell, the mail, or both); without, the contact is mailed as before.
    let notifier: Notifier?

    public init(store: any TicketStore, accounts: any AccountStore, forms: TicketForms, baseURL: String,
                siteName: StatusConfig.Branding.Text = StatusConfig.Branding.defaultName,
                clock: @escaping @Sendable () -> Date = { Date() }, activity: ActivityLog? = nil, notifier: Notifier? = nil) {
        self.activity = activity
        self.notifier = notifier
        self.store = store
        self.accounts = accounts
        self.forms = forms
        self.baseURL = baseURL
        self.siteName = siteName
        self.clock = clock
    }

    var mails: TicketMails { TicketMails(baseURL: baseURL, names: siteName) }

    // MARK: customers

    /// Opens a ticket in `tenantID` for `user` (a member of it): checks the type, the lists'
    /// keys, required fields, the product (`allowedProducts`: those the tenant has), the
    /// impact, the project (from the tenant's list), the description and each follow-up
    /// address; fills the subject and the priority (forms rule) and the first-response due time;
    /// queues the acknowledgement with the number to the contact and the follow-up addresses.
    public func open(_ request: TicketRequest, by user: User, tenantID: Int64, allowedProducts: [String]) async throws -> Ticket {
        guard try await accounts.memberships(userID: user.id).contains(where: { $0.tenant.id == tenantID }) else { throw NotInTenant() }
        let projects = try await store.projects(tenantID: tenantID)
        let now = clock()
        var draft = try TicketRequestCheck(forms: forms, projects: projects, allowedProducts: allowedProducts)
            .draft(request, by: user, tenantID: tenantID)
        draft.firstResponseDueAt = forms.firstResponseDue(priority: draft.priority, openedAt: now)
        let mails = self.mails
        let ticket = try await store.createTicket(draft, at: now) { ticket in mails.mails(.acknowledgement, ticket: ticket, contact: user) }
        await record(.ticketOpened, ticket, by: user)
        return ticket
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
        let ticket = try await visible(number, reader)
        let text = try TicketRequestCheck.body(body, field: "body")
        try TicketRequestCheck.attachments(attachments)
        let now = clock()
        if reader.isStaff {
            try Self.requireStaff(actor)
            let step: TicketStep = awaitCustomer ? .awaitCustomer : .agentReply
            let message = TicketMessage(kind: .agent, authorUserID: actor.id, authorName: actor.displayName, body: text, createdAt: now,
                                        attachments: Self.attachments(attachments))
            let change = try TicketChange(step, on: ticket, message: message,
                                      firstRespondedAt: now, at: now)
            return try await write(change, to: ticket, event: .reply(author: actor.displayName, body: text), notice: .reply)
        }
        let message = TicketMessage(kind: .customer, authorUserID: actor.id, authorName: actor.displayName, body: text, createdAt: now,
                                    attachments: Self.attachments(attachments))
        let change = try TicketChange(.customerReply, on: ticket, message: message, at: now)
        return try await write(change, to: ticket, event: nil)
    }

    /// "Accepter la solution": resolved; asks "Votre avis compte" in the resolution mail.
    public func acceptSolution(_ number: TicketNumber, by actor: User, reader: TicketReader) async throws -> Ticket {
        let ticket = try await visible(number, reader)
        let now = clock()
        let change = try TicketChange(.acceptSolution, on: ticket, message: Self.event("Solution acceptée", by: actor, at: now), at: now)
        let written = try await write(change, to: ticket, event: .resolved)
        await record(.ticketSolutionAccepted, written, by: actor)
        return written
    }

    /// "Refuser la solution": the reason is required (`FormErrors("reason", …)`); back to the agent, En cours.
    public func refuseSolution(_ number: TicketNumber, reason: String, by actor: User, reader: TicketReader) async throws -> Ticket {
        let ticket = try await visible(number, reader)
        let text = try TicketRequestCheck.body(reason, field: "reason")
        let now = clock()
        let message = TicketMessage(kind: .refusal, authorUserID: actor.id, authorName: actor.displayName, body: text, createdAt: now)
        let change = try TicketChange(.refuseSolution, on: ticket, message: message, at: now)
        let written = try await write(change, to: ticket, event: nil)
        await record(.ticketSolutionRefused, written, by: actor, detail: text)
        return written
    }

    /// "Annulation de cette demande".
    public func cancel(_ number: TicketNumber, by actor: User, reader: TicketReader) async throws -> Ticket {
        let ticket = try await visible(number, reader)
        let now = clock()
        let change = try TicketChange(.cancel, on: ticket, message: Self.event("Demande annulée", by: actor, at: now), at: now)
        let written = try await write(change, to: ticket, event: .cancelled)
        await record(.ticketCancelled, written, by: actor)
        return written
    }

    /// Replaces the follow-up addresses (each checked: `FormErrors("follow_up_emails", …)`).
    public func setFollowUps(_ number: TicketNumber, emails: String, by actor: User, reader: TicketReader) async throws -> Ticket {
        let ticket = try await visible(number, reader)
        let contact = try await accounts.user(id: ticket.contactUserID)
        let addresses = try TicketRequestCheck.followUps(emails, contactEmail: contact?.email)
        // The addresses change nothing the conversation shows: the state stays, whatever it is
        // (the rule of a note), and nobody is mailed.
        let change = TicketChange(step: .note, expectedState: ticket.state, newState: ticket.state, followUpEmails: addresses, at: clock())
        return try await write(change, to: ticket, event: nil)
    }

    /// "Votre avis compte": 1 to 5 and a comment, once, by the contact of a resolved (or closed) ticket.
    public func rate(_ number: TicketNumber, stars: Int, comment: String, by actor: User, reader: TicketReader) async throws {
        let ticket = try await visible(number, reader)
        guard ticket.contactUserID == actor.id else { throw NotAllowed() }
        guard ticket.state == .resolved || ticket.state == .closed else { throw TicketChanged(current: ticket.state) }
        var errors = FormErrors()
        if !(1...5).contains(stars) { errors.add("stars", "ticket_error_stars") }
        let text = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > TicketRequestCheck.maxComment { errors.add("comment", "ticket_error_too_long") }
        guard errors.isEmpty else { throw errors }
        guard try await store.recordSatisfaction(TicketSatisfaction(ticketID: ticket.id, stars: stars, comment: text, at: clock())) else {
            throw FormErrors("stars", "ticket_error_already_rated")
        }
    }

    /// "Un article a-t-il répondu à votre question ? Oui": no ticket; counts for the article.
    public func articleAnswered(_ article: ArticleNumber, by user: User, tenantID: Int64) async throws {
        try await store.recordArticleAnswered(article, userID: user.id, tenantID: tenantID, at: clock())
    }

    // MARK: - Shared steps

    /// The ticket when `reader` may see it; `NotInTenant` otherwise (the page answers 404).
    func visible(_ number: TicketNumber, _ reader: TicketReader) async throws -> Ticket {
        guard let ticket = try await store.ticket(number, for: reader) else { throw NotInTenant() }
        return ticket
    }

    static func requireStaff(_ actor: User) throws {
        guard actor.staffRole != nil else { throw NotAllowed() }
    }

    static func attachments(_ taken: [TakenAttachment]) -> [TicketAttachment] {
        taken.map { TicketAttachment(fileName: $0.fileName, blob: $0.blob) }
    }

    static func event(_ body: String, by actor: User?, at: Date) -> TicketMessage {
        TicketMessage(kind: .event, authorUserID: actor?.id, authorName: actor?.displayName ?? "", body: body, createdAt: at)
    }

    /// Writes the change with the mails of `event` (none without), computed from the ticket as the change leaves it.
    /// With `notice` (what an agent did) and a notifier, the contact's mail leaves the change's
    /// transaction and goes with the contact's notification, the way they chose for ticket
    /// updates; the follow-up addresses are mailed in the transaction as before.
    func write(_ change: TicketChange, to ticket: Ticket, event: TicketMails.Event?, notice: TicketNotice? = nil) async throws -> Ticket {
        var mails: [Mail] = []
        let contact = try await accounts.user(id: ticket.contactUserID)
        if let event {
            var after = ticket
            after.state = change.newState
            if let emails = change.followUpEmails { after.followUpEmails = emails }
            mails = self.mails.mails(event, ticket: after, contact: contact)
        }
        guard let notifier, let notice, let contact else {
            guard let written = try await store.apply(change, to: ticket.number, mails: mails) else { throw NotInTenant() }
            return written
        }
        // The contact's mail is the first one when there is one (`TicketMails` writes theirs first).
        let contactMail = mails.first.flatMap { $0.to == User.normalize(contact.email) ? $0 : nil }
        guard let written = try await store.apply(change, to: ticket.number, mails: contactMail == nil ? mails : Array(mails.dropFirst())) else {
            throw NotInTenant()
        }
        await tell(contact, notice, about: written, mail: contactMail, notifier: notifier)
        return written
    }

    /// The contact's notification of an agent's change. The change stands whatever happens here:
    /// a notification that cannot be written is logged, not an error for the agent.
    func tell(_ contact: User, _ notice: TicketNotice, about ticket: Ticket, mail: Mail?, notifier: Notifier) async {
        do {
            try await notifier.notify(userID: contact.id, kind: .ticketUpdate, title: notice.title(number: ticket.number, language: contact.language),
                                      body: ticket.subject, link: "/requests/\(ticket.number)", mail: mail)
        } catch {
            Logger(label: "statusd.tickets").error("ticket notification not written",
                                                   metadata: ["ticket": "\(ticket.number)", "error": "\(error)"])
        }
    }

    /// A line of the actor's own trail about the ticket.
    func record(_ kind: ActivityEntry.Kind, _ ticket: Ticket, by actor: User, detail: String = "") async {
        await activity?.record(userID: actor.id, tenantID: ticket.tenantID, kind, subject: ticket.number.description,
                               detail: detail.isEmpty ? ticket.subject : detail, link: "/requests/\(ticket.number)")
    }
}
