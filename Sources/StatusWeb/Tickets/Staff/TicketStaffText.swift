import Foundation
import Portal
import StatusModel

/// The agents' pages' words for ticket values, in the reader's language: states, priorities,
/// message kinds, dates, and the first-response due time in words (late ones say so, not only
/// by colour).
struct TicketStaffText {
    let language: Language
    let catalog: MessageCatalog
    let calendar: DayCalendar
    let now: Date

    func text(_ key: String) -> String { catalog.text(key, language) }
    func text(_ key: String, _ arguments: any CVarArg...) -> String {
        String(format: catalog.text(key, language), locale: language.locale, arguments: arguments)
    }

    func state(_ state: TicketState) -> String { text("tstaff_state_\(state.rawValue)") }
    func priority(_ priority: TicketPriority) -> String { text("tstaff_priority_\(priority.rawValue)") }
    func kind(_ kind: TicketMessage.Kind) -> String { text("tstaff_kind_\(kind.rawValue)") }
    func date(_ date: Date) -> String { DayFormatter(language: language, calendar: calendar).instant(date) }
    /// "20 nov. à 14:05": for the queue's narrow columns and the details.
    func shortDate(_ date: Date) -> String { DayFormatter(language: language, calendar: calendar).shortInstant(date) }
    /// "2026-11-20T12:00:00+01:00", for `<time datetime>`.
    func machine(_ date: Date) -> String { APIv1JSON.format(date, in: calendar.timeZone) }

    /// The type's label from the forms file, or its key when the file no longer has it.
    func type(_ key: String, forms: TicketForms) -> String { forms.type(key)?.label.text(language.rawValue) ?? key }

    /// Where the first answer stands.
    struct Due {
        /// "À répondre avant le 20 novembre 2026 à 16:00 (dans 4 h)", "En retard de 2 h", "Répondu le …".
        let words: String
        let late: Bool
        /// For sorting by eye and for tests: "late", "due", "answered", "none".
        let state: String
    }

    func due(_ ticket: Ticket) -> Due {
        if let answered = ticket.firstRespondedAt {
            return Due(words: text("tstaff_due_answered", shortDate(answered)), late: false, state: "answered")
        }
        guard let due = ticket.firstResponseDueAt else { return Due(words: text("tstaff_due_none"), late: false, state: "none") }
        guard ticket.state.isOpen else { return Due(words: text("tstaff_due_closed"), late: false, state: "none") }
        if due < now {
            return Due(words: text("tstaff_due_late", duration(now.timeIntervalSince(due)), shortDate(due)), late: true, state: "late")
        }
        return Due(words: text("tstaff_due_in", shortDate(due), duration(due.timeIntervalSince(now))), late: false, state: "due")
    }

    /// "45 min", "3 h", "2 j": rounded down, never below a minute.
    func duration(_ seconds: TimeInterval) -> String {
        let minutes = max(1, Int(min(seconds, 1e9) / 60))
        if minutes < 60 { return text("tstaff_minutes", minutes) }
        let hours = minutes / 60
        if hours < 48 { return text("tstaff_hours", hours) }
        return text("tstaff_days", hours / 24)
    }
}
