import Foundation

/// A piece of news as an operator typed it, checked before it is stored: each problem is a key
/// of the UI catalogs on its field, so the form shows it next to the field with the input kept.
public struct NewsDraft: Sendable, Hashable {
    public static let titleLimit = 200
    public static let bodyLimit = 20_000
    public static let linkLimit = 2_000

    public var title: String
    public var body: String
    public var link: String
    public var languages: String
    /// Nil: publish now (an edit shows the stored date in the field, so leaving it keeps it).
    public var publishedAt: Date?
    /// The publication date was typed but could not be read.
    public var unreadableDate: Bool

    public init(title: String, body: String, link: String, languages: String, publishedAt: Date?, unreadableDate: Bool = false) {
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        self.link = link.trimmingCharacters(in: .whitespacesAndNewlines)
        self.languages = languages
        self.publishedAt = publishedAt
        self.unreadableDate = unreadableDate
    }

    /// The news this draft makes (keeping `existing`'s id and creation), or the problems field by field.
    public func news(existing: News? = nil, now: Date) -> Result<News, FormErrors> {
        var errors = FormErrors()
        if title.isEmpty { errors.add("title", "news_error_title_required") }
        if title.count > Self.titleLimit { errors.add("title", "news_error_title_long") }
        if body.isEmpty { errors.add("body", "news_error_body_required") }
        if body.count > Self.bodyLimit { errors.add("body", "news_error_body_long") }
        if !link.isEmpty, link.count > Self.linkLimit || !Self.isWebAddress(link) { errors.add("link", "news_error_link") }
        let languages = News.Languages(rawValue: languages)
        if languages == nil { errors.add("languages", "news_error_languages") }
        if unreadableDate { errors.add("publishedAt", "news_error_date") }
        guard errors.isEmpty, let languages else { return .failure(errors) }
        return .success(News(id: existing?.id ?? 0, title: title, body: body, link: link.isEmpty ? nil : link, languages: languages,
                             publishedAt: publishedAt ?? now, createdAt: existing?.createdAt ?? now))
    }

    /// An absolute http or https address with a host: a news link never runs script
    /// (`javascript:`) nor stays on a relative path the reader could not follow from a mail.
    public static func isWebAddress(_ text: String) -> Bool {
        guard !text.contains(where: { $0.isWhitespace || $0.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) }),
              let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else { return false }
        return true
    }
}
