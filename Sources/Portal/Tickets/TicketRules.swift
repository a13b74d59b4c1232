import Foundation

/// What can happen to a ticket. Each step's effect on the state is `TicketRules.state(after:from:)`.
public enum TicketStep: String, Sendable, Hashable, CaseIterable {
    /// An agent takes the ticket (or is given it).
    case assign
    /// An agent answers the customer; `awaitCustomer` asks them something and waits.
    case agentReply
    case awaitCustomer
    /// The customer (contact or tenant administrator) writes.
    case customerReply
    /// An internal note: changes nothing the customer sees.
    case note
    /// An agent (or an incident's resolution) proposes a solution.
    case proposeSolution
    /// The customer accepts the proposed solution: resolved.
    case acceptSolution
    /// The customer refuses it, with a reason: back to the agent, in progress.
    case refuseSolution
    /// The customer calls the request off.
    case cancel
    /// A resolved ticket is closed (by an agent, or after the delay of the forms file).
    case close
    /// Priority changed with a reason, or linked to an incident: the state stays.
    case changePriority
    case linkIncident
}

/// The allowed moves between ticket states, as a pure rule (no store, no clock).
public enum TicketRules {
    /// The state after `step`, or nil when the step is not allowed from `state`.
    public static func state(after step: TicketStep, from state: TicketState) -> TicketState? {
        switch (step, state) {
        case (.note, _), (.changePriority, _), (.linkIncident, _):
            return state.isOpen || step == .note ? state : nil
        case (.assign, .new): return .inProgress
        case (.assign, let open) where open.isOpen: return open
        // A reply keeps a proposed solution waiting for the customer's answer.
        case (.agentReply, .solutionProposed): return .solutionProposed
        case (.agentReply, let open) where open.isOpen: return .inProgress
        case (.awaitCustomer, let open) where open.isOpen: return .awaitingCustomer
        case (.customerReply, .awaitingCustomer): return .inProgress
        case (.customerReply, let open) where open.isOpen: return open
        case (.proposeSolution, let open) where open.isOpen: return .solutionProposed
        case (.acceptSolution, .solutionProposed): return .resolved
        case (.refuseSolution, .solutionProposed): return .inProgress
        case (.cancel, let open) where open.isOpen: return .cancelled
        case (.close, .resolved): return .closed
        default: return nil
        }
    }

    /// The steps a customer may take from `state` (the ticket page's buttons).
    public static func customerSteps(from state: TicketState) -> [TicketStep] {
        [.customerReply, .acceptSolution, .refuseSolution, .cancel].filter { self.state(after: $0, from: state) != nil }
    }
}
