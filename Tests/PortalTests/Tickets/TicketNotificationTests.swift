import Foundation
import GRDB
import Notify
import Portal
import StatusModel
import Testing

/// What agents do reaches the ticket's contact the way they chose for ticket updates, and the
/// customer's own steps are in their trail.
@Suite struct TicketNotificationTests {
    struct World {
        let f: TicketFixture
        let service: TicketService
        let notifier: Notifier
        let activity: ActivityLog

        init() async throws {
            f = try await TicketFixture()
            let clock = f.clock
            notifier = Notifier(store: SQLiteNotificationStore(database: f.database), clock: { clock.now })
            activity = ActivityLog(store: SQLiteActivityStore(database: f.database), clock: { clock.now })
            service = TicketService(store: f.store, accounts: f.accounts, forms: TicketServiceTests.forms, baseURL: "https://portal.example.com",
                                    clock: { clock.now }, activity: activity, notifier: notifier)
        }

        func open(followUps: String = "") async throws -> Ticket {
            let request = TicketRequest(type: "incident", theme: "portal", subTheme: "admin", precision: "login", productSlug: "cegid-loop",
                                        impact: "blocking", fields: ["problem": "error"], description: "Erreur 500 à la connexion.",
                                        followUpEmails: followUps)
            return try await service.open(request, by: f.alice, tenantID: f.tenantA.id, allowedProducts: ["cegid-loop"])
        }
    }

    @Test func anAgentsAnswerAndSolutionGiveTheContactANotificationAndTheMailAsBefore() async throws {
        let w = try await World()
        let ticket = try await w.open(followUps: "chef@a.fr")
        let before = try await w.f.outbox().count
        _ = try await w.service.reply(ticket.number, body: "Pouvez-vous réessayer ?", attachments: [], by: w.f.gaston, reader: w.f.reader(w.f.gaston))
        let notifications = try await w.notifier.notifications(userID: w.f.alice.id)
        #expect(notifications.map(\.title) == ["Nouvelle réponse à votre demande \(ticket.number)"])
        #expect(notifications.first?.link == "/requests/\(ticket.number)")
        #expect(notifications.first?.kind == .ticketUpdate)
        let mails = try await w.f.outbox().dropFirst(before).map(\.to)
        #expect(mails.sorted() == ["alice@a.fr", "chef@a.fr"], "the contact (by default, both) and the follow-up address, once each")

        // Alice wants the portal only: the next answer mails the follow-up address, not her.
        try await w.notifier.setDelivery(.portal, for: .ticketUpdate, userID: w.f.alice.id)
        let count = try await w.f.outbox().count
        _ = try await w.service.proposeSolution(ticket.number, body: "C'est réparé.", attachments: [], by: w.f.gaston)
        #expect(try await w.f.outbox().dropFirst(count).map(\.to) == ["chef@a.fr"])
        #expect(try await w.notifier.unreadCount(userID: w.f.alice.id) == 2)
        #expect(try await w.notifier.unreadCount(userID: w.f.gaston.id) == 0)
    }

    @Test func theCustomersOwnStepsAreInTheirTrail() async throws {
        let w = try await World()
        let ticket = try await w.open()
        _ = try await w.service.proposeSolution(ticket.number, body: "Essayez ceci.", attachments: [], by: w.f.gaston)
        _ = try await w.service.refuseSolution(ticket.number, reason: "Toujours en erreur", by: w.f.alice, reader: w.f.reader(w.f.alice))
        _ = try await w.service.cancel(ticket.number, by: w.f.alice, reader: w.f.reader(w.f.alice))
        let trail = try await w.activity.activity(userID: w.f.alice.id)
        #expect(trail.map(\.kind) == [.ticketCancelled, .ticketSolutionRefused, .ticketOpened])
        #expect(trail.allSatisfy { $0.subject == ticket.number.description && $0.link == "/requests/\(ticket.number)" })
        #expect(trail[1].detail == "Toujours en erreur")
        #expect(try await w.notifier.unreadCount(userID: w.f.alice.id) == 1, "the solution; her own steps tell her nothing")
        #expect(try await w.activity.activity(userID: w.f.bob.id).isEmpty)
    }
}
