import Foundation

/// The `Content-Disposition` header both ways: reading a form part's name and file name
/// (RFC 7578), and writing a download's (RFC 6266, with RFC 5987's `filename*` for names
/// that are not ASCII).
enum ContentDisposition {
    struct FormPart: Hashable {
        var name: String
        /// Nil for a text field; "" for a file input left empty.
        var fileName: String?
    }

    /// `form-data; name="files"; filename="rapport.pdf"`; nil unless it is form-data with a name.
    static func formPart(_ header: String) -> FormPart? {
        let parameters = self.parameters(header)
        guard parameters.first?.key.lowercased() == "form-data", let name = parameters.first(where: { $0.key == "name" })?.value else {
            return nil
        }
        let extended = parameters.first { $0.key == "filename*" }.flatMap { extendedValue($0.value) }
        let plain = parameters.first { $0.key == "filename" }?.value.map(decodeBrowserEscapes)
        let fileName = extended ?? plain
        return FormPart(name: name, fileName: fileName)
    }

    /// The boundary of a `multipart/form-data; boundary=…` Content-Type; nil for any other type.
    static func boundary(ofContentType header: String) -> String? {
        let parameters = self.parameters(header)
        guard parameters.first?.key.lowercased() == "multipart/form-data",
              let boundary = parameters.first(where: { $0.key == "boundary" })?.value,
              (1...70).contains(boundary.utf8.count) else { return nil }
        return boundary
    }

    /// `attachment; filename="…"; filename*=UTF-8''…`: the ASCII fallback for old clients, the
    /// exact name for the others. The name is already sanitised; quotes and backslashes are
    /// still replaced in the fallback, which is a quoted string.
    static func attachment(fileName: String) -> String {
        let fallback = String(fileName.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "\\" ? Character(scalar) : "_"
        })
        guard fileName.unicodeScalars.contains(where: { !$0.isASCII || $0 == "\"" || $0 == "\\" }) else {
            return "attachment; filename=\"\(fallback)\""
        }
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(percentEncoded(fileName))"
    }

    /// RFC 5987's attr-char are left as they are; every other byte of the UTF-8 is %XX.
    static func percentEncoded(_ text: String) -> String {
        let attrChar = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~".utf8)
        return text.utf8.map { attrChar.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }

    /// The first item (the value: "form-data") with key and nil value, then each `key=value`,
    /// values unquoted (backslash escapes honoured), `;` inside quotes kept.
    static func parameters(_ header: String) -> [(key: String, value: String?)] {
        var items: [(key: String, value: String?)] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        var rawItems: [String] = []
        for character in header {
            if escaped {
                current.append(character)
                escaped = false
            } else if inQuotes, character == "\\" {
                current.append(character)
                escaped = true
            } else if character == "\"" {
                current.append(character)
                inQuotes.toggle()
            } else if character == ";", !inQuotes {
                rawItems.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        rawItems.append(current)
        for (index, raw) in rawItems.enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "="), index > 0 else {
                if !trimmed.isEmpty || index == 0 { items.append((trimmed, nil)) }
                continue
            }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = unquoted(String(value.dropFirst().dropLast()))
            }
            items.append((key, value))
        }
        return items
    }

    private static func unquoted(_ text: String) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if !escaped, character == "\\" {
                escaped = true
                continue
            }
            result.append(character)
            escaped = false
        }
        return result
    }

    /// Browsers write `"` as %22 and line breaks as %0D %0A in a form's file name (HTML's
    /// multipart/form-data encoding); nothing else is percent-decoded, since a name may hold "%".
    private static func decodeBrowserEscapes(_ text: String) -> String {
        text.replacingOccurrences(of: "%22", with: "\"").replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%0A", with: "\n")
    }

    /// `UTF-8''na%C3%AFve.pdf`.
    private static func extendedValue(_ value: String?) -> String? {
        guard let value, let quote = value.range(of: "''") else { return nil }
        guard value[..<quote.lowerBound].lowercased().hasPrefix("utf-8") else { return nil }
        return String(value[quote.upperBound...]).removingPercentEncoding
    }
}
