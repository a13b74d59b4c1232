/// RFC 2045 quoted-printable: readable text in 7-bit lines of at most 76 characters.
enum QuotedPrintable {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Encodes UTF-8 text; any line end (LF, CR or CRLF) becomes CRLF.
    static func encode(_ text: String) -> String {
        lines(of: text).map(encodeLine).joined(separator: "\r\n")
    }

    /// The text's lines as bytes, whatever ends them.
    static func lines(of text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = [[]]
        var afterCR = false
        for byte in text.utf8 {
            defer { afterCR = byte == 13 }
            if byte == 13 || (byte == 10 && !afterCR) {
                lines.append([])
            } else if byte != 10 {
                lines[lines.count - 1].append(byte)
            }
        }
        return lines
    }

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var lineLength = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            var token: [UInt8]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                // Trailing white space may be dropped in transit: spell it out.
                token = isLast ? escaped(byte) : [byte]
            } else if (33...126).contains(byte) && byte != UInt8(ascii: "=") {
                token = [byte]
            } else {
                token = escaped(byte)
            }
            // A dot or "From " at the start of a line means something to SMTP and mbox.
            if lineLength == 0, byte == UInt8(ascii: ".") || bytes[index...].starts(with: "From ".utf8) {
                token = escaped(byte)
            }
            // Leave room for the soft break "=" unless this is the line's last token.
            let limit = isLast ? 76 : 75
            if lineLength + token.count > limit {
                output += [UInt8(ascii: "="), 13, 10]
                lineLength = 0
                if byte == UInt8(ascii: ".") || bytes[index...].starts(with: "From ".utf8) { token = escaped(byte) }
            }
            output += token
            lineLength += token.count
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func escaped(_ byte: UInt8) -> [UInt8] {
        [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
    }
}
