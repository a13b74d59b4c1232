import Foundation

/// A support request's number, "CS0000001": given in sequence when the ticket is opened (or
/// kept from the old portal on import), stable, never reused.
public struct TicketNumber: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let value: Int

    public init(_ value: Int) { self.value = value }

    /// Reads "CS0000123" or "cs123" (any case, with or without leading zeros); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > 2, trimmed.prefix(2).uppercased() == "CS" else { return nil }
        let digits = trimmed.dropFirst(2)
        guard digits.count <= 9, digits.allSatisfy(\.isASCIIDigit), let value = Int(digits), value > 0 else { return nil }
        self.value = value
    }

    public var description: String {
        let digits = String(value)
        return "CS" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// Where a ticket stands ("Nouveau", "En cours", …). Which moves are allowed is `TicketRules`.
public enum TicketState: String, Sendable, Hashable, Codable, CaseIterable {
    case new
    case inProgress = "in_progress"
    case awaitingCustomer = "awaiting_customer"
    case solutionProposed = "solution_proposed"
    case resolved
    case closed
    case cancelled

    /// Open tickets are those an agent still has to work on or a customer still has to answer.
    public var isOpen: Bool {
        switch self {
        case .new, .inProgress, .awaitingCustomer, .solutionProposed: true
        case .resolved, .closed, .cancelled: false
        }
    }
}

/// "1 - Critique" … "4 - Basse": lower is more urgent. The forms file's rule gives it from the impact.
public enum TicketPriority: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case critical = 1, high = 2, moderate = 3, low = 4

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A support request: who asked, what about, where it stands.
public struct Ticket: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var number: TicketNumber
    public var tenantID: Int64
    /// The user who asked; the ticket belongs to them and to their tenant's administrators.
    public var contactUserID: Int64
    /// The request type's key in the forms file ("incident", "administrative", …).
    public var type: String
    /// "Portail : Administration et utilisation - 1 - Connexion", filled from the chosen lists.
    public var subject: String
    /// The keys chosen in the type's theme → sub-theme → precision lists (empty when the type has none).
    public var theme: String
    public var subTheme: String
    public var precision: String
    /// The status product it concerns (its slug), when one was chosen.
    public var productSlug: String?
    /// The impact's key in the forms file, when the type asks for it.
    public var impact: String?
    public var priority: TicketPriority
    public var state: TicketState
    /// The agent working on it.
    public var assigneeID: Int64?
    /// The project or environment (from the tenant's list), when the request concerns one.
    public var project: String?
    /// The type's other fields by key ("problem", "error_shown", …), as the customer filled them.
    public var fields: [String: String]
    /// Addresses that get the ticket's mails besides the contact (checked, lower-cased).
    public var followUpEmails: [String]
    /// The incident it is linked to (`Incident.id`), when there is one.
    public var incidentID: String?
    /// The language of the contact when it was opened ("fr" or "en"): follow-up addresses read mail in it.
    public var language: String
    public var openedAt: Date
    public var updatedAt: Date
    /// When an agent must have answered, by priority (the forms file's rule); shown to agents.
    public var firstResponseDueAt: Date?
    /// When an agent first wrote to the customer (a reply or a proposed solution; notes do not count).
    public var firstRespondedAt: Date?
    public var resolvedAt: Date?

    public init(id: Int64 = 0, number: TicketNumber, tenantID: Int64, contactUserID: Int64, type: String, subject: String,
                theme: String = "", subTheme: String = "", precision: String = "", productSlug: String? = nil,
                impact: String? = nil, priority: TicketPriority, state: TicketState = .new, assigneeID: Int64? = nil,
                project: String? = nil, fields: [String: String] = [:], followUpEmails: [String] = [], incidentID: String? = nil,
                language: String = "fr", openedAt: Date, updatedAt: Date? = nil, firstResponseDueAt: Date? = nil,
                firstRespondedAt: Date? = nil, resolvedAt: Date? = nil) {
        self.id = id
        self.number = number
        self.tenantID = tenantID
        self.contactUserID = contactUserID
        self.type = type
        self.subject = subject
        self.theme = theme
        self.subTheme = subTheme
        self.precision = precision
        self.productSlug = productSlug
        self.impact = impact
        self.priority = priority
        self.state = state
        self.assigneeID = assigneeID
        self.project = project
        self.fields = fields
        self.followUpEmails = followUpEmails
        self.incidentID = incidentID
        self.language = language
        self.openedAt = openedAt
        self.updatedAt = updatedAt ?? openedAt
        self.firstResponseDueAt = firstResponseDueAt
        self.firstRespondedAt = firstRespondedAt
        self.resolvedAt = resolvedAt
    }
}

/// One entry of a ticket's conversation.
public struct TicketMessage: Sendable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Written by the contact or a tenant administrator.
        case customer
        /// An agent's reply to the customer.
        case agent
        /// An agent's internal note: never on a customer's page, in a mail, a notification or an API answer.
        case note
        /// A solution an agent proposed (or an incident's resolution): the customer accepts or refuses it.
        case solution
        /// The customer's reason for refusing a solution ("Motif du rejet").
        case refusal
        /// What the system records: assignment, priority change with its reason, link to an incident,
        /// acceptance, cancellation. Customers see those marked `visibleToCustomer`.
        case event
    }

    public var id: Int64
    public var ticketID: Int64
    public var kind: Kind
    /// The writer, when a user wrote it (imports may name an author without an account).
    public var authorUserID: Int64?
    /// The writer's name as shown ("Marie Durand"), kept so that imported and deleted authors still show.
    public var authorName: String
    public var body: String
    public var createdAt: Date
    public var attachments: [TicketAttachment]

    public init(id: Int64 = 0, ticketID: Int64 = 0, kind: Kind, authorUserID: Int64?, authorName: String, body: String,
                createdAt: Date, attachments: [TicketAttachment] = []) {
        self.id = id
        self.ticketID = ticketID
        self.kind = kind
        self.authorUserID = authorUserID
        self.authorName = authorName
        self.body = body
        self.createdAt = createdAt
        self.attachments = attachments
    }

    /// Whether a customer (page, mail, API) may see it: everything but internal notes.
    public var visibleToCustomer: Bool { kind != .note }
}

/// A file attached to a ticket's message, through the knowledge base's blob store.
public struct TicketAttachment: Sendable, Hashable, Identifiable {
    public var id: Int64
    /// The uploaded name, sanitised (no folder, no control characters).
    public var fileName: String
    public var blob: BlobReference

    public init(id: Int64 = 0, fileName: String, blob: BlobReference) {
        self.id = id
        self.fileName = fileName
        self.blob = blob
    }
}

/// Who is reading tickets. The store's queries apply it: a member sees the tickets they opened,
/// a tenant's administrator every ticket of that tenant, staff every ticket; anyone else's answer is nil.
public struct TicketReader: Sendable, Hashable {
    public var userID: Int64?
    /// Tenants where the reader is an administrator.
    public var adminTenantIDs: [Int64]
    /// Agents and operators.
    public var isStaff: Bool

    public init(userID: Int64?, adminTenantIDs: [Int64] = [], isStaff: Bool = false) {
        self.userID = userID
        self.adminTenantIDs = adminTenantIDs
        self.isStaff = isStaff
    }

    public static let staff = TicketReader(userID: nil, isStaff: true)
    /// A tenant's API key: every ticket of that tenant, as its administrators see them.
    public static func tenantKey(_ tenantID: Int64) -> TicketReader { TicketReader(userID: nil, adminTenantIDs: [tenantID]) }

    /// Whether notes are shown: to staff only.
    public var seesNotes: Bool { isStaff }
}
