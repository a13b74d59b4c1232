import Foundation
import Portal
import StatusModel

/// Words of the tickets pages shared by the list and the ticket page: states, priorities,
/// types, dates, in the reader's language.
struct TicketWords {
    let language: Language
    let catalog: MessageCatalog
    let forms: TicketForms
    let formatter: DayFormatter

    init(language: Language, catalog: MessageCatalog, forms: TicketForms, calendar: DayCalendar) {
        self.language = language
        self.catalog = catalog
        self.forms = forms
        formatter = DayFormatter(language: language, calendar: calendar)
    }

    func text(_ key: String) -> String { catalog.text(key, language) }
    func state(_ state: TicketState) -> String { text("ticket_state_\(state.rawValue)") }
    /// "3 - Modérée".
    func priority(_ priority: TicketPriority) -> String { "\(priority.rawValue) - \(text("ticket_priority_\(priority.rawValue)"))" }
    func type(_ key: String) -> String { forms.type(key)?.label.text(language.rawValue) ?? key }
    func date(_ date: Date) -> String { formatter.instant(date) }
}

/// `/requests/CS0000001` as `request.mustache` shows it: the details, the conversation without
/// any internal note, the proposed solution's two answers, the follow-up addresses, the
/// cancellation link and "Votre avis compte".
struct TicketPageView {
    struct Message {
        let id: String
        let kind: String
        let kindLabel: String?
        let initials: String
        let author: String
        let fromCustomer: Bool
        let relative: String
        let exact: String
        let machine: String
        let body: String
        let attachments: [Attachment]
        let hasAttachments: Bool
    }

    struct Attachment {
        let name: String
        let href: String
        let size: String
    }

    struct Detail {
        let id: String
        let label: String
        let value: String
    }

    struct Star {
        let value: Int
        let checked: Bool
    }

    let page: PageChrome
    let csrf: String
    let number: String
    let subject: String
    let state: String
    let stateLabel: String
    let base: String
    var notice: String?
    var refused: String?
    var details: [Detail] = []
    var messages: [Message] = []
    var isOpen = false
    var canReply = false
    var canCancel = false
    var solution: Message?
    var followUps: [String] = []
    var hasFollowUps = false
    var followUpsValue = ""
    var errors: [String: String] = [:]
    var reply = ""
    var maxFileSize = ""
    var filesAgain = false
    var asksRating = false
    var rated: String?
    var ratingComment: String?
    var stars: [Star] = (1...5).map { Star(value: $0, checked: false) }
    var ratingValue = ""
    var incidentTitle: String?
    var incidentHref: String?

    init(page: PageChrome, csrf: String, ticket: Ticket, words: TicketWords) {
        self.page = page
        self.csrf = csrf
        number = ticket.number.description
        subject = ticket.subject
        state = ticket.state.rawValue
        stateLabel = words.state(ticket.state)
        base = "/requests/\(ticket.number)"
        isOpen = ticket.state.isOpen
        let steps = TicketRules.customerSteps(from: ticket.state)
        canReply = steps.contains(.customerReply)
        canCancel = steps.contains(.cancel)
        followUps = ticket.followUpEmails
        hasFollowUps = !followUps.isEmpty
    }

    static func initials(_ name: String) -> String {
        let words = name.split { $0.isWhitespace || $0 == "-" || $0 == "." || $0 == "@" }
        let letters = words.prefix(2).compactMap(\.first).map { String($0).uppercased() }
        return letters.isEmpty ? "?" : letters.joined()
    }

    static func message(_ message: TicketMessage, base: String, words: TicketWords, now: Date) -> Message {
        let kindLabel: String? = switch message.kind {
        case .solution: words.text("ticket_kind_solution")
        case .refusal: words.text("ticket_kind_refusal")
        case .event: words.text("ticket_kind_event")
        case .customer, .agent, .note: nil
        }
        let attachments = message.attachments.map {
            Attachment(name: $0.fileName, href: "\(base)/attachments/\($0.id)", size: FileSize.text($0.blob.size, words.language))
        }
        return Message(id: String(message.id), kind: message.kind.rawValue, kindLabel: kindLabel, initials: initials(message.authorName),
                       author: message.authorName, fromCustomer: message.kind == .customer || message.kind == .refusal,
                       relative: RelativeTime.text(message.createdAt, now: now, language: words.language), exact: words.date(message.createdAt),
                       machine: RelativeTime.machine(message.createdAt), body: message.body, attachments: attachments,
                       hasAttachments: !attachments.isEmpty)
    }
}
