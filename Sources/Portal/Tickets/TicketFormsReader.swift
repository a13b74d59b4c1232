import Foundation
import StatusModel
import Yams

/// Reads `config/ticket-forms.yaml` into `TicketForms`, checked the way the main config is:
/// every mistake is a `ConfigError` naming the file, the line and the key, and start is refused.
public enum TicketFormsReader {
    /// Keys are what the pages, the store and the API carry: short, lower-case, stable.
    static let keyCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_-")
    /// The form's own fields: a type's field may not take one of these names.
    static let reservedFieldKeys: Set<String> = ["theme", "sub_theme", "precision", "product", "impact", "project", "description",
                                                 "follow_up_emails", "files", "csrf", "step", "path"]
    /// Three months: past that a first-response time is a typo.
    static let longestFirstResponse = 24 * 92

    public static func load(file: String) throws(ConfigError) -> TicketForms {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "cannot read the ticket forms (\(error.localizedDescription))")
        }
        return try parse(yaml: text, file: file)
    }

    public static func parse(yaml text: String, file: String) throws(ConfigError) -> TicketForms {
        guard let root = try ConfigNode.root(yaml: text, file: file) else {
            throw ConfigError(file: file, line: nil, key: "types", message: "the file is empty: list the request types under types:")
        }
        let top = try root.mapping(allowed: ["types", "impacts", "first_response_hours", "default_priority"])
        let impacts = try top["impacts"].map { node throws(ConfigError) in try self.impacts(node) } ?? []
        guard let typesNode = top["types"] else { throw root.error("missing key (the request types of \"Besoin d'aide ?\")", key: "types") }
        var types: [RequestType] = []
        for item in try typesNode.sequence() {
            let type = try requestType(item)
            guard !types.contains(where: { $0.key == type.key }) else { throw item.error("\"\(type.key)\" is already the key of another type", key: "\(item.path).key") }
            if type.asksImpact, impacts.isEmpty {
                throw item.error("asks for the impact, but the file lists no impacts: add impacts:", key: "\(item.path).asks_impact")
            }
            types.append(type)
        }
        guard !types.isEmpty else { throw typesNode.error("list at least one request type") }
        var hours: [TicketPriority: Int] = [:]
        if let node = top["first_response_hours"] {
            for (key, value) in try node.mapping(allowed: ["1", "2", "3", "4"]) {
                guard let priority = Int(key).flatMap(TicketPriority.init(rawValue:)) else { continue }
                hours[priority] = try value.integer(in: 1...longestFirstResponse)
            }
        }
        let defaultPriority = try top["default_priority"].map { node throws(ConfigError) in try priority(node) } ?? .low
        return TicketForms(types: types, impacts: impacts, firstResponseHours: hours, defaultPriority: defaultPriority)
    }

    private static func requestType(_ node: ConfigNode) throws(ConfigError) -> RequestType {
        let fields = try node.mapping(allowed: ["key", "label", "summary", "themes", "fields", "asks_product", "asks_impact", "asks_project"])
        let key = try self.key(fields["key"], in: node)
        guard let labelNode = fields["label"] else { throw node.error("missing key (such as {fr: Pour un incident, en: For an incident})", key: "\(node.path).label") }
        var type = RequestType(key: key, label: try text(labelNode), summary: try fields["summary"].map { n throws(ConfigError) in try text(n) } ?? LocalizedText(fr: "", en: ""))
        if let themes = fields["themes"] { type.themes = try choices(themes, levels: ["sub_themes", "precisions"]) }
        if let list = fields["fields"] {
            for item in try list.sequence() {
                let field = try self.field(item)
                guard !type.fields.contains(where: { $0.key == field.key }) else {
                    throw item.error("\"\(field.key)\" is already the key of another field of this type", key: "\(item.path).key")
                }
                type.fields.append(field)
            }
        }
        if let value = fields["asks_product"] { type.asksProduct = try value.bool() }
        if let value = fields["asks_impact"] { type.asksImpact = try value.bool() }
        if let value = fields["asks_project"] { type.asksProject = try value.bool() }
        return type
    }

    /// A list of choices; `levels` names the key of each next level ("sub_themes", then "precisions").
    private static func choices(_ node: ConfigNode, levels: [String]) throws(ConfigError) -> [TicketChoice] {
        var choices: [TicketChoice] = []
        for item in try node.sequence() {
            var allowed: Set<String> = ["key", "label"]
            if let next = levels.first { allowed.insert(next) }
            let fields = try item.mapping(allowed: allowed)
            let key = try self.key(fields["key"], in: item)
            guard !choices.contains(where: { $0.key == key }) else { throw item.error("\"\(key)\" is listed twice in this list", key: "\(item.path).key") }
            guard let label = fields["label"] else { throw item.error("missing key (such as {fr: Portail, en: Portal})", key: "\(item.path).label") }
            var choice = TicketChoice(key: key, label: try text(label))
            if let next = levels.first, let children = fields[next] {
                choice.children = try self.choices(children, levels: Array(levels.dropFirst()))
                guard !choice.children.isEmpty else { throw children.error("list at least one entry, or leave the key out") }
            }
            choices.append(choice)
        }
        guard !choices.isEmpty else { throw node.error("list at least one entry") }
        return choices
    }

    private static func field(_ node: ConfigNode) throws(ConfigError) -> TicketField {
        let fields = try node.mapping(allowed: ["key", "label", "kind", "required", "choices", "help"])
        let key = try self.key(fields["key"], in: node)
        guard !reservedFieldKeys.contains(key) else {
            throw (fields["key"] ?? node).error("\"\(key)\" is a field every form has already: choose another key")
        }
        guard let label = fields["label"] else { throw node.error("missing key (such as {fr: Problème, en: Problem})", key: "\(node.path).label") }
        var kind = TicketField.Kind.text
        if let kindNode = fields["kind"] {
            let written = try kindNode.nonEmptyString()
            guard let value = TicketField.Kind(rawValue: written) else {
                throw kindNode.error("expected text, textarea or choice, got \"\(written)\"")
            }
            kind = value
        }
        var field = TicketField(key: key, label: try text(label), kind: kind)
        if let required = fields["required"] { field.required = try required.bool() }
        if let help = fields["help"] { field.help = try text(help, maxLength: 600) }
        if let list = fields["choices"] {
            guard kind == .choice else { throw list.error("only a field of kind choice has choices") }
            field.choices = try choices(list, levels: [])
        } else if kind == .choice {
            throw node.error("a field of kind choice lists its choices", key: "\(node.path).choices")
        }
        return field
    }

    private static func impacts(_ node: ConfigNode) throws(ConfigError) -> [TicketImpact] {
        var impacts: [TicketImpact] = []
        for item in try node.sequence() {
            let fields = try item.mapping(allowed: ["key", "label", "priority"])
            let key = try self.key(fields["key"], in: item)
            guard !impacts.contains(where: { $0.key == key }) else { throw item.error("\"\(key)\" is listed twice", key: "\(item.path).key") }
            guard let label = fields["label"] else { throw item.error("missing key (such as {fr: Problème mineur, en: Minor problem})", key: "\(item.path).label") }
            guard let priorityNode = fields["priority"] else { throw item.error("missing key (1 - Critique to 4 - Basse)", key: "\(item.path).priority") }
            impacts.append(TicketImpact(key: key, label: try text(label), priority: try priority(priorityNode)))
        }
        guard !impacts.isEmpty else { throw node.error("list at least one impact") }
        return impacts
    }

    private static func priority(_ node: ConfigNode) throws(ConfigError) -> TicketPriority {
        guard let priority = TicketPriority(rawValue: try node.integer(in: 1...4)) else { throw node.error("expected 1 (critical) to 4 (low)") }
        return priority
    }

    private static func key(_ node: ConfigNode?, in parent: ConfigNode) throws(ConfigError) -> String {
        guard let node else { throw parent.error("missing key (lower-case letters, digits, - and _, such as incident)", key: "\(parent.path).key") }
        let key = try node.nonEmptyString()
        guard key.count <= 40, key.allSatisfy(keyCharacters.contains) else {
            throw node.error("use at most 40 lower-case letters, digits, - and _, got \"\(key)\"")
        }
        return key
    }

    /// `{fr: …, en: …}`, or one text for both languages.
    private static func text(_ node: ConfigNode, maxLength: Int = 160) throws(ConfigError) -> LocalizedText {
        if case .mapping = node.node {
            let fields = try node.mapping(allowed: ["fr", "en"])
            guard let fr = fields["fr"] else { throw node.error("missing key (the French text)", key: "\(node.path).fr") }
            guard let en = fields["en"] else { throw node.error("missing key (the English text)", key: "\(node.path).en") }
            return LocalizedText(fr: try line(fr, maxLength: maxLength), en: try line(en, maxLength: maxLength))
        }
        let value = try line(node, maxLength: maxLength)
        return LocalizedText(fr: value, en: value)
    }

    private static func line(_ node: ConfigNode, maxLength: Int) throws(ConfigError) -> String {
        let value = try node.nonEmptyString()
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { throw node.error("must be one line of text") }
        guard value.count <= maxLength else { throw node.error("must be at most \(maxLength) characters, got \(value.count)") }
        return value
    }
}
