import Foundation

/// What a user typed in the knowledge base's search box, read as words and article numbers:
/// nothing in it is ever syntax (quotes, `*`, `-`, `:`, NEAR, AND, parentheses are separators
/// or plain words).
public struct SearchText: Sendable, Hashable {
    /// The words to find, in order; the last one is matched as a prefix too while the user types.
    public var words: [String]
    /// Article numbers named in the text ("KB0030252", "kb30252", "KB 30252").
    public var numbers: [ArticleNumber]

    /// Words too common to narrow a search; dropped unless the query holds nothing else.
    static let stopWords: Set<String> = [
        "le", "la", "les", "de", "des", "du", "un", "une", "et", "ou", "en", "au", "aux", "pour", "par", "sur", "dans", "est",
        "ce", "qui", "que", "the", "a", "an", "of", "to", "and", "or", "in", "on", "for", "is", "it", "with", "how", "comment",
    ]

    public init(_ text: String) {
        // Letters and digits make words; everything else separates them.
        var pieces: [String] = []
        var current = ""
        for character in text.prefix(500) {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }

        var numbers: [ArticleNumber] = []
        var words: [String] = []
        var index = 0
        while index < pieces.count {
            let piece = pieces[index]
            if let number = ArticleNumber(piece) {
                numbers.append(number)
            } else if piece.lowercased() == "kb", index + 1 < pieces.count, let number = ArticleNumber("KB" + pieces[index + 1]) {
                numbers.append(number)
                index += 1
            } else {
                words.append(piece)
            }
            index += 1
        }
        let meaningful = words.filter { word in
            let folded = word.lowercased()
            return !Self.stopWords.contains(folded) && (folded.count > 1 || folded.allSatisfy(\.isNumber))
        }
        self.words = Array((meaningful.isEmpty ? words : meaningful).prefix(12))
        self.numbers = Array(numbers.prefix(5))
    }

    public var isEmpty: Bool { words.isEmpty && numbers.isEmpty }
}

/// The article numbers a body names ("voir KB0000123"): the citations recorded at each save.
public enum ArticleCitations {
    public static func numbers(in body: String) -> [ArticleNumber] {
        var found: [ArticleNumber] = []
        var seen: Set<Int> = []
        let scalars = Array(body.unicodeScalars)
        var index = 0
        while index + 2 < scalars.count {
            let k = scalars[index], b = scalars[index + 1]
            let startsWord = index == 0 || !CharacterSet.alphanumerics.contains(scalars[index - 1])
            if startsWord, k == "K" || k == "k", b == "B" || b == "b" {
                var end = index + 2
                while end < scalars.count, end - index - 2 < 10, ("0"..."9").contains(scalars[end]) { end += 1 }
                let endsWord = end == scalars.count || !CharacterSet.alphanumerics.contains(scalars[end])
                if end > index + 2, endsWord,
                   let number = ArticleNumber(String(String.UnicodeScalarView(scalars[index..<end]))), seen.insert(number.value).inserted {
                    found.append(number)
                }
                index = end
            } else {
                index += 1
            }
        }
        return found
    }
}

/// Markdown as the search index reads it: the words without the syntax, so that snippets show
/// sentences, not `**` or `](https://…)`. Raw HTML stays as text (shown escaped).
public enum MarkdownPlainText {
    public static func plain(_ markdown: String) -> String {
        var lines: [String] = []
        var inFence = false
        for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") || line.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if !inFence {
                while let first = line.first, first == "#" || first == ">" { line.removeFirst() }
                if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") { line.removeFirst(2) }
                line = stripLinks(line)
                line.removeAll { $0 == "*" || $0 == "`" || $0 == "|" }
            }
            lines.append(line.trimmingCharacters(in: .whitespaces))
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `[text](url)` and `![alt](url)` become their text.
    private static func stripLinks(_ line: String) -> String {
        guard line.contains("](") else { return line }
        var result = ""
        var rest = Substring(line)
        while let open = rest.firstIndex(of: "[") {
            guard let close = rest[open...].firstIndex(of: "]"), rest.index(after: close) < rest.endIndex,
                  rest[rest.index(after: close)] == "(", let paren = rest[close...].firstIndex(of: ")") else { break }
            var before = rest[..<open]
            if before.last == "!" { before = before.dropLast() }
            result += before + rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: paren)...]
        }
        return result + rest
    }
}
