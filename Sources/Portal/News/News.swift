import Foundation

/// A piece of news an operator publishes on the customers' home page (`/home`): a title, a text
/// in Markdown, an optional link, the languages it is written for, and the instant it shows from.
public struct News: Sendable, Hashable, Identifiable {
    /// The readers' languages a piece of news is shown to.
    public enum Languages: String, Sendable, Hashable, CaseIterable {
        case fr, en
        /// Written for everyone: shown whatever the reader's language.
        case both

        /// Whether a reader of `language` ("fr", "en") sees it.
        public func includes(_ language: String) -> Bool { self == .both || rawValue == language }
    }

    /// 0 until stored.
    public var id: Int64
    public var title: String
    /// Markdown; the web layer renders it through the knowledge base's safe renderer.
    public var body: String
    /// An http or https address, checked by `NewsDraft`; nil shows no link.
    public var link: String?
    public var languages: Languages
    /// Readers see it from this instant on: a later one schedules it.
    public var publishedAt: Date
    public var createdAt: Date

    public init(id: Int64 = 0, title: String, body: String, link: String? = nil, languages: Languages = .both,
                publishedAt: Date, createdAt: Date) {
        self.id = id
        self.title = title
        self.body = body
        self.link = link
        self.languages = languages
        self.publishedAt = publishedAt
        self.createdAt = createdAt
    }

    /// Whether readers see it at `now`.
    public func isPublished(at now: Date) -> Bool { publishedAt <= now }
}

/// Where news is kept. Customers read `published`, operators manage `all`.
public protocol NewsStore: Sendable {
    /// Stores a new piece of news; returns it with its id.
    func create(_ news: News) async throws -> News
    /// False when no news has that id.
    func update(_ news: News) async throws -> Bool
    /// False when no news has that id.
    func delete(id: Int64) async throws -> Bool
    func news(id: Int64) async throws -> News?
    /// Every piece, scheduled ones included, newest publication first (the operators' list).
    func all() async throws -> [News]
    /// What readers of `language` see at `now`, newest first, at most `limit`.
    func published(language: String, at now: Date, limit: Int) async throws -> [News]
}
