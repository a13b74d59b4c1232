import Foundation

/// Rewrites HTML (what Ink made of an article's Markdown) keeping only the tags and attributes
/// of an allowlist, each attribute re-quoted and re-escaped, every tag closed. Ink copies link
/// addresses and code languages into attributes without escaping them, so its output is not
/// trusted: whatever it holds, what comes out here is well-formed and carries no script.
struct HTMLAllowlist {
    /// Decides a link's address (already entity-decoded): the address to write, or nil to drop
    /// the link and keep its text.
    var link: (String) -> String?
    /// Decides an image (its decoded address and alternative text): the address to write, or
    /// nil to show the alternative text instead.
    var image: (_ source: String, _ alternative: String) -> String?
    /// Rewrites text outside links and code (already escaped HTML), e.g. to link article numbers.
    var text: (String) -> String = { $0 }

    private static let containers: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    ]
    private static let voids: Set<String> = ["br", "hr", "img"]

    func clean(_ html: String) -> String {
        var output = ""
        output.reserveCapacity(html.utf8.count)
        /// Open tags, innermost last; nil stands for an `<a>` that was dropped (its `</a>` is too).
        var open: [String?] = []
        var scanner = TagScanner(html)
        while let token = scanner.next() {
            switch token {
            case .text(let raw):
                let escaped = Self.normalizeText(raw)
                let literal = open.contains { $0 == "a" || $0 == "code" || $0 == "pre" } || open.contains(nil)
                output += literal ? escaped : text(escaped)
            case .open(let name, let attributes):
                if Self.voids.contains(name) {
                    output += void(name, attributes)
                } else if Self.containers.contains(name) {
                    if name == "a" {
                        guard let href = attributes["href"].flatMap(link) else {
                            open.append(nil)
                            continue
                        }
                        output += "<a href=\"\(Self.escapeAttribute(href))\">"
                    } else {
                        output += "<\(name)\(Self.keptAttributes(of: name, attributes))>"
                    }
                    open.append(name)
                }
            case .close(let name):
                // Close up to the matching open tag; a closing tag with none is dropped.
                guard let index = open.lastIndex(where: { ($0 ?? "a") == name }) else { continue }
                for tag in open[index...].reversed() { if let tag { output += "</\(tag)>" } }
                open.removeSubrange(index...)
            }
        }
        for tag in open.reversed() { if let tag { output += "</\(tag)>" } }
        return output
    }

    private func void(_ name: String, _ attributes: [String: String]) -> String {
        guard name == "img" else { return "<\(name)>" }
        let alternative = attributes["alt"] ?? ""
        guard let source = attributes["src"], let kept = image(source, alternative) else {
            return Self.escapeText(alternative)
        }
        return "<img src=\"\(Self.escapeAttribute(kept))\" alt=\"\(Self.escapeAttribute(alternative))\" loading=\"lazy\">"
    }

    /// The attributes Ink writes that may stay: a table cell's alignment, a code block's language, a list's start.
    private static func keptAttributes(of name: String, _ attributes: [String: String]) -> String {
        switch name {
        case "th", "td":
            guard let align = attributes["align"], ["left", "center", "right"].contains(align) else { return "" }
            return " align=\"\(align)\""
        case "code":
            guard let language = attributes["class"], language.hasPrefix("language-"), language.count <= 40,
                  language.dropFirst(9).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-_#".contains($0)) }) else { return "" }
            return " class=\"\(escapeAttribute(language))\""
        case "ol":
            guard let start = attributes["start"], start.count <= 9, start.allSatisfy(\.isPlainDigit) else { return "" }
            return " start=\"\(start)\""
        default:
            return ""
        }
    }

    /// Text as Ink escaped it, made safe again: an `&` that starts no entity, and any `<` or `>`
    /// left, are escaped.
    static func normalizeText(_ raw: Substring) -> String {
        var output = ""
        var index = raw.startIndex
        while index < raw.endIndex {
            let character = raw[index]
            switch character {
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "&":
                if let end = entityEnd(in: raw, from: index) {
                    output += raw[index..<end]
                    index = end
                    continue
                }
                output += "&amp;"
            default: output.append(character)
            }
            index = raw.index(after: index)
        }
        return output
    }

    /// The end of `&name;`, `&#123;` or `&#x1F;` starting at `start`.
    private static func entityEnd(in text: Substring, from start: Substring.Index) -> Substring.Index? {
        var index = text.index(after: start)
        var body = ""
        while index < text.endIndex, body.count <= 32 {
            let character = text[index]
            if character == ";" {
                let valid = body.first == "#"
                    ? (body.count > 1 && (body.dropFirst().allSatisfy(\.isPlainDigit)
                        || ((body.dropFirst().first == "x" || body.dropFirst().first == "X") && body.count > 2 && body.dropFirst(2).allSatisfy(\.isHexDigit))))
                    : (body.first?.isLetter == true && body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
                return valid ? text.index(after: index) : nil
            }
            body.append(character)
            index = text.index(after: index)
        }
        return nil
    }

    static func escapeText(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            default: output.append(character)
            }
        }
        return output
    }

    static func escapeAttribute(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }

    /// An attribute's value as a browser reads it: the character references Ink or an author may
    /// have written are decoded, so `javascript&#58;` is seen as the `javascript:` it is. Any
    /// reference not decoded here stays literal, and is escaped again on the way out.
    static func decodeAttribute(_ value: Substring) -> String {
        guard value.contains("&") else { return String(value) }
        var output = ""
        var index = value.startIndex
        while index < value.endIndex {
            if value[index] == "&", let end = entityEnd(in: value, from: index) {
                let body = value[value.index(after: index)..<value.index(before: end)]
                if let decoded = decodeEntity(body) {
                    output += decoded
                    index = end
                    continue
                }
            }
            output.append(value[index])
            index = value.index(after: index)
        }
        return output
    }

    private static func decodeEntity(_ body: Substring) -> String? {
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "tab": "\t", "newline": "\n", "sol": "/"]
        if let text = named[body.lowercased()] { return text }
        guard body.first == "#" else { return nil }
        let digits = body.dropFirst()
        let scalar: UInt32?
        if digits.first == "x" || digits.first == "X" { scalar = UInt32(digits.dropFirst(), radix: 16) } else { scalar = UInt32(digits) }
        return scalar.flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? "\u{FFFD}"
    }
}

/// Splits HTML into text, opening tags (lower-cased name, attributes decoded) and closing tags.
/// A `<` that starts no well-formed tag is text.
private struct TagScanner {
    enum Token {
        case text(Substring)
        case open(String, [String: String])
        case close(String)
    }

    private let html: Substring
    private var index: Substring.Index

    init(_ html: String) {
        self.html = Substring(html)
        self.index = self.html.startIndex
    }

    mutating func next() -> Token? {
        guard index < html.endIndex else { return nil }
        if html[index] == "<", let (token, end) = tag(at: index) {
            index = end
            return token
        }
        // Text up to the next `<` (at least one character, so a stray `<` moves on as text).
        let start = index
        index = html.index(after: index)
        while index < html.endIndex, html[index] != "<" { index = html.index(after: index) }
        return .text(html[start..<index])
    }

    private func tag(at start: Substring.Index) -> (Token, Substring.Index)? {
        var cursor = html.index(after: start)
        var closing = false
        if cursor < html.endIndex, html[cursor] == "/" {
            closing = true
            cursor = html.index(after: cursor)
        }
        let nameStart = cursor
        while cursor < html.endIndex, html[cursor].isASCII, html[cursor].isLetter || html[cursor].isNumber { cursor = html.index(after: cursor) }
        guard cursor > nameStart, html[nameStart].isLetter else { return nil }
        let name = html[nameStart..<cursor].lowercased()
        var attributes: [String: String] = [:]
        while cursor < html.endIndex {
            let character = html[cursor]
            if character == ">" { return (closing ? .close(name) : .open(name, attributes), html.index(after: cursor)) }
            if character.isWhitespace || character == "/" {
                cursor = html.index(after: cursor)
                continue
            }
            // An attribute: a name, then maybe `=` and a quoted or bare value.
            let attributeStart = cursor
            while cursor < html.endIndex, !html[cursor].isWhitespace, !"=>/".contains(html[cursor]) { cursor = html.index(after: cursor) }
            let attribute = html[attributeStart..<cursor].lowercased()
            guard cursor < html.endIndex, html[cursor] == "=" else {
                if attributes[attribute] == nil { attributes[attribute] = "" }
                continue
            }
            cursor = html.index(after: cursor)
            guard cursor < html.endIndex else { return nil }
            let value: Substring
            if html[cursor] == "\"" || html[cursor] == "'" {
                let quote = html[cursor]
                let valueStart = html.index(after: cursor)
                guard let end = html[valueStart...].firstIndex(of: quote) else { return nil }
                value = html[valueStart..<end]
                cursor = html.index(after: end)
            } else {
                let valueStart = cursor
                while cursor < html.endIndex, !html[cursor].isWhitespace, html[cursor] != ">" { cursor = html.index(after: cursor) }
                value = html[valueStart..<cursor]
            }
            // The first of two attributes of one name counts, as in browsers.
            if attributes[attribute] == nil { attributes[attribute] = HTMLAllowlist.decodeAttribute(value) }
        }
        return nil
    }
}

extension Character {
    /// 0 to 9 only (`isNumber` also holds for other scripts' digits and for fractions).
    var isPlainDigit: Bool { isASCII && isNumber }
}
