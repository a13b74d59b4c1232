import Foundation
import Ink
import Portal

/// HTML that is safe to put in a page as it is: only `ArticleMarkdown` makes one, so a
/// template's `{{{…}}}` can only ever hold what went through its allowlist.
struct SafeHTML: Sendable, Hashable, CustomStringConvertible {
    let html: String
    fileprivate init(_ html: String) { self.html = html }
    var description: String { html }
}

/// An article's Markdown rendered by Ink and made safe: raw HTML written by an author is shown
/// as text, links go only to http, https, mailto and relative addresses, images only come from
/// the article's own attachments, and article numbers (KB0000123) link to their articles.
/// The article page, the agents' preview and the API all render through this one type.
struct ArticleMarkdown: Sendable {
    /// The article's number (its attachments' addresses hang under it); nil for a new draft.
    let number: ArticleNumber?
    /// The files attached to the article: the only images its body may show.
    let attachments: [ArticleAttachment]

    /// Image types a browser shows without running anything (SVG may hold script: never shown).
    static let imageTypes: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp"]
    static let linkSchemes: Set<String> = ["http", "https", "mailto"]

    func render(_ markdown: String) -> SafeHTML {
        var parser = MarkdownParser()
        // Whatever Ink reads as HTML (a block or an inline tag) comes out as the text the author typed.
        parser.addModifier(Modifier(target: .html) { input in HTMLAllowlist.escapeText(String(input.markdown)) })
        let inked = parser.html(from: markdown)
        let allowlist = HTMLAllowlist(link: Self.safeLink, image: { source, _ in image(source) }, text: Self.linkArticleNumbers)
        return SafeHTML(allowlist.clean(inked))
    }

    /// The address a link may keep, or nil: a scheme other than http, https or mailto
    /// (`javascript:`, `data:`, `vbscript:`) drops the link, its text stays.
    static func safeLink(_ address: String) -> String? {
        // Browsers skip tabs and line breaks inside an address and spaces around it: `java\tscript:` is `javascript:`.
        let cleaned = String(address.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" })
            .trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters))
        guard !cleaned.isEmpty, !cleaned.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else { return nil }
        if let colon = cleaned.firstIndex(of: ":") {
            let before = cleaned[..<colon]
            // A colon before any `/`, `?` or `#` ends a scheme.
            if !before.contains(where: { "/?#".contains($0) }), !linkSchemes.contains(before.lowercased()) { return nil }
        }
        return cleaned
    }

    /// An image's address when it names one of the article's image attachments (by its
    /// address, `attachments/ID`, or its file name); any other image is dropped.
    func image(_ source: String) -> String? {
        guard let number else { return nil }
        let cleaned = source.trimmingCharacters(in: .whitespaces)
        let decoded = cleaned.removingPercentEncoding ?? cleaned
        let prefixes = ["/kb/\(number)/attachments/", "attachments/"]
        let found = attachments.first { attachment in
            prefixes.contains { cleaned == $0 + String(attachment.id) } || decoded == attachment.fileName
        }
        guard let found, Self.imageTypes.contains(found.blob.contentType) else { return nil }
        return "/kb/\(number)/attachments/\(found.id)"
    }

    /// Escaped text with every article number made a link to its article.
    static func linkArticleNumbers(_ text: String) -> String {
        guard text.localizedCaseInsensitiveContains("kb") else { return text }
        let characters = Array(text)
        var output = ""
        var index = 0
        func isWordCharacter(_ position: Int) -> Bool {
            position >= 0 && position < characters.count && (characters[position].isLetter || characters[position].isNumber)
        }
        while index < characters.count {
            let end = index + 9
            if end <= characters.count, characters[index].lowercased() == "k", characters[index + 1].lowercased() == "b",
               characters[(index + 2)..<end].allSatisfy(\.isPlainDigit), !isWordCharacter(index - 1), !isWordCharacter(end),
               let number = ArticleNumber(String(characters[index..<end])) {
                output += "<a href=\"/kb/\(number)\" class=\"kb-ref\">\(number)</a>"
                index = end
                continue
            }
            output.append(characters[index])
            index += 1
        }
        return output
    }
}
