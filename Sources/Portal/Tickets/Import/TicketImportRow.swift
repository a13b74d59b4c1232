import Foundation

/// One ticket of an import file, read and checked (`statusd import tickets`). The importer
/// then finds its contact (`ticket.contactUserID` is 0 until then) and the authors' accounts,
/// and takes the attachments into the blob store.
public struct TicketImportRow: Sendable, Hashable {
    /// One message of the conversation as the file gives it.
    public struct Message: Sendable, Hashable {
        /// `authorUserID` nil and no attachments until the importer fills them.
        public var message: TicketMessage
        public var authorEmail: String?
        /// Paths relative to the import file's folder.
        public var attachmentPaths: [String]
    }

    /// The line the ticket starts on.
    public var line: Int
    public var ticket: Ticket
    /// The code of `ticket.tenantID`, as the file gives it.
    public var tenantCode: String
    /// Lower-cased.
    public var contactEmail: String
    /// The contact's name as the old portal showed it; empty when the file gives none.
    public var contactName: String
    /// The description first (written by the contact when the ticket was opened), then the
    /// file's messages, oldest first.
    public var messages: [Message]

    public var attachmentPaths: [String] { messages.flatMap(\.attachmentPaths) }
}

/// A row of an import file that was not imported: its line and why, in a sentence.
public struct TicketImportRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, one case per kind of problem (tests and reports group by it).
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// Not valid JSON, CSV that cannot be split, not UTF-8, too long.
        case unreadable
        case unknownKey
        case badNumber
        case duplicateNumber
        case unknownTenant
        case badContactEmail
        case badType
        case missingSubject
        case missingDescription
        case unknownState
        case badPriority
        case badDate
        case datesOutOfOrder
        case badProduct
        case badFollowUpEmail
        case badLanguage
        case badMessage
        case badAttachmentPath
        /// The importer's: the file is missing beside the import file, or the intake refused it.
        case attachmentRefused
        /// The importer's: the address belongs to an account that cannot be made this tenant's contact.
        case contactRefused
    }

    public var line: Int
    public var reason: Reason
    public var message: String

    public init(line: Int, _ reason: Reason, _ message: String) {
        self.line = line
        self.reason = reason
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// What the reader checks rows against, besides their own shape.
public struct TicketImportRules: Sendable {
    /// Every tenant by its code.
    public var tenantIDs: [String: Int64]
    /// The request types of the forms file, when it is known; nil takes any key.
    public var types: Set<String>?
    /// The deployment's time zone: dates written without an offset are local times there.
    public var timeZone: TimeZone

    public init(tenantIDs: [String: Int64], types: Set<String>? = nil, timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current) {
        self.tenantIDs = tenantIDs
        self.types = types
        self.timeZone = timeZone
    }
}

/// The keys of a row (CSV columns, JSON keys) and how each is read.
public enum TicketImportKeys {
    public static let required = ["number", "tenant_code", "contact_email", "type", "subject", "description", "state", "opened_at"]
    public static let optional = ["contact_name", "priority", "updated_at", "resolved_at", "theme", "sub_theme", "precision", "product",
                                  "follow_up_emails", "language", "attachments", "messages"]
    public static let all = Set(required + optional)
    static let messageKeys: Set<String> = ["kind", "author", "email", "date", "body", "attachments"]
}

/// Reads one row's values into a `TicketImportRow`. Pure: no file, no store.
struct TicketRowParser {
    let rules: TicketImportRules

    /// A value of a row: CSV gives text, JSON gives text, numbers, arrays, objects or null.
    typealias Values = [String: Any]

    func parse(_ values: Values, line: Int) -> Result<TicketImportRow, TicketImportRejection> {
        do {
            return .success(try row(values, line: line))
        } catch let rejection as TicketImportRejection {
            return .failure(rejection)
        } catch {
            return .failure(TicketImportRejection(line: line, .unreadable, "\(error)"))
        }
    }

    private func row(_ values: Values, line: Int) throws -> TicketImportRow {
        func reject(_ reason: TicketImportRejection.Reason, _ message: String) -> TicketImportRejection {
            TicketImportRejection(line: line, reason, message)
        }
        if let unknown = values.keys.sorted().first(where: { !TicketImportKeys.all.contains($0) }) {
            throw reject(.unknownKey, "unknown key \"\(unknown)\" (known keys: \(TicketImportKeys.all.sorted().joined(separator: ", ")))")
        }
        func text(_ key: String) -> String {
            Self.text(values[key]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func date(_ key: String) throws -> Date? {
            let value = text(key)
            if value.isEmpty { return nil }
            guard let date = ImportDate.parse(value, timeZone: rules.timeZone) else {
                throw reject(.badDate, "\(key): \"\(value)\" is not an ISO 8601 date such as 2024-03-05T14:30:00Z")
            }
            return date
        }

        let numberText = text("number")
        guard !numberText.isEmpty else { throw reject(.badNumber, "number: missing") }
        guard let number = TicketNumber(numberText) ?? Int(numberText).flatMap({ $0 > 0 && $0 < 1_000_000_000 ? TicketNumber($0) : nil }) else {
            throw reject(.badNumber, "number: \"\(numberText)\" is not a ticket number such as CS0000123")
        }
        let tenantCode = text("tenant_code")
        guard !tenantCode.isEmpty else { throw reject(.unknownTenant, "tenant_code: missing") }
        guard let tenantID = rules.tenantIDs[tenantCode] else {
            throw reject(.unknownTenant, "tenant_code: no customer account has the code \"\(tenantCode)\"")
        }
        let contactEmail = User.normalize(text("contact_email"))
        guard !contactEmail.isEmpty else { throw reject(.badContactEmail, "contact_email: missing") }
        guard EmailAddress.isValid(contactEmail) else { throw reject(.badContactEmail, "contact_email: \"\(contactEmail)\" is not an email address") }
        let type = text("type")
        guard !type.isEmpty else { throw reject(.badType, "type: missing") }
        guard type.count <= 100, type.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw reject(.badType, "type: \"\(type)\" is not a request type key (lower-case letters, digits, - and _)")
        }
        if let types = rules.types, !types.contains(type) {
            throw reject(.badType, "type: \"\(type)\" is not a request type of the forms file (\(types.sorted().joined(separator: ", ")))")
        }
        let subject = text("subject")
        guard !subject.isEmpty else { throw reject(.missingSubject, "subject: missing") }
        guard subject.count <= 500 else { throw reject(.missingSubject, "subject: longer than 500 characters") }
        let description = Self.text(values["description"]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else { throw reject(.missingDescription, "description: missing") }
        let stateText = text("state")
        guard !stateText.isEmpty else { throw reject(.unknownState, "state: missing") }
        guard let state = Self.state(stateText) else {
            throw reject(.unknownState, "state: \"\(stateText)\" is not a ticket state (\(TicketState.allCases.map(\.rawValue).joined(separator: ", ")), or their French names)")
        }
        let priorityText = text("priority")
        let priority: TicketPriority
        if priorityText.isEmpty {
            priority = .moderate
        } else if let given = Self.priority(priorityText) {
            priority = given
        } else {
            throw reject(.badPriority, "priority: \"\(priorityText)\" is not a priority (1 to 4, \"1 - Critique\" … \"4 - Basse\", or critical, high, moderate, low)")
        }
        guard let openedAt = try date("opened_at") else { throw reject(.badDate, "opened_at: missing") }
        let updatedAt = try date("updated_at")
        var resolvedAt = try date("resolved_at")
        if let updatedAt, updatedAt < openedAt { throw reject(.datesOutOfOrder, "updated_at: before opened_at") }
        if let resolvedAt, resolvedAt < openedAt { throw reject(.datesOutOfOrder, "resolved_at: before opened_at") }
        let product = text("product")
        if !product.isEmpty, !ProductSlugText.isValid(product) {
            throw reject(.badProduct, "product: \"\(product)\" is not a product slug (lower-case letters, digits, dashes)")
        }
        guard let followUps = (try? Self.list(values["follow_up_emails"], splittingText: true))?.map(User.normalize) else {
            throw reject(.badFollowUpEmail, "follow_up_emails: expected addresses separated by commas, or a JSON array of them")
        }
        if let bad = followUps.first(where: { !EmailAddress.isValid($0) }) {
            throw reject(.badFollowUpEmail, "follow_up_emails: \"\(bad)\" is not an email address")
        }
        let languageText = text("language").lowercased()
        guard ["", "fr", "en"].contains(languageText) else { throw reject(.badLanguage, "language: expected fr or en, got \"\(languageText)\"") }
        let contactName = text("contact_name")

        let attachments = try attachmentPaths(values["attachments"], key: "attachments", line: line)
        var messages = [TicketImportRow.Message(
            message: TicketMessage(kind: .customer, authorUserID: nil, authorName: contactName.isEmpty ? contactEmail : contactName,
                                   body: description, createdAt: openedAt),
            authorEmail: contactEmail, attachmentPaths: attachments)]
        messages += try self.messages(values["messages"], line: line)
        // Oldest first; the description stays first (a message dated before the opening is a clock's doing).
        let rest = messages.dropFirst().enumerated().sorted { ($0.element.message.createdAt, $0.offset) < ($1.element.message.createdAt, $1.offset) }
        messages = [messages[0]] + rest.map(\.element)

        let lastChange = messages.map(\.message.createdAt).max() ?? openedAt
        if resolvedAt == nil, !state.isOpen, state != .cancelled { resolvedAt = updatedAt ?? lastChange }
        let ticket = Ticket(
            number: number, tenantID: tenantID, contactUserID: 0, type: type, subject: subject, theme: text("theme"),
            subTheme: text("sub_theme"), precision: text("precision"), productSlug: product.isEmpty ? nil : product,
            priority: priority, state: state, followUpEmails: followUps, language: languageText.isEmpty ? "fr" : languageText,
            openedAt: openedAt, updatedAt: max(updatedAt ?? lastChange, openedAt),
            firstRespondedAt: messages.first(where: { $0.message.kind == .agent || $0.message.kind == .solution })?.message.createdAt,
            resolvedAt: resolvedAt)
        return TicketImportRow(line: line, ticket: ticket, tenantCode: tenantCode, contactEmail: contactEmail, contactName: contactName, messages: messages)
    }

    private func messages(_ value: Any?, line: Int) throws -> [TicketImportRow.Message] {
        func reject(_ reason: TicketImportRejection.Reason, _ message: String) -> TicketImportRejection {
            TicketImportRejection(line: line, reason, message)
        }
        var items: [Any]
        switch value {
        case nil, is NSNull: return []
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return [] }
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8), options: [.fragmentsAllowed]) as? [Any] else {
                throw reject(.badMessage, "messages: not a JSON array of messages")
            }
            items = parsed
        case let array as [Any]: items = array
        default: throw reject(.badMessage, "messages: expected an array of messages")
        }
        var messages: [TicketImportRow.Message] = []
        for (index, item) in items.enumerated() {
            let at = "messages[\(index)]"
            guard let fields = item as? [String: Any] else { throw reject(.badMessage, "\(at): expected an object with kind, author, date and body") }
            if let unknown = fields.keys.sorted().first(where: { !TicketImportKeys.messageKeys.contains($0) }) {
                throw reject(.badMessage, "\(at): unknown key \"\(unknown)\" (known keys: \(TicketImportKeys.messageKeys.sorted().joined(separator: ", ")))")
            }
            func text(_ key: String) -> String { Self.text(fields[key]).trimmingCharacters(in: .whitespacesAndNewlines) }
            let kindText = text("kind")
            guard let kind = Self.kind(kindText) else {
                throw reject(.badMessage, "\(at).kind: \"\(kindText)\" is not a message kind (customer, agent, note, solution, refusal, event)")
            }
            let email = User.normalize(text("email"))
            if !email.isEmpty, !EmailAddress.isValid(email) { throw reject(.badMessage, "\(at).email: \"\(email)\" is not an email address") }
            let author = text("author")
            guard !author.isEmpty || !email.isEmpty else { throw reject(.badMessage, "\(at).author: missing") }
            let dateText = text("date")
            guard !dateText.isEmpty else { throw reject(.badDate, "\(at).date: missing") }
            guard let date = ImportDate.parse(dateText, timeZone: rules.timeZone) else {
                throw reject(.badDate, "\(at).date: \"\(dateText)\" is not an ISO 8601 date such as 2024-03-05T14:30:00Z")
            }
            let body = Self.text(fields["body"]).trimmingCharacters(in: .whitespacesAndNewlines)
            let paths = try attachmentPaths(fields["attachments"], key: "\(at).attachments", line: line)
            guard !body.isEmpty || !paths.isEmpty else { throw reject(.badMessage, "\(at).body: missing") }
            messages.append(TicketImportRow.Message(
                message: TicketMessage(kind: kind, authorUserID: nil, authorName: author.isEmpty ? email : author, body: body, createdAt: date),
                authorEmail: email.isEmpty ? nil : email, attachmentPaths: paths))
        }
        return messages
    }

    /// Paths relative to the import file's folder: never absolute, never climbing out of it.
    private func attachmentPaths(_ value: Any?, key: String, line: Int) throws -> [String] {
        let paths: [String]
        do {
            paths = try Self.list(value, splittingText: false)
        } catch {
            throw TicketImportRejection(line: line, .badAttachmentPath, "\(key): expected a list of paths")
        }
        for path in paths {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            if path.hasPrefix("/") || path.hasPrefix("~") || parts.contains("..") || path.contains("\\") || path.contains("\0") {
                throw TicketImportRejection(line: line, .badAttachmentPath,
                                            "\(key): \"\(path)\" must be a path inside the import file's folder (relative, without \"..\")")
            }
        }
        return paths
    }

    // MARK: Values

    static func text(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: ""
        case let text as String: text
        case let number as NSNumber: number.stringValue
        default: "\(value ?? "")"
        }
    }

    struct NotAList: Error {}

    /// A JSON array; in text, a JSON array, or items separated by ";" (and "," when `splittingText`).
    static func list(_ value: Any?, splittingText: Bool) throws -> [String] {
        switch value {
        case nil, is NSNull: return []
        case let array as [Any]:
            return try array.map { item in
                guard item is String else { throw NotAList() }
                return text(item).trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("[") {
                guard let parsed = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [Any] else { throw NotAList() }
                return try list(parsed, splittingText: splittingText)
            }
            return trimmed.split(whereSeparator: { $0 == ";" || (splittingText && $0 == ",") })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        default:
            throw NotAList()
        }
    }

    /// Lower-cased, accents and separators dropped: "Résolu", "resolu", "RESOLVED", "in-progress".
    static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .filter { $0.isLetter || $0.isNumber }
    }

    static let states: [String: TicketState] = [
        "new": .new, "nouveau": .new, "open": .new,
        "inprogress": .inProgress, "encours": .inProgress,
        "awaitingcustomer": .awaitingCustomer, "enattenteclient": .awaitingCustomer, "enattente": .awaitingCustomer,
        "solutionproposed": .solutionProposed, "solutionproposee": .solutionProposed,
        "resolved": .resolved, "resolu": .resolved,
        "closed": .closed, "cloture": .closed, "clos": .closed,
        "cancelled": .cancelled, "canceled": .cancelled, "annule": .cancelled,
    ]

    static func state(_ text: String) -> TicketState? { TicketState(rawValue: text) ?? states[folded(text)] }

    static func priority(_ text: String) -> TicketPriority? {
        if let first = text.first, first.isASCIIDigit, let value = Int(String(first)), text.count == 1 || !(text.dropFirst().first?.isNumber ?? false) {
            return TicketPriority(rawValue: value)
        }
        switch folded(text) {
        case "critical", "critique": return .critical
        case "high", "haute", "elevee": return .high
        case "moderate", "moderee", "medium", "moyenne", "normale": return .moderate
        case "low", "basse": return .low
        default: return nil
        }
    }

    static func kind(_ text: String) -> TicketMessage.Kind? {
        // Ten messages a ticket: the exact keys without folding.
        if let exact = TicketMessage.Kind(rawValue: text) { return exact }
        return switch folded(text) {
        case "customer", "client": .customer
        case "agent", "staff": .agent
        case "note", "internal", "internalnote", "interne", "noteinterne": .note
        case "solution": .solution
        case "refusal", "refus": .refusal
        case "event", "evenement": .event
        default: nil
        }
    }
}
