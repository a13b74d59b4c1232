import Foundation
import GRDB
import Logging
import Notify
import Portal
import StatusModel
import Testing

/// The ticket rules through `TicketService`, with the real outbox table.
@Suite struct TicketServiceTests {
    static let forms = TicketForms(
        types: [
            RequestType(key: "incident", label: LocalizedText(fr: "Pour un incident", en: "For an incident"),
                        summary: LocalizedText(fr: "Une erreur", en: "An error"),
                        themes: [TicketChoice(key: "portal", label: LocalizedText(fr: "Portail", en: "Portal"), children: [
                            TicketChoice(key: "admin", label: LocalizedText(fr: "Administration et utilisation", en: "Administration and use"), children: [
                                TicketChoice(key: "login", label: LocalizedText(fr: "1 - Connexion", en: "1 - Sign-in")),
                            ]),
                        ])],
                        fields: [TicketField(key: "problem", label: LocalizedText(fr: "Problème", en: "Problem"), kind: .choice, required: true,
                                             choices: [TicketChoice(key: "error", label: LocalizedText(fr: "J'obtiens un message d'erreur", en: "I get an error"))]),
                                 TicketField(key: "error_shown", label: LocalizedText(fr: "Erreur affichée", en: "Error shown"), kind: .text)],
                        asksProduct: true, asksImpact: true),
            RequestType(key: "administrative", label: LocalizedText(fr: "Pour une demande administrative", en: "For an administrative request"),
                        summary: LocalizedText(fr: "Factures", en: "Invoices")),
        ],
        impacts: [TicketImpact(key: "minor", label: LocalizedText(fr: "Problème mineur", en: "Minor"), priority: .low),
                  TicketImpact(key: "blocking", label: LocalizedText(fr: "Arrêt complet bloquant mon activité", en: "Blocking"), priority: .critical)],
        firstResponseHours: [.critical: 2, .low: 48])

    struct World {
        let f: TicketFixture
        let service: TicketService
    }

    func world() async throws -> World {
        let f = try await TicketFixture()
        let clock = f.clock
        return World(f: f, service: TicketService(store: f.store, accounts: f.accounts, forms: Self.forms, baseURL: "https://portal.example.com",
                                                  clock: { clock.now }))
    }

    func incidentRequest(followUps: String = "", description: String = "La page de connexion affiche une erreur 500.") -> TicketRequest {
        TicketRequest(type: "incident", theme: "portal", subTheme: "admin", precision: "login", productSlug: "cegid-loop", impact: "blocking",
                      fields: ["problem": "error", "error_shown": "Erreur 500"], description: description, followUpEmails: followUps)
    }

    func open(_ w: World, by user: User? = nil, tenant: Tenant? = nil, followUps: String = "") async throws -> Ticket {
        let user = user ?? w.f.alice
        return try await w.service.open(incidentRequest(followUps: followUps), by: user, tenantID: (tenant ?? (user.id == w.f.berthe.id ? w.f.tenantB : w.f.tenantA)).id,
                                        allowedProducts: ["cegid-loop", "cegid-stream"])
    }

    func recipients(_ w: World) async throws -> [String] { try await w.f.outbox().map(\.to) }

    @Test func aRequestIsCheckedFieldByFieldAgainstTheForms() async throws {
        let w = try await world()
        let empty = TicketRequest(type: "incident", description: "  ", followUpEmails: "chef@a.fr, pas-une-adresse")
        let error = try #require(await #expect(throws: FormErrors.self) {
            try await w.service.open(empty, by: w.f.alice, tenantID: w.f.tenantA.id, allowedProducts: ["cegid-loop"])
        })
        #expect(error.fields == ["theme": "ticket_error_required", "problem": "ticket_error_required", "product": "ticket_error_required",
                                 "impact": "ticket_error_required", "description": "ticket_error_required",
                                 "follow_up_emails": "ticket_error_email"])
        var wrong = incidentRequest()
        wrong.subTheme = "nope"
        wrong.productSlug = "cegid-secret"
        wrong.impact = "huge"
        wrong.fields["problem"] = "other"
        let wrongError = try #require(await #expect(throws: FormErrors.self) {
            try await w.service.open(wrong, by: w.f.alice, tenantID: w.f.tenantA.id, allowedProducts: ["cegid-loop"])
        })
        #expect(wrongError.fields == ["sub_theme": "ticket_error_choice", "product": "ticket_error_choice", "impact": "ticket_error_choice",
                                      "problem": "ticket_error_choice"])
        await #expect(throws: FormErrors("type", "ticket_error_choice")) {
            try await w.service.open(TicketRequest(type: "nope", description: "x"), by: w.f.alice, tenantID: w.f.tenantA.id, allowedProducts: [])
        }
        // Not a member of the tenant: as if it did not exist.
        await #expect(throws: NotInTenant.self) {
            try await w.service.open(incidentRequest(), by: w.f.berthe, tenantID: w.f.tenantA.id, allowedProducts: ["cegid-loop"])
        }
        #expect(try await w.f.count("ticket") == 0)
        #expect(try await w.f.outbox().isEmpty)

        try await w.f.store.setProjects(["ERP"], tenantID: w.f.tenantA.id)
        let unknownProject = TicketRequest(type: "administrative", project: "Paie", description: "Facture")
        await #expect(throws: FormErrors("project", "ticket_error_choice")) {
            try await w.service.open(unknownProject, by: w.f.alice, tenantID: w.f.tenantA.id, allowedProducts: [])
        }
        let administrative = try await w.service.open(TicketRequest(type: "administrative", project: "ERP", description: "Facture"),
                                                      by: w.f.alice, tenantID: w.f.tenantA.id, allowedProducts: [])
        #expect(administrative.subject == "Pour une demande administrative")
        #expect(administrative.project == "ERP")
        #expect(administrative.priority == .low)
    }

    @Test func openingFillsSubjectPriorityAndDueTimeAndAcknowledgesOncePerAddress() async throws {
        let w = try await world()
        let ticket = try await open(w, followUps: "Chef@A.fr; alice@a.fr, chef@a.fr\nsuivi@b.fr")
        #expect(ticket.number.description == "CS0000001")
        #expect(ticket.subject == "Portail : Administration et utilisation - 1 - Connexion")
        #expect(ticket.priority == .critical)
        #expect(ticket.firstResponseDueAt == ticket.openedAt.addingTimeInterval(2 * 3600))
        #expect(ticket.followUpEmails == ["chef@a.fr", "suivi@b.fr"])
        #expect(ticket.fields == ["problem": "error", "error_shown": "Erreur 500"])
        let mails = try await w.f.outbox()
        #expect(mails.map(\.to) == ["alice@a.fr", "chef@a.fr", "suivi@b.fr"])
        #expect(mails.allSatisfy { $0.subject.contains("CS0000001") && $0.text.contains("https://portal.example.com/requests/CS0000001") })
        let messages = try await w.service.conversation(ticket.number, for: w.f.reader(w.f.alice))
        #expect(messages.map(\.body) == ["La page de connexion affiche une erreur 500."])
    }

    @Test func theWholeConversationWithItsMailsExactlyOncePerAddressAndNoneForNotes() async throws {
        let w = try await world()
        let (s, f) = (w.service, w.f)
        let alice = f.reader(f.alice)
        let ticket = try await open(w, followUps: "chef@a.fr")
        let number = ticket.number
        var mails = try await f.outbox().count
        func newMails() async throws -> [Mail] {
            let all = try await f.outbox()
            defer { mails = all.count }
            return Array(all.dropFirst(mails))
        }

        // Agents' steps need a staff role; customers get NotAllowed.
        await #expect(throws: NotAllowed.self) { try await s.assign(number, to: f.gaston.id, by: f.alice) }
        await #expect(throws: NotAllowed.self) { try await s.note(number, body: "x", attachments: [], by: f.adele) }
        await #expect(throws: FormErrors("assignee", "ticket_error_not_agent")) { try await s.assign(number, to: f.bob.id, by: f.gaston) }
        #expect(try await s.assign(number, to: f.gaston.id, by: f.gaston).state == .inProgress)
        #expect(try await s.assign(number, to: f.gaston.id, by: f.gaston).assigneeID == f.gaston.id)

        _ = try await s.note(number, body: "Secret : le client n'a pas payé", attachments: [], by: f.gaston)
        #expect(try await newMails().isEmpty)

        f.clock.advance(60)
        let replied = try await s.reply(number, body: "Pouvez-vous vider le cache ?", attachments: [], awaitCustomer: true, by: f.gaston,
                                        reader: f.reader(f.gaston))
        #expect(replied.state == .awaitingCustomer)
        #expect(replied.firstRespondedAt == f.clock.now)
        let replyMails = try await newMails()
        #expect(replyMails.map(\.to) == ["alice@a.fr", "chef@a.fr"])
        #expect(replyMails.allSatisfy { $0.text.contains("vider le cache") && !$0.text.contains("Secret") && !($0.html ?? "").contains("Secret") })

        f.clock.advance(60)
        #expect(try await s.reply(number, body: "C'est fait, sans effet.", attachments: [], by: f.alice, reader: alice).state == .inProgress)
        #expect(try await newMails().isEmpty)

        await #expect(throws: TicketChanged(current: .inProgress)) { try await s.acceptSolution(number, by: f.alice, reader: alice) }
        let proposed = try await s.proposeSolution(number, body: "Réinitialisez votre mot de passe <b>ici</b>.", attachments: [], by: f.gaston)
        #expect(proposed.state == .solutionProposed)
        #expect(proposed.firstRespondedAt == replied.firstRespondedAt)
        let solutionMails = try await newMails()
        #expect(solutionMails.map(\.to) == ["alice@a.fr", "chef@a.fr"])
        #expect(solutionMails.allSatisfy { ($0.html ?? "").contains("&lt;b&gt;ici&lt;/b&gt;") && $0.text.contains("Accepter / Refuser") })

        await #expect(throws: FormErrors("reason", "ticket_error_required")) {
            try await s.refuseSolution(number, reason: "  ", by: f.alice, reader: alice)
        }
        #expect(try await s.ticket(number, for: alice)?.state == .solutionProposed)
        #expect(try await s.refuseSolution(number, reason: "Toujours l'erreur", by: f.alice, reader: alice).state == .inProgress)
        #expect(try await newMails().isEmpty)

        _ = try await s.proposeSolution(number, body: "Le correctif est déployé.", attachments: [], by: f.gaston)
        _ = try await newMails()
        // The tenant's administrator may answer too.
        let resolved = try await s.acceptSolution(number, by: f.adele, reader: f.reader(f.adele))
        #expect(resolved.state == .resolved)
        #expect(resolved.resolvedAt == f.clock.now)
        let resolvedMails = try await newMails()
        #expect(resolvedMails.map(\.to) == ["alice@a.fr", "chef@a.fr"])
        #expect(resolvedMails.allSatisfy { $0.text.contains("/requests/CS0000001?lang=fr#avis") && $0.text.contains("Votre avis compte") })

        await #expect(throws: NotAllowed.self) { try await s.rate(number, stars: 5, comment: "", by: f.adele, reader: f.reader(f.adele)) }
        await #expect(throws: FormErrors("stars", "ticket_error_stars")) { try await s.rate(number, stars: 6, comment: "", by: f.alice, reader: alice) }
        try await s.rate(number, stars: 5, comment: "Merci", by: f.alice, reader: alice)
        await #expect(throws: FormErrors("stars", "ticket_error_already_rated")) {
            try await s.rate(number, stars: 1, comment: "", by: f.alice, reader: alice)
        }
        #expect(try await s.close(number, by: f.gaston).state == .closed)
        #expect(try await newMails().isEmpty)

        // The customer's conversation has no note; the agent's has it.
        let seen = try await s.conversation(number, for: alice)
        #expect(!seen.contains { $0.kind == .note || $0.body.contains("Secret") })
        #expect(try await s.conversation(number, for: .staff).contains { $0.kind == .note })
        // No mail ever carried the note.
        #expect(try await f.outbox().allSatisfy { !$0.text.contains("Secret") && !($0.html ?? "").contains("Secret") })
    }

    @Test func aPriorityChangesWithAReasonAndOnlyWhereTheStateAllows() async throws {
        let w = try await world()
        let (s, f) = (w.service, w.f)
        let ticket = try await open(w)
        await #expect(throws: FormErrors("reason", "ticket_error_required")) {
            try await s.changePriority(ticket.number, to: .low, reason: " ", by: f.gaston)
        }
        await #expect(throws: NotAllowed.self) { try await s.changePriority(ticket.number, to: .low, reason: "Moins urgent", by: f.alice) }
        let changed = try await s.changePriority(ticket.number, to: .low, reason: "Contournement trouvé", by: f.gaston)
        #expect(changed.priority == .low)
        #expect(changed.state == .new)
        #expect(try await s.conversation(ticket.number, for: f.reader(f.alice)).last?.body.contains("Contournement trouvé") == true)
        await #expect(throws: TicketChanged(current: .new)) { try await s.close(ticket.number, by: f.gaston) }
        _ = try await s.cancel(ticket.number, by: f.alice, reader: f.reader(f.alice))
        await #expect(throws: TicketChanged(current: .cancelled)) {
            try await s.changePriority(ticket.number, to: .high, reason: "Finalement urgent", by: f.gaston)
        }
        await #expect(throws: TicketChanged(current: .cancelled)) { try await s.assign(ticket.number, to: f.gaston.id, by: f.gaston) }
        await #expect(throws: NotInTenant.self) { try await s.assign(TicketNumber(404), to: f.gaston.id, by: f.gaston) }
        #expect(try await s.ticket(ticket.number, for: .staff)?.priority == .low)
    }

    @Test func customersActOnlyOnTicketsTheySee() async throws {
        let w = try await world()
        let (s, f) = (w.service, w.f)
        let ticket = try await open(w)
        let berthe = f.reader(f.berthe)
        await #expect(throws: NotInTenant.self) { try await s.reply(ticket.number, body: "Coucou", attachments: [], by: f.berthe, reader: berthe) }
        await #expect(throws: NotInTenant.self) { try await s.cancel(ticket.number, by: f.berthe, reader: berthe) }
        await #expect(throws: NotInTenant.self) { try await s.cancel(ticket.number, by: f.bob, reader: f.reader(f.bob)) }
        await #expect(throws: NotInTenant.self) { try await s.setFollowUps(ticket.number, emails: "x@b.fr", by: f.berthe, reader: berthe) }
        await #expect(throws: NotInTenant.self) { try await s.acceptSolution(ticket.number, by: f.berthe, reader: berthe) }
        await #expect(throws: NotInTenant.self) { try await s.refuseSolution(ticket.number, reason: "Non", by: f.berthe, reader: berthe) }
        await #expect(throws: NotInTenant.self) { try await s.rate(ticket.number, stars: 1, comment: "", by: f.berthe, reader: berthe) }
        #expect(try await s.conversation(ticket.number, for: berthe).isEmpty)
        #expect(try await f.count("ticketMessage") == 1)

        await #expect(throws: FormErrors("follow_up_emails", "ticket_error_email")) {
            try await s.setFollowUps(ticket.number, emails: "ok@a.fr, <script>", by: f.alice, reader: f.reader(f.alice))
        }
        #expect(try await s.setFollowUps(ticket.number, emails: "Suivi@A.fr", by: f.alice, reader: f.reader(f.alice)).followUpEmails == ["suivi@a.fr"])
        let before = try await f.outbox().count
        let cancelled = try await s.cancel(ticket.number, by: f.alice, reader: f.reader(f.alice))
        #expect(cancelled.state == .cancelled)
        let mails = Array(try await f.outbox().dropFirst(before))
        #expect(mails.map(\.to) == ["alice@a.fr", "suivi@a.fr"])
        #expect(mails.allSatisfy { $0.subject.contains("annulée") })
        await #expect(throws: TicketChanged(current: .cancelled)) { try await s.cancel(ticket.number, by: f.alice, reader: f.reader(f.alice)) }
        await #expect(throws: TicketChanged(current: .cancelled)) {
            try await s.reply(ticket.number, body: "Encore", attachments: [], by: f.alice, reader: f.reader(f.alice))
        }
    }

    @Test func aResolvedIncidentProposesItsMessageOnEachLinkedOpenTicketWithOneMailPerAddress() async throws {
        let w = try await world()
        let (s, f) = (w.service, w.f)
        let start = f.clock.now
        let first = try await open(w, by: f.alice, followUps: "chef@a.fr")
        let second = try await open(w, by: f.bob, followUps: "chef@a.fr")
        let third = try await open(w, by: f.berthe, followUps: "berthe@b.fr, suivi@b.fr")
        let unlinked = try await open(w, by: f.alice)
        let incident = Incident(id: "inc-7", title: "Panne", impact: .major, productSlugs: ["cegid-loop"], startedAt: start)
        _ = try await s.assign(unlinked.number, to: f.gaston.id, by: f.gaston)
        _ = try await s.linkIncident(unlinked.number, incidentID: "inc-other", by: f.gaston)
        #expect(try await s.linkOpenTickets(to: incident, by: f.gaston) == 3)
        #expect(try await s.linkOpenTickets(to: incident, by: f.gaston) == 0)
        await #expect(throws: NotAllowed.self) { try await s.linkOpenTickets(to: incident, by: f.adele) }
        let before = try await f.outbox().count

        f.clock.advance(600)
        #expect(try await s.incidentResolved("inc-7", message: "Le service est rétabli.", at: f.clock.now) == 3)
        #expect(try await s.incidentResolved("inc-7", message: "Le service est rétabli.", at: f.clock.now) == 3)
        let mails = Array(try await f.outbox().dropFirst(before))
        #expect(mails.map(\.to).sorted() == ["alice@a.fr", "berthe@b.fr", "bob@a.fr", "chef@a.fr", "chef@a.fr", "suivi@b.fr"])
        #expect(mails.allSatisfy { $0.text.contains("Le service est rétabli.") })
        // Bob reads English; the follow-up of his ticket reads the ticket's language, his.
        #expect(mails.filter { $0.to == "bob@a.fr" }.allSatisfy { $0.language == "en" })
        for ticket in [first, second, third] {
            let now = try #require(try await s.ticket(ticket.number, for: .staff))
            #expect(now.state == .solutionProposed)
            #expect(try await s.conversation(ticket.number, for: .staff).filter { $0.kind == .solution }.map(\.body) == ["Le service est rétabli."])
        }
        #expect(try await s.ticket(unlinked.number, for: .staff)?.state == .inProgress)
        #expect(try await s.conversation(unlinked.number, for: .staff).allSatisfy { $0.kind != .solution })
    }

    @Test func theFollowerRunsAsAServiceWokenByAResolutionAndStopsWhenCancelled() async throws {
        let w = try await world()
        let (s, f) = (w.service, w.f)
        let status = SQLiteStatusStore(database: f.database, calendar: DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!))
        try await status.syncProducts([Product(slug: "cegid-loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: f.clock.now)])
        let follower = TicketIncidentFollower(events: status, tickets: s, cursor: f.store, pollInterval: .seconds(30), logger: Logger(label: "test"))
        let ticket = try await open(w)
        _ = try await s.linkIncident(ticket.number, incidentID: "inc-3", by: f.gaston)
        var incident = Incident(id: "inc-3", title: "Panne", impact: .major, productSlugs: ["cegid-loop"], startedAt: f.clock.now)
        incident.post(.init(status: .investigating, message: "On regarde.", at: f.clock.now))
        try await status.save(incident)
        let running = Task { try await follower.run() }
        incident.post(.init(status: .resolved, message: "Rétabli.", at: f.clock.now))
        try await status.save(incident)
        follower.wake()
        // Woken, it does not wait for its 30 s poll.
        let deadline = ContinuousClock.now + .seconds(20)
        while try await s.ticket(ticket.number, for: .staff)?.state != .solutionProposed, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await s.ticket(ticket.number, for: .staff)?.state == .solutionProposed)
        running.cancel()
        _ = await running.result
    }

    @Test func theFollowerProposesEachResolutionOnceFromTheStatusJournal() async throws {
        let w = try await world()
        let (s, f) = (w.service, w.f)
        let status = SQLiteStatusStore(database: f.database, calendar: DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!))
        try await status.syncProducts([Product(slug: "cegid-loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: f.clock.now)])
        let follower = TicketIncidentFollower(events: status, tickets: s, cursor: f.store, logger: Logger(label: "test"))
        let ticket = try await open(w, followUps: "chef@a.fr")
        var incident = Incident(id: "inc-9", title: "Panne", impact: .major, productSlugs: ["cegid-loop"], startedAt: f.clock.now)
        incident.post(.init(status: .investigating, message: "On regarde.", at: f.clock.now))
        try await status.save(incident)
        _ = try await s.linkIncident(ticket.number, incidentID: "inc-9", by: f.gaston)
        try await follower.followPending()
        #expect(try await s.ticket(ticket.number, for: .staff)?.state == .new)

        let before = try await f.outbox().count
        f.clock.advance(60)
        incident.post(.init(status: .resolved, message: "Rétabli à 14 h.", at: f.clock.now))
        try await status.save(incident)
        #expect(try await follower.followPending() > 0)
        #expect(try await follower.followPending() == 0)
        #expect(try await s.ticket(ticket.number, for: .staff)?.state == .solutionProposed)
        #expect(Array(try await f.outbox().dropFirst(before)).map(\.to) == ["alice@a.fr", "chef@a.fr"])

        // A second follower (another process, or a restart before the cursor moved) changes nothing.
        try await f.store.moveIncidentJournalCursor(to: 0)
        #expect(try await f.store.incidentJournalCursor() > 0)
        try await f.database.writer.write { db in try db.execute(sql: "UPDATE ticketJournalCursor SET lastEventID = 0") }
        let again = TicketIncidentFollower(events: status, tickets: s, cursor: f.store, logger: Logger(label: "test"))
        try await again.followPending()
        #expect(Array(try await f.outbox().dropFirst(before)).count == 2)
    }
}
