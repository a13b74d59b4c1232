import Foundation
import Notify
import StatusModel

/// What agents do (the actor has a staff role; otherwise `NotAllowed`), and what an incident's
/// resolution does to the tickets linked to it.
extension TicketService {
    /// Assigns to `agentID` (nil: unassigns). A new ticket goes En cours.
    public func assign(_ number: TicketNumber, to agentID: Int64?, by agent: User) async throws -> Ticket {
        try Self.requireStaff(agent)
        let ticket = try await visible(number, .staff)
        var body = "Désaffectée"
        if let agentID {
            guard let assignee = try await accounts.user(id: agentID), assignee.staffRole != nil else {
                throw FormErrors("assignee", "ticket_error_not_agent")
            }
            body = "Affectée à \(assignee.displayName)"
        }
        let now = clock()
        let change = try TicketChange(.assign, on: ticket, message: Self.event(body, by: agent, at: now), assigneeID: .some(agentID), at: now)
        // A new ticket taken in hand changes state: its contact hears of it; a reassignment alone is the agents' business.
        return try await write(change, to: ticket, event: nil, notice: change.newState != ticket.state ? .state(change.newState) : nil)
    }

    /// An internal note: no mail, never shown to a customer.
    public func note(_ number: TicketNumber, body: String, attachments: [TakenAttachment], by agent: User) async throws -> Ticket {
        try Self.requireStaff(agent)
        let ticket = try await visible(number, .staff)
        let text = try TicketRequestCheck.body(body, field: "body")
        try TicketRequestCheck.attachments(attachments)
        let now = clock()
        let message = TicketMessage(kind: .note, authorUserID: agent.id, authorName: agent.displayName, body: text, createdAt: now,
                                    attachments: Self.attachments(attachments))
        let change = try TicketChange(.note, on: ticket, message: message, at: now)
        return try await write(change, to: ticket, event: nil)
    }

    /// "Solution proposée": the customer accepts or refuses it; mailed to the contact and follow-ups.
    public func proposeSolution(_ number: TicketNumber, body: String, attachments: [TakenAttachment], by agent: User) async throws -> Ticket {
        try Self.requireStaff(agent)
        let ticket = try await visible(number, .staff)
        let text = try TicketRequestCheck.body(body, field: "body")
        try TicketRequestCheck.attachments(attachments)
        let now = clock()
        let message = TicketMessage(kind: .solution, authorUserID: agent.id, authorName: agent.displayName, body: text, createdAt: now,
                                    attachments: Self.attachments(attachments))
        let change = try TicketChange(.proposeSolution, on: ticket, message: message, firstRespondedAt: now, at: now)
        return try await write(change, to: ticket, event: .solution(author: agent.displayName, body: text), notice: .solution)
    }

    /// A new priority with a required reason (recorded in the conversation as an event).
    public func changePriority(_ number: TicketNumber, to priority: TicketPriority, reason: String, by agent: User) async throws -> Ticket {
        try Self.requireStaff(agent)
        let ticket = try await visible(number, .staff)
        let text = try TicketRequestCheck.body(reason, field: "reason")
        let now = clock()
        let change = try TicketChange(.changePriority, on: ticket, message: Self.event("Priorité \(priority.rawValue) : \(text)", by: agent, at: now), priority: priority, at: now)
        return try await write(change, to: ticket, event: nil)
    }

    /// Links the ticket to an incident (nil: unlinks).
    public func linkIncident(_ number: TicketNumber, incidentID: String?, by agent: User) async throws -> Ticket {
        try Self.requireStaff(agent)
        let ticket = try await visible(number, .staff)
        let incident = incidentID?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard incident.map({ !$0.isEmpty && $0.count <= 200 }) ?? true else { throw FormErrors("incident", "ticket_error_required") }
        let change = try TicketChange(.linkIncident, on: ticket, incidentID: .some(incident), at: clock())
        return try await write(change, to: ticket, event: nil)
    }

    /// Closes a resolved ticket.
    public func close(_ number: TicketNumber, by agent: User) async throws -> Ticket {
        try Self.requireStaff(agent)
        let ticket = try await visible(number, .staff)
        let change = try TicketChange(.close, on: ticket, at: clock())
        return try await write(change, to: ticket, event: nil, notice: .state(change.newState))
    }

    /// In one action: links every open ticket on the incident's products opened since it
    /// started and not yet linked; returns how many.
    public func linkOpenTickets(to incident: Incident, by agent: User) async throws -> Int {
        try Self.requireStaff(agent)
        var linked = 0
        for ticket in try await store.openTickets(on: incident.productSlugs, openedSince: incident.startedAt) {
            let written = try await withRetries(ticket) { current in
                guard current.incidentID == nil, let next = TicketRules.state(after: .linkIncident, from: current.state) else { return nil }
                return (TicketChange(step: .linkIncident, expectedState: current.state, newState: next, incidentID: .some(incident.id),
                                     at: clock()), [])
            }
            if written { linked += 1 }
        }
        return linked
    }

    /// The incident was resolved: every linked open ticket gets `message` as a proposed
    /// solution, and its contact and follow-up addresses exactly one mail each. Called once per
    /// resolution (by the follower of the status journal); returns how many tickets got it.
    ///
    /// Each ticket's proposal is written compare-and-set, and at most once per resolution (the
    /// incident and `at` make its key): called again for the same resolution, after a crash
    /// say, it proposes nothing twice and mails nobody twice.
    public func incidentResolved(_ incidentID: String, message: String, at: Date) async throws -> Int {
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        let body = text.isEmpty ? "L'incident à l'origine de votre demande est résolu." : text
        let author = siteName.text("fr")
        let key = "incident-resolved:\(incidentID):\(Int64((at.timeIntervalSince1970 * 1000).rounded()))"
        var proposed = 0
        for ticket in try await store.tickets(linkedTo: incidentID) where ticket.state.isOpen {
            let contact = try await accounts.user(id: ticket.contactUserID)
            let written = try await withRetries(ticket) { current in
                guard current.incidentID == incidentID, let next = TicketRules.state(after: .proposeSolution, from: current.state) else {
                    return nil
                }
                let solution = TicketMessage(kind: .solution, authorUserID: nil, authorName: author, body: body, createdAt: at)
                var after = current
                after.state = next
                var mails = self.mails.mails(.solution(author: author, body: body), ticket: after, contact: contact)
                // With a notifier, the contact's mail goes with their notification (below), as they chose.
                if notifier != nil, let contact, mails.first?.to == User.normalize(contact.email) { mails.removeFirst() }
                return (TicketChange(step: .proposeSolution, expectedState: current.state, newState: next, message: solution,
                                     firstRespondedAt: at, at: at, idempotencyKey: "\(key):\(current.id)"), mails)
            }
            if written { proposed += 1 }
            if written, let notifier, let contact, let after = try await store.ticket(ticket.number, for: .staff) {
                let mail = self.mails.mails(.solution(author: author, body: body), ticket: after, contact: contact).first
                await tell(contact, .solution, about: after, mail: mail?.to == User.normalize(contact.email) ? mail : nil, notifier: notifier)
            }
        }
        return proposed
    }

    /// Each article's "Oui" count, highest first.
    public func articleAnswers(limit: Int = 50) async throws -> [(article: ArticleNumber, count: Int)] {
        try await store.articleAnswers(limit: limit)
    }

    public func satisfactionReport() async throws -> [SatisfactionRow] {
        try await store.satisfactionReport()
    }

    /// Writes the change `make` builds from the ticket as it is; when another change came first,
    /// reads the ticket again and asks again (a few times). `make` returns nil when there is
    /// nothing (left) to do. True when the change was written.
    private func withRetries(_ ticket: Ticket, _ make: (Ticket) throws -> (TicketChange, [Mail])?) async throws -> Bool {
        var current = ticket
        for _ in 0..<5 {
            guard let made = try make(current) else { return false }
            let (change, mails) = made
            do {
                return try await store.apply(change, to: current.number, mails: mails) != nil
            } catch is TicketChanged {
                guard let fresh = try await store.ticket(current.number, for: .staff) else { return false }
                current = fresh
            }
        }
        return false
    }
}
