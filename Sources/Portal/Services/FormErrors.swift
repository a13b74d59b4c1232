import Foundation

/// Problems with a form, field by field; each message is a key of the UI catalogs. A field may
/// carry several messages (a refused password lists every rule it misses), in the order they
/// were added.
///
/// For pages: `fields` gives the first message of each field (what a page showing one message
/// per field needs); `all(_:)` or `messages` give every one of them.
public struct FormErrors: Error, Sendable, Hashable {
    /// Every message of every field, in the order added; no field has an empty list.
    public private(set) var messages: [String: [String]] = [:]

    public init() {}

    public init(_ field: String, _ message: String) {
        messages[field] = [message]
    }

    /// Several messages for one field, in order: `FormErrors("password", ["password_rule_length", "password_rule_digit"])`.
    public init(_ field: String, _ messages: [String]) {
        for message in messages { add(field, message) }
    }

    /// Appends `message` to `field` (a message already there is not repeated).
    public mutating func add(_ field: String, _ message: String) {
        if messages[field]?.contains(message) == true { return }
        messages[field, default: []].append(message)
    }

    /// The first message of each field.
    public var fields: [String: String] { messages.compactMapValues(\.first) }

    /// Every message of `field`, in order; empty when the field is fine.
    public func all(_ field: String) -> [String] { messages[field] ?? [] }

    public var isEmpty: Bool { messages.isEmpty }
    /// The first message of `field`.
    public subscript(field: String) -> String? { messages[field]?.first }
}

/// Checks an email address the way a form should: one @, a dotted domain, no spaces.
public enum EmailAddress {
    public static func isValid(_ text: String) -> Bool {
        let address = text.trimmingCharacters(in: .whitespaces)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard address.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !address.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" || $0 == "\"" })
        else { return false }
        return true
    }
}

/// The change would leave a tenant without an administrator: refused, nothing changed.
public struct LastAdministrator: Error, Sendable, Hashable {
    public init() {}
}

/// The object is not one of the caller's tenant: answered as if it did not exist.
public struct NotInTenant: Error, Sendable, Hashable {
    public init() {}
}
