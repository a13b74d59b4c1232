import Foundation
import Notify

/// What a ticket's contact is told under the bell when an agent acts on their ticket (the
/// mail is the one `TicketMails` writes; both go the way the contact chose for ticket updates).
enum TicketNotice: Sendable {
    case reply
    case solution
    case state(TicketState)

    func title(number: TicketNumber, language: String) -> String {
        let english = language == "en"
        switch self {
        case .reply:
            return english ? "New reply to your request \(number)" : "Nouvelle réponse à votre demande \(number)"
        case .solution:
            return english ? "A solution is proposed for your request \(number)" : "Une solution est proposée pour votre demande \(number)"
        case .state(let state):
            let word = Self.stateWord(state, english: english)
            return english ? "Your request \(number) is now “\(word)”" : "Votre demande \(number) est maintenant « \(word) »"
        }
    }

    static func stateWord(_ state: TicketState, english: Bool) -> String {
        switch (state, english) {
        case (.new, false): "Nouvelle"
        case (.new, true): "New"
        case (.inProgress, false): "En cours"
        case (.inProgress, true): "In progress"
        case (.awaitingCustomer, false): "En attente client"
        case (.awaitingCustomer, true): "Awaiting your answer"
        case (.solutionProposed, false): "Solution proposée"
        case (.solutionProposed, true): "Solution proposed"
        case (.resolved, false): "Résolue"
        case (.resolved, true): "Resolved"
        case (.closed, false): "Fermée"
        case (.closed, true): "Closed"
        case (.cancelled, false): "Annulée"
        case (.cancelled, true): "Cancelled"
        }
    }
}
