import Foundation

/// Writing header fields so that no value can end its line early: every value is cleaned of
/// line breaks and control characters, then written as plain folded text or as RFC 2047
/// encoded words (UTF-8, base64) when it is not plain ASCII.
enum MailHeaders {
    /// Headers the composer writes itself; a mail's extra headers cannot replace them.
    static let reserved: Set<String> = [
        "from", "sender", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version",
        "content-type", "content-transfer-encoding", "content-language", "content-disposition", "return-path", "received",
    ]

    /// RFC 5322 field names: printable ASCII but the colon.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 76 && name.unicodeScalars.allSatisfy { (33...126).contains($0.value) && $0 != ":" }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// The value on one line: every line break or control character becomes a space.
    static func clean(_ value: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in value.unicodeScalars { scalars.append(isControl(scalar) ? " " : scalar) }
        return String(scalars).trimmingCharacters(in: .whitespaces)
    }

    /// "Name: value" and its folded lines, each ended by CRLF.
    static func field(_ name: String, _ value: String) -> String {
        let value = clean(value)
        let plain = value.unicodeScalars.allSatisfy { $0.isASCII } && !value.contains("=?")
            && !value.split(separator: " ").contains { $0.utf8.count > 900 }
        let body = plain ? folded(value, used: name.utf8.count + 2) : encodedWords(value, used: name.utf8.count + 2)
        return "\(name): \(body)\r\n"
    }

    /// Plain ASCII folded before a space wherever a line would pass 78 characters.
    static func folded(_ value: String, used: Int) -> String {
        var result = ""
        var lineLength = used
        for (index, word) in value.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index > 0 {
                if lineLength + 1 + word.utf8.count > 78 && lineLength > 1 {
                    result += "\r\n"
                    lineLength = 0
                }
                result += " "
                lineLength += 1
            }
            result += word
            lineLength += word.utf8.count
        }
        return result
    }

    /// RFC 2047 encoded words, each holding whole characters, on lines of at most 76.
    static func encodedWords(_ value: String, used: Int) -> String {
        let overhead = "=?UTF-8?B??=".utf8.count
        var words: [String] = []
        var chunk: [UInt8] = []
        var room = max(0, (76 - used - overhead) / 4 * 3)
        if room < 3 {
            // No room after a long header name: start the first word on its own line.
            words.append("")
            room = (76 - 1 - overhead) / 4 * 3
        }
        for scalar in value.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > room, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
                room = (76 - 1 - overhead) / 4 * 3
            }
            chunk += bytes
        }
        words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
        return words.joined(separator: "\r\n ")
    }
}
