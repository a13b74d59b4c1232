import Foundation
import GRDB
import Notify
import Portal
import StatusModel
import Testing

/// The contract of `TicketStore`, on a real SQLite file in WAL mode.
@Suite struct TicketStoreTests {
    func change(_ step: TicketStep, from: TicketState, to: TicketState, message: TicketMessage? = nil, at: Date,
                assignee: Int64?? = nil) -> TicketChange {
        TicketChange(step: step, expectedState: from, newState: to, message: message, assigneeID: assignee, at: at)
    }

    func message(_ kind: TicketMessage.Kind, _ body: String, by user: User, at: Date, attachments: [TicketAttachment] = []) -> TicketMessage {
        TicketMessage(kind: kind, authorUserID: user.id, authorName: user.displayName, body: body, createdAt: at, attachments: attachments)
    }

    func imported(_ number: Int, by user: User, tenant: Tenant, subject: String, at: Date) -> ImportedTicket {
        let ticket = Ticket(number: TicketNumber(number), tenantID: tenant.id, contactUserID: user.id, type: "administrative",
                            subject: subject, priority: .low, state: .closed, openedAt: at, updatedAt: at.addingTimeInterval(3600))
        return ImportedTicket(ticket: ticket, messages: [
            TicketMessage(kind: .customer, authorUserID: user.id, authorName: user.displayName, body: "Ancienne demande \(subject)", createdAt: at),
            TicketMessage(kind: .agent, authorUserID: nil, authorName: "Support Cegid", body: "Réponse de l'ancien portail",
                          createdAt: at.addingTimeInterval(600)),
        ])
    }

    @Test func numbersFollowOneAnotherAndContinuePastImportedOnes() async throws {
        let f = try await TicketFixture()
        let first = try await f.open("Premier", by: f.alice)
        let second = try await f.open("Second", by: f.alice)
        #expect(first.number.description == "CS0000001")
        #expect(second.number.description == "CS0000002")

        let old = f.clock.now.addingTimeInterval(-86_400 * 400)
        let added = try await f.store.importTickets([imported(120, by: f.alice, tenant: f.tenantA, subject: "Ancien", at: old),
                                                     imported(2, by: f.alice, tenant: f.tenantA, subject: "Doublon", at: old)])
        #expect(added == [true, false])
        let third = try await f.open("Troisième", by: f.alice)
        #expect(third.number.description == "CS0000121")

        let kept = try #require(try await f.store.ticket(TicketNumber(120), for: f.reader(f.alice)))
        #expect(kept.openedAt == old)
        #expect(kept.state == .closed)
        #expect(try await f.store.messages(of: kept.number, for: f.reader(f.alice)).map(\.authorName) == ["Alice Test", "Support Cegid"])
        #expect(try await f.store.ticket(TicketNumber(2), for: .staff)?.subject == "Second")
    }

    @Test func aSecondImportAddsNothing() async throws {
        let f = try await TicketFixture()
        let old = f.clock.now.addingTimeInterval(-86_400 * 30)
        let batch = (1...50).map { imported(1000 + $0, by: $0.isMultiple(of: 2) ? f.alice : f.berthe, tenant: $0.isMultiple(of: 2) ? f.tenantA : f.tenantB,
                                            subject: "Import \($0)", at: old) }
        #expect(try await f.store.importTickets(batch) == Array(repeating: true, count: 50))
        #expect(try await f.store.importTickets(batch) == Array(repeating: false, count: 50))
        #expect(try await f.count("ticket") == 50)
        #expect(try await f.count("ticketMessage") == 100)
        #expect(try await f.count("ticketText") == 50)
        // Imported tickets are in "Suivi de vos demandes" and in the counts.
        #expect(try await f.list(f.reader(f.berthe)).total == 25)
        #expect(try await f.list(.staff).stateCounts == [.closed: 50])
        #expect(try await f.list(f.reader(f.berthe), text: "ancienne demande").total == 25)
    }

    @Test func theFirstOfTwoChangesFromTheSameStateWinsAndTheOtherWritesNothing() async throws {
        let f = try await TicketFixture()
        let ticket = try await f.open("Connexion", by: f.alice)
        let at = f.clock.now
        _ = try await f.store.apply(change(.assign, from: .new, to: .inProgress, at: at, assignee: .some(f.gaston.id)), to: ticket.number, mails: [])
        let before = (try await f.count("ticketMessage"), try await f.outbox().count)
        let store = f.store
        func propose(_ body: String) async -> Result<Ticket?, any Error> {
            do {
                let proposal = change(.proposeSolution, from: .inProgress, to: .solutionProposed,
                                      message: message(.solution, body, by: f.gaston, at: at), at: at)
                return .success(try await store.apply(proposal, to: ticket.number,
                                                      mails: [Mail(to: "alice@a.fr", subject: body, text: body, language: "fr")]))
            } catch {
                return .failure(error)
            }
        }
        async let one = propose("Solution une")
        async let two = propose("Solution deux")
        let results = await [one, two]
        let wins = results.filter { if case .success(let ticket) = $0 { return ticket?.state == .solutionProposed } else { return false } }
        let losses = results.compactMap { if case .failure(let error) = $0 { return error as? TicketChanged } else { return nil } }
        #expect(wins.count == 1)
        #expect(losses == [TicketChanged(current: .solutionProposed)])
        #expect(try await f.count("ticketMessage") == before.0 + 1)
        #expect(try await f.outbox().count == before.1 + 1)
    }

    @Test func twoProcessesOpeningAndChangingTicketsAtOnceNeverShareANumberNorBothWin() async throws {
        let f = try await TicketFixture()
        // A second pool on the same file: another process.
        let other = SQLiteTicketStore(database: try SQLiteDatabase.open(path: f.folder.appendingPathComponent("tickets.sqlite").path,
                                                                        migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()]))
        let stores = [f.store, other]
        let drafts = (0..<20).map { f.draft("Course \($0)", by: f.alice) }
        let at = f.clock.now
        let numbers = try await withThrowingTaskGroup(of: TicketNumber.self) { group in
            for (index, draft) in drafts.enumerated() {
                group.addTask { try await stores[index % 2].createTicket(draft, at: at, mails: { _ in [] }).number }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(numbers) == Set((1...20).map(TicketNumber.init)))

        let first = TicketNumber(1)
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for store in stores {
                group.addTask {
                    do {
                        let proposal = TicketChange(step: .proposeSolution, expectedState: .new, newState: .solutionProposed,
                                                    message: TicketMessage(kind: .solution, authorUserID: nil, authorName: "Support", body: "Voilà",
                                                                           createdAt: at), at: at)
                        return try await store.apply(proposal, to: first, mails: [Mail(to: "alice@a.fr", subject: "S", text: "", language: "fr")]) != nil
                    } catch is TicketChanged {
                        return false
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.sorted { !$0 && $1 } == [false, true])
        #expect(try await f.store.messages(of: first, for: .staff).count == 2)
        #expect(try await f.outbox().count == 1)
    }

    @Test func aRefusedChangeQueuesNoMailAndAnUnknownTicketIsNil() async throws {
        let f = try await TicketFixture()
        let mail = Mail(to: "alice@a.fr", subject: "Accusé", text: "Votre demande", language: "fr")
        let ticket = try await f.open("Connexion", by: f.alice, mails: { ticket in [Mail(to: "alice@a.fr", subject: "\(ticket.number)", text: "", language: "fr")] })
        #expect(try await f.outbox().map(\.subject) == ["CS0000001"])
        await #expect(throws: TicketChanged(current: .new)) {
            try await f.store.apply(change(.acceptSolution, from: .solutionProposed, to: .resolved, at: f.clock.now), to: ticket.number, mails: [mail])
        }
        #expect(try await f.outbox().count == 1)
        #expect(try await f.store.apply(change(.assign, from: .new, to: .inProgress, at: f.clock.now), to: TicketNumber(999), mails: [mail]) == nil)
        #expect(try await f.outbox().count == 1)
    }

    @Test func aChangeWithAKeyIsWrittenOnce() async throws {
        let f = try await TicketFixture()
        let ticket = try await f.open("Connexion", by: f.alice)
        var proposal = change(.proposeSolution, from: .new, to: .solutionProposed, message: message(.solution, "Résolu", by: f.gaston, at: f.clock.now),
                              at: f.clock.now)
        proposal.idempotencyKey = "incident:42"
        let mail = Mail(to: "alice@a.fr", subject: "Solution", text: "", language: "fr")
        #expect(try await f.store.apply(proposal, to: ticket.number, mails: [mail])?.state == .solutionProposed)
        #expect(try await f.store.apply(proposal, to: ticket.number, mails: [mail])?.state == .solutionProposed)
        #expect(try await f.outbox().count == 1)
        #expect(try await f.store.messages(of: ticket.number, for: .staff).count == 2)
    }

    @Test func customersSeeTheirOwnTicketsAndTheirAdministratorsTheTenants() async throws {
        let f = try await TicketFixture()
        let alices = try await f.open("Alice", by: f.alice, attachments: [TicketAttachment(fileName: "capture.pdf", blob: TicketFixture.blob("a"))])
        let bobs = try await f.open("Bob", by: f.bob)
        let berthes = try await f.open("Berthe", by: f.berthe)

        // A member of tenant B gets nothing of A's ticket, by any door.
        let b = f.reader(f.berthe)
        #expect(try await f.store.ticket(alices.number, for: b) == nil)
        #expect(try await f.store.messages(of: alices.number, for: b).isEmpty)
        let attachment = try #require(try await f.store.messages(of: alices.number, for: .staff).first?.attachments.first)
        #expect(try await f.store.attachment(id: attachment.id, of: alices.number, for: b) == nil)
        #expect(try await f.store.attachment(id: attachment.id, of: berthes.number, for: b) == nil)
        #expect(try await f.subjects(b) == ["Berthe"])
        #expect(try await f.subjects(b, text: "CS0000001").isEmpty)
        #expect(try await f.subjects(b, text: "marche").count == 1)

        // A member of A sees only their own; an administrator of A all of A's, nothing of B.
        #expect(try await f.subjects(f.reader(f.bob)) == ["Bob"])
        #expect(try await f.store.ticket(alices.number, for: f.reader(f.bob)) == nil)
        #expect(try await f.subjects(f.reader(f.adele)) == ["Bob", "Alice"])
        #expect(try await f.store.ticket(alices.number, for: f.reader(f.adele))?.subject == "Alice")
        #expect(try await f.store.attachment(id: attachment.id, of: alices.number, for: f.reader(f.adele))?.fileName == "capture.pdf")
        #expect(try await f.store.ticket(berthes.number, for: f.reader(f.adele)) == nil)
        #expect(try await f.subjects(f.reader(f.adele), text: "marche") == ["Bob", "Alice"])
        #expect(try await f.list(f.reader(f.adele), contact: f.adele.id).total == 0)
        #expect(try await f.list(f.reader(f.adele), tenant: f.tenantB.id).total == 0)
        // A tenant's key reads as its administrators; nobody reads nothing.
        #expect(try await f.subjects(.tenantKey(f.tenantB.id)) == ["Berthe"])
        #expect(try await f.list(TicketReader(userID: nil)).total == 0)
        #expect(try await f.store.ticket(bobs.number, for: TicketReader(userID: nil)) == nil)
        #expect(try await f.subjects(.staff) == ["Berthe", "Bob", "Alice"])
    }

    @Test func notesAndTheirAttachmentsAreForStaffOnly() async throws {
        let f = try await TicketFixture()
        let ticket = try await f.open("Facturation", by: f.alice, description: "Ma facture est fausse")
        let note = message(.note, "Le client confond les remises exceptionnelles", by: f.gaston, at: f.clock.now,
                           attachments: [TicketAttachment(fileName: "analyse.pdf", blob: TicketFixture.blob("b"))])
        _ = try await f.store.apply(TicketChange(step: .note, expectedState: .new, newState: .new, message: note, at: f.clock.now),
                                    to: ticket.number, mails: [])
        let staffMessages = try await f.store.messages(of: ticket.number, for: .staff)
        #expect(staffMessages.map(\.kind) == [.customer, .note])
        let noteAttachment = try #require(staffMessages.last?.attachments.first)

        for reader in [f.reader(f.alice), f.reader(f.adele), .tenantKey(f.tenantA.id)] {
            #expect(try await f.store.messages(of: ticket.number, for: reader).map(\.kind) == [.customer])
            #expect(try await f.store.attachment(id: noteAttachment.id, of: ticket.number, for: reader) == nil)
            #expect(try await f.list(reader, text: "remises").total == 0)
            #expect(try await f.list(reader, text: "exceptionnel").total == 0)
            #expect(try await f.list(reader, text: "factures").total == 1)
        }
        #expect(try await f.store.attachment(id: noteAttachment.id, of: ticket.number, for: .staff)?.fileName == "analyse.pdf")
        #expect(try await f.list(.staff, text: "remise").total == 1)
    }

    @Test func searchFindsANumberExactlyAndWordsWithoutAccentsOrPlurals() async throws {
        let f = try await TicketFixture()
        for index in 1...12 {
            try await f.open("Demande \(index)", by: f.alice, description: index == 7 ? "L'écran de paramétrage reste blanc" : "Autre souci")
        }
        #expect(try await f.subjects(.staff, text: "CS0000007") == ["Demande 7"])
        #expect(try await f.subjects(.staff, text: "cs7") == ["Demande 7"])
        #expect(try await f.subjects(.staff, text: "  CS0000012 ") == ["Demande 12"])
        #expect(try await f.subjects(.staff, text: "CS0000099").isEmpty)
        #expect(try await f.subjects(.staff, text: "ecrans parametrage") == ["Demande 7"])
        #expect(try await f.subjects(.staff, text: "param") == ["Demande 7"])
        #expect(try await f.subjects(f.reader(f.alice), text: "Blanc") == ["Demande 7"])
        #expect(try await f.subjects(f.reader(f.alice), text: "\"blanc* OR NEAR(") == [])
        #expect(try await f.list(.staff, text: "souci").total == 11)
        // The words of later messages are found too.
        let ticket = try #require(try await f.store.ticket(TicketNumber(3), for: .staff))
        _ = try await f.store.apply(TicketChange(step: .agentReply, expectedState: .new, newState: .inProgress,
                                                 message: message(.agent, "Videz le cache du navigateur", by: f.gaston, at: f.clock.now),
                                                 at: f.clock.now), to: ticket.number, mails: [])
        #expect(try await f.subjects(f.reader(f.alice), text: "navigateur") == ["Demande 3"])
    }

    @Test func filtersSortsCountsAndPagesOfTheQueueAndOfACustomer() async throws {
        let f = try await TicketFixture()
        let base = f.clock.now
        var tickets: [Ticket] = []
        for index in 0..<30 {
            let user = [f.alice, f.bob, f.berthe][index % 3]
            let priority = TicketPriority.allCases[index % 4]
            tickets.append(try await f.open("T\(index)", by: user, type: index % 5 == 0 ? "administrative" : "incident",
                                            product: index % 2 == 0 ? "cegid-loop" : "cegid-stream", priority: priority,
                                            due: index % 6 == 0 ? nil : base.addingTimeInterval(Double(100_000 - index * 1000))))
        }
        // Some move on: T0…T9 taken by Gaston, T0…T4 resolved after.
        for ticket in tickets.prefix(10) {
            f.clock.advance(10)
            _ = try await f.store.apply(change(.assign, from: .new, to: .inProgress, at: f.clock.now, assignee: .some(f.gaston.id)),
                                        to: ticket.number, mails: [])
        }
        for ticket in tickets.prefix(5) {
            f.clock.advance(10)
            _ = try await f.store.apply(change(.proposeSolution, from: .inProgress, to: .solutionProposed, at: f.clock.now), to: ticket.number, mails: [])
            _ = try await f.store.apply(change(.acceptSolution, from: .solutionProposed, to: .resolved, at: f.clock.now), to: ticket.number, mails: [])
        }

        let all = try await f.list(.staff)
        #expect(all.total == 30)
        #expect(all.stateCounts == [.new: 20, .inProgress: 5, .resolved: 5])
        #expect(all.priorityCounts == [.critical: 8, .high: 8, .moderate: 7, .low: 7])
        #expect(all.tickets.first?.subject == "T4")
        #expect(all.pageCount == 2)
        #expect(try await f.list(.staff, page: 2).tickets.count == 5)
        #expect(try await f.list(.staff, page: 99).page == 2)
        #expect(try await f.list(.staff, page: Int.max, pageSize: Int.max).page == 1)

        let open = try await f.list(.staff, states: [.new, .inProgress], priority: .critical)
        #expect(open.total == 6)
        #expect(open.tickets.allSatisfy { $0.priority == .critical && $0.state.isOpen })
        #expect(open.stateCounts == [.new: 5, .inProgress: 1, .resolved: 2])
        #expect(open.priorityCounts == [.critical: 6, .high: 7, .moderate: 6, .low: 6])

        let mine = try await f.list(.staff, states: [.inProgress], assignee: f.gaston.id)
        #expect(mine.tickets.map(\.subject) == ["T9", "T8", "T7", "T6", "T5"])
        #expect(try await f.list(.staff, unassigned: true).total == 20)
        #expect(try await f.list(.staff, type: "administrative").total == 6)
        #expect(try await f.list(.staff, product: "cegid-stream", sort: .newest).tickets.first?.subject == "T29")
        #expect(try await f.list(.staff, tenant: f.tenantB.id).total == 10)
        #expect(try await f.list(.staff, contact: f.bob.id).total == 10)

        let byPriority = try await f.list(.staff, sort: .priority, pageSize: 100).tickets
        #expect(byPriority.map(\.priority) == byPriority.map(\.priority).sorted())
        #expect(byPriority.prefix(2).map(\.subject) == ["T0", "T4"])
        let oldest = try await f.list(.staff, sort: .oldest, pageSize: 3).tickets.map(\.subject)
        #expect(oldest == ["T0", "T1", "T2"])
        let due = try await f.list(.staff, states: [.new], sort: .due, pageSize: 100).tickets
        #expect(due.first?.subject == "T29")
        #expect(due.suffix(3).allSatisfy { $0.firstResponseDueAt == nil })

        // The same on a customer's list: Adèle sees tenant A's 20.
        let adele = try await f.list(f.reader(f.adele), states: [.new])
        #expect(adele.total == 13)
        #expect(adele.stateCounts == [.new: 13, .inProgress: 3, .resolved: 4])
        #expect(try await f.list(f.reader(f.adele), sort: .priority, pageSize: 100).tickets.map(\.priority).isSorted)
        #expect(try await f.list(f.reader(f.adele), contact: f.alice.id, pageSize: 5).pageCount == 2)
    }

    @Test func incidentsFindTheirOpenTicketsAndTheirLinkedOnes() async throws {
        let f = try await TicketFixture()
        let before = try await f.open("Avant", by: f.alice)
        let since = f.clock.now.addingTimeInterval(1)
        let loop = try await f.open("Loop", by: f.alice)
        try await f.open("Stream", by: f.berthe, product: "cegid-stream")
        try await f.open("Autre", by: f.bob, product: "autre")
        let cancelled = try await f.open("Annulé", by: f.bob)
        _ = try await f.store.apply(change(.cancel, from: .new, to: .cancelled, at: f.clock.now), to: cancelled.number, mails: [])
        let found = try await f.store.openTickets(on: ["cegid-loop", "cegid-stream"], openedSince: since)
        #expect(found.map(\.subject) == ["Stream", "Loop"])
        _ = try await f.store.apply(TicketChange(step: .linkIncident, expectedState: .new, newState: .new, incidentID: .some("inc-1"), at: f.clock.now),
                                    to: loop.number, mails: [])
        #expect(try await f.store.openTickets(on: ["cegid-loop", "cegid-stream"], openedSince: since).map(\.subject) == ["Stream"])
        #expect(try await f.store.tickets(linkedTo: "inc-1").map(\.number) == [loop.number])
        #expect(try await f.store.tickets(linkedTo: "inc-2").isEmpty)
        #expect(try await f.store.openTickets(on: ["cegid-loop"], openedSince: .distantPast).map(\.number) == [before.number])
    }

    @Test func aDamagedRowFailsItsReadsAndLeavesTheOthersReadable() async throws {
        let f = try await TicketFixture()
        let damaged = try await f.open("Abîmé", by: f.alice)
        let sound = try await f.open("Intact", by: f.alice)
        try await f.database.writer.write { db in
            try db.execute(sql: "UPDATE ticket SET fields = 'pas du JSON' WHERE id = ?", arguments: [damaged.id])
        }
        await #expect(throws: (any Error).self) { try await f.store.ticket(damaged.number, for: .staff) }
        await #expect(throws: (any Error).self) { try await f.list(.staff) }
        #expect(try await f.store.ticket(sound.number, for: .staff)?.subject == "Intact")
        #expect(try await f.subjects(.staff, text: "CS0000002") == ["Intact"])
    }

    @Test func answersRatingsAndProjects() async throws {
        let f = try await TicketFixture()
        try await f.store.recordArticleAnswered(ArticleNumber(3), userID: f.alice.id, tenantID: f.tenantA.id, at: f.clock.now)
        try await f.store.recordArticleAnswered(ArticleNumber(3), userID: f.bob.id, tenantID: f.tenantA.id, at: f.clock.now)
        try await f.store.recordArticleAnswered(ArticleNumber(9), userID: f.bob.id, tenantID: f.tenantA.id, at: f.clock.now)
        let answers = try await f.store.articleAnswers(limit: 10)
        #expect(answers.map(\.article) == [ArticleNumber(3), ArticleNumber(9)])
        #expect(answers.map(\.count) == [2, 1])

        let ticket = try await f.open("Note", by: f.alice)
        _ = try await f.store.apply(change(.assign, from: .new, to: .inProgress, at: f.clock.now, assignee: .some(f.gaston.id)), to: ticket.number, mails: [])
        let answer = TicketSatisfaction(ticketID: ticket.id, stars: 4, comment: "Rapide", at: f.clock.now)
        #expect(try await f.store.recordSatisfaction(answer))
        #expect(try await !f.store.recordSatisfaction(TicketSatisfaction(ticketID: ticket.id, stars: 1, comment: "", at: f.clock.now)))
        #expect(try await !f.store.recordSatisfaction(TicketSatisfaction(ticketID: ticket.id, stars: 9, comment: "", at: f.clock.now)))
        #expect(try await f.store.satisfaction(ticketID: ticket.id) == answer)
        let report = try await f.store.satisfactionReport()
        #expect(report.count == 1)
        #expect(report.first?.assigneeID == f.gaston.id)
        #expect(report.first?.average == 4)

        try await f.store.setProjects(["ERP 2026", " Paie ", "", "ERP 2026"], tenantID: f.tenantA.id)
        #expect(try await f.store.projects(tenantID: f.tenantA.id) == ["ERP 2026", "Paie"])
        #expect(try await f.store.projects(tenantID: f.tenantB.id).isEmpty)
    }
}

extension Array where Element: Comparable {
    var isSorted: Bool { zip(self, dropFirst()).allSatisfy { $0 <= $1 } }
}
