import Foundation
import Logging
import Portal
import StatusModel

extension DemoData {
    /// A few support requests of the demo customer in several states (new, in progress,
    /// awaiting the customer, a proposed solution, resolved, cancelled) and the tenant's project
    /// list, through the store's import (numbers, dates and states as written here, no mail).
    func writeTickets() async throws {
        guard let forms = try StatusdApp.ticketForms(config: config) else { return }
        let accounts = SQLiteAccountStore(database: database)
        let tickets = SQLiteTicketStore(database: database)
        guard let admin = try await accounts.user(email: Self.logins[1].email), let camille = try await accounts.user(email: Self.logins[2].email),
              let lucas = try await accounts.user(email: Self.logins[3].email), let agent = try await accounts.user(email: Self.logins[0].email),
              let tenant = try await accounts.memberships(userID: admin.id).first?.tenant else {
            throw DemoError("the demo accounts are missing")
        }
        try await tickets.setProjects(["Migration Paie 2027", "Environnement de recette", "Ouverture boutique Lyon Part-Dieu"], tenantID: tenant.id)

        struct Demo {
            var number: Int
            var contact: User
            var type: String
            var path: [String]
            var product: String?
            var impact: String?
            var state: TicketState
            var daysAgo: Int
            var fields: [String: String] = [:]
            var project: String?
            var followUps: [String] = []
            /// (kind, from the agent, hours after opening, text)
            var messages: [(TicketMessage.Kind, Bool, Double, String)]
        }
        let demos: [Demo] = [
            Demo(number: 1, contact: admin, type: "incident", path: ["processing", "batch", "failed"], product: "yourcegid-paie", impact: "legal_deadline",
                 state: .resolved, daysAgo: 12, fields: ["problem": "error_message", "error_shown": "ERR-4012 : calcul impossible"],
                 project: "Migration Paie 2027", followUps: ["paie@boulangeries-martin.example"],
                 messages: [(.customer, false, 0, "Le calcul des bulletins de novembre échoue pour l'établissement de Lyon avec le message ERR-4012."),
                            (.agent, true, 0.5, "Bonjour, un incident est en cours sur le calcul des bulletins. Nous revenons vers vous dès qu'il est résolu."),
                            (.solution, true, 3, "L'incident est clos : tous les bulletins en attente ont été calculés. Pouvez-vous vérifier de votre côté ?"),
                            (.event, false, 4, "Solution acceptée.")]),
            Demo(number: 2, contact: admin, type: "portal", path: ["portal", "administration", "users"], state: .inProgress, daysAgo: 3,
                 messages: [(.customer, false, 0, "Je n'arrive pas à donner les droits d'administrateur à une nouvelle collègue."),
                            (.agent, true, 2, "Bonjour Sophie, pouvez-vous nous dire quel message s'affiche quand vous cliquez sur « Donner les droits » ?"),
                            (.customer, false, 5, "Aucun message, le bouton ne fait rien.")]),
            Demo(number: 3, contact: camille, type: "application", path: ["features", "closing", "monthly"], product: "cegid-loop",
                 state: .solutionProposed, daysAgo: 6,
                 messages: [(.customer, false, 0, "Comment relancer la clôture mensuelle après une correction d'écriture ?"),
                            (.solution, true, 20, "Ouvrez Clôtures > Mensuelle, choisissez la période puis « Rouvrir », corrigez l'écriture et relancez la clôture.")]),
            Demo(number: 4, contact: admin, type: "administrative", path: ["billing", "invoice", "copy"], state: .awaitingCustomer, daysAgo: 2,
                 messages: [(.customer, false, 0, "Pouvez-vous nous envoyer le duplicata de la facture d'octobre ?"),
                            (.agent, true, 4, "Bien sûr : s'agit-il de la facture d'abonnement ou de celle des licences supplémentaires ?")]),
            Demo(number: 5, contact: lucas, type: "hardware", path: ["devices", "printer", "tickets"], state: .new, daysAgo: 0,
                 fields: ["serial_number": "EP-T88-2231"],
                 messages: [(.customer, false, 0, "L'imprimante de la caisse 2 n'imprime plus les tickets depuis ce matin.")]),
            Demo(number: 6, contact: camille, type: "technical", path: ["workstation", "browser", "display"], product: "cegid-flow",
                 state: .cancelled, daysAgo: 9,
                 messages: [(.customer, false, 0, "Les tableaux s'affichent mal sous Firefox."),
                            (.event, false, 1, "Demande annulée : le problème venait d'une extension du navigateur.")]),
        ]
        var imported: [ImportedTicket] = []
        for demo in demos {
            guard let type = forms.type(demo.type),
                  let subject = type.subject(theme: demo.path[0], subTheme: demo.path[1], precision: demo.path[2], language: "fr") else { continue }
            let opened = now.addingTimeInterval(-Double(demo.daysAgo) * 86_400 - 3 * 3600)
            let priority = forms.priority(impact: demo.impact)
            let agentAnswered = demo.messages.first { $0.1 }.map { opened.addingTimeInterval($0.2 * 3600) }
            let last = demo.messages.map { opened.addingTimeInterval($0.2 * 3600) }.max() ?? opened
            let ticket = Ticket(number: TicketNumber(demo.number), tenantID: tenant.id, contactUserID: demo.contact.id, type: type.key, subject: subject,
                                theme: demo.path[0], subTheme: demo.path[1], precision: demo.path[2], productSlug: demo.product, impact: demo.impact,
                                priority: priority, state: demo.state, assigneeID: demo.state == .new ? nil : agent.id, project: demo.project,
                                fields: demo.fields, followUpEmails: demo.followUps, language: "fr", openedAt: opened, updatedAt: last,
                                firstResponseDueAt: forms.firstResponseDue(priority: priority, openedAt: opened), firstRespondedAt: agentAnswered,
                                resolvedAt: demo.state == .resolved ? last : nil)
            let messages = demo.messages.map { kind, fromAgent, hours, body in
                TicketMessage(kind: kind, authorUserID: fromAgent ? agent.id : demo.contact.id,
                              authorName: fromAgent ? agent.displayName : demo.contact.displayName, body: body,
                              createdAt: opened.addingTimeInterval(hours * 3600))
            }
            imported.append(ImportedTicket(ticket: ticket, messages: messages))
        }
        _ = try await tickets.importTickets(imported)
        logger.info("demo tickets written", metadata: ["tickets": "\(imported.count)"])
    }
}
