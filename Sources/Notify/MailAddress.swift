import Foundation

/// An email address as statusd sends to: ASCII `local@domain`, with an optional display name
/// (the sender: "Statusd <status@example.com>"). Quoted local parts and address literals,
/// which no subscriber needs, are refused rather than half supported.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The bare address, as the SMTP envelope carries it.
    public let address: String
    public let displayName: String?

    /// Reads "someone@example.com" or "Name <someone@example.com>"; nil when it is neither.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
            guard Self.isValidAddress(address), !name.unicodeScalars.contains(where: MailHeaders.isControl) else { return nil }
            self.address = address
            self.displayName = name.isEmpty ? nil : name
        } else {
            guard Self.isValidAddress(trimmed) else { return nil }
            self.address = trimmed
            self.displayName = nil
        }
    }

    public var description: String {
        displayName.map { "\($0) <\(address)>" } ?? address
    }

    /// One address that cannot break out of an SMTP command or a header line: one "@", text on
    /// both sides, no white space, control character or `<>,;"`. Looser than `isValidAddress`,
    /// as the portal's forms are (non-ASCII addresses included).
    public static func isSafeRecipient(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return !text.unicodeScalars.contains { scalar in
            MailHeaders.isControl(scalar) || scalar.properties.isWhitespace || "<>,;\"".unicodeScalars.contains(scalar)
        }
    }

    /// `local@domain` with dot-atom text on the left and host labels on the right.
    public static func isValidAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 254, parts.count == 2 else { return false }
        return isDotAtom(parts[0], allowed: isAtomText, maxLength: 64) && isDomain(parts[1])
    }

    private static func isDotAtom(_ text: Substring, allowed: (Unicode.Scalar) -> Bool, maxLength: Int) -> Bool {
        guard !text.isEmpty, text.utf8.count <= maxLength else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { atom in
            !atom.isEmpty && atom.unicodeScalars.allSatisfy(allowed)
        }
    }

    private static func isDomain(_ text: Substring) -> Bool {
        guard isDotAtom(text, allowed: { isASCIILetterOrDigit($0) || $0 == "-" }, maxLength: 253) else { return false }
        return text.split(separator: ".").allSatisfy { label in label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-") }
    }

    /// RFC 5322 atext: letters, digits and !#$%&'*+-/=?^_`{|}~.
    static func isAtomText(_ scalar: Unicode.Scalar) -> Bool {
        isASCIILetterOrDigit(scalar) || "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
    }

    static func isASCIILetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
