import Foundation

/// Problems with a form, field by field; each message is a key of the UI catalogs.
public struct FormErrors: Error, Sendable, Hashable {
    public private(set) var fields: [String: String] = [:]

    public init() {}

    public init(_ field: String, _ message: String) {
        fields[field] = message
    }

    public mutating func add(_ field: String, _ message: String) {
        if fields[field] == nil { fields[field] = message }
    }

    public var isEmpty: Bool { fields.isEmpty }
    public subscript(field: String) -> String? { fields[field] }
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
