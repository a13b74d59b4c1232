import Foundation
import StatusModel

/// The request forms of "Besoin d'aide ?", as `config/ticket-forms.yaml` describes them: the
/// types, their fields and theme → sub-theme → precision lists, the impacts and the priority
/// each gives, and the first-response times. Read and checked at start (file, line, key).
public struct TicketForms: Sendable, Hashable {
    public var types: [RequestType]
    /// The incident form's impacts, least urgent first, each with the priority it gives.
    public var impacts: [TicketImpact]
    /// How long agents have to answer first, by priority.
    public var firstResponseHours: [TicketPriority: Int]
    /// The priority of a type that asks no impact.
    public var defaultPriority: TicketPriority

    public init(types: [RequestType], impacts: [TicketImpact], firstResponseHours: [TicketPriority: Int],
                defaultPriority: TicketPriority = .low) {
        self.types = types
        self.impacts = impacts
        self.firstResponseHours = firstResponseHours
        self.defaultPriority = defaultPriority
    }

    public func type(_ key: String) -> RequestType? { types.first { $0.key == key } }
    public func impact(_ key: String) -> TicketImpact? { impacts.first { $0.key == key } }

    /// The rule of the forms file: the impact's priority, or the default for a type without impact.
    public func priority(impact key: String?) -> TicketPriority {
        key.flatMap(impact)?.priority ?? defaultPriority
    }

    /// When the first answer is due for a ticket of `priority` opened at `openedAt`; nil when the file sets no time.
    public func firstResponseDue(priority: TicketPriority, openedAt: Date) -> Date? {
        firstResponseHours[priority].map { openedAt.addingTimeInterval(TimeInterval($0) * 3600) }
    }
}

/// One entry of a list: a theme, a sub-theme, a precision, a problem…; `children` is the next level.
public struct TicketChoice: Sendable, Hashable {
    public var key: String
    public var label: LocalizedText
    public var children: [TicketChoice]

    public init(key: String, label: LocalizedText, children: [TicketChoice] = []) {
        self.key = key
        self.label = label
        self.children = children
    }

    public func child(_ key: String) -> TicketChoice? { children.first { $0.key == key } }
}

/// "Pour un incident", "Pour une demande administrative", …: one form of `/help/new/{key}`.
public struct RequestType: Sendable, Hashable {
    public var key: String
    /// "Pour un incident".
    public var label: LocalizedText
    /// One line under the label on `/help`.
    public var summary: LocalizedText
    /// The theme → sub-theme → precision tree (empty for a type without themes).
    public var themes: [TicketChoice]
    /// The type's own fields, in order (for an incident: the problem, the error shown…).
    public var fields: [TicketField]
    /// Whether the form asks for the product (among those of the customer's tenant).
    public var asksProduct: Bool
    /// Whether the form asks for the impact, which gives the priority.
    public var asksImpact: Bool
    /// Whether the form asks "Votre demande concerne-t-elle un projet ?".
    public var asksProject: Bool

    public init(key: String, label: LocalizedText, summary: LocalizedText, themes: [TicketChoice] = [], fields: [TicketField] = [],
                asksProduct: Bool = false, asksImpact: Bool = false, asksProject: Bool = true) {
        self.key = key
        self.label = label
        self.summary = summary
        self.themes = themes
        self.fields = fields
        self.asksProduct = asksProduct
        self.asksImpact = asksImpact
        self.asksProject = asksProject
    }

    /// "Portail : Administration et utilisation - 1 - Connexion": the chosen labels, in `language`;
    /// nil when a key is not in the tree. A type without themes gets its own label.
    public func subject(theme: String, subTheme: String, precision: String, language: String) -> String? {
        guard !themes.isEmpty else { return label.text(language) }
        guard let first = themes.first(where: { $0.key == theme }) else { return nil }
        var subject = first.label.text(language)
        guard !first.children.isEmpty else { return subject }
        guard let second = first.child(subTheme) else { return nil }
        subject += " : " + second.label.text(language)
        guard !second.children.isEmpty else { return subject }
        guard let third = second.child(precision) else { return nil }
        return subject + " - " + third.label.text(language)
    }
}

/// A field of a request type's form.
public struct TicketField: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// One line of text.
        case text
        /// Several lines.
        case textarea
        /// One of `choices`.
        case choice
    }

    public var key: String
    public var label: LocalizedText
    public var kind: Kind
    public var required: Bool
    public var choices: [TicketChoice]
    /// A hint under the field.
    public var help: LocalizedText?

    public init(key: String, label: LocalizedText, kind: Kind, required: Bool = false, choices: [TicketChoice] = [], help: LocalizedText? = nil) {
        self.key = key
        self.label = label
        self.kind = kind
        self.required = required
        self.choices = choices
        self.help = help
    }
}

/// An impact of the incident form ("Arrêt complet bloquant mon activité") and the priority it gives.
public struct TicketImpact: Sendable, Hashable {
    public var key: String
    public var label: LocalizedText
    public var priority: TicketPriority

    public init(key: String, label: LocalizedText, priority: TicketPriority) {
        self.key = key
        self.label = label
        self.priority = priority
    }
}
