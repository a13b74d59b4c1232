import Foundation

/// A knowledge-base article's number, "KB0000001": given in sequence when the article is
/// created, stable, never reused (a retired article keeps its number).
public struct ArticleNumber: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let value: Int

    public init(_ value: Int) { self.value = value }

    /// Reads "KB0000123" or "kb123" (any case, with or without leading zeros); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > 2, trimmed.prefix(2).uppercased() == "KB" else { return nil }
        let digits = trimmed.dropFirst(2)
        guard digits.count <= 9, digits.allSatisfy(\.isASCIIDigit), let value = Int(digits), value > 0 else { return nil }
        self.value = value
    }

    public var description: String {
        let digits = String(value)
        return "KB" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// Where an article stands: agents write drafts, readers see published ones, a retired one is
/// kept (its number and versions) but shown to nobody but agents.
public enum ArticleState: String, Sendable, Hashable, Codable, CaseIterable {
    case draft, published, retired
}

/// Who may read a published article.
public enum ArticleVisibility: Sendable, Hashable {
    /// Anyone, signed in or not.
    case everyone
    /// Any signed-in customer.
    case customers
    /// Users of tenants that have an accepted subscription to this service.
    case service(id: Int64)
}

/// The languages articles are written in.
public enum ArticleLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    case fr, en
}

/// What an author writes; the store adds the number, dates, version and counters.
public struct ArticleDraft: Sendable, Hashable {
    public var title: String
    /// Markdown, rendered by the web layer (raw HTML shown as text).
    public var body: String
    /// One of the categories of the config.
    public var category: String
    /// Slugs of the status products it concerns.
    public var productIDs: [String]
    public var language: ArticleLanguage
    /// The same article in the other language.
    public var translation: ArticleNumber?
    public var visibility: ArticleVisibility
    /// Articles an agent picked as related, besides those sharing products and category.
    public var relatedPicks: [ArticleNumber]

    public init(title: String, body: String, category: String, productIDs: [String] = [], language: ArticleLanguage,
                translation: ArticleNumber? = nil, visibility: ArticleVisibility = .everyone, relatedPicks: [ArticleNumber] = []) {
        self.title = title
        self.body = body
        self.category = category
        self.productIDs = productIDs
        self.language = language
        self.translation = translation
        self.visibility = visibility
        self.relatedPicks = relatedPicks
    }
}

/// An article as readers and agents see it: its latest version with its counters.
public struct Article: Sendable, Hashable {
    public var number: ArticleNumber
    public var content: ArticleDraft
    public var state: ArticleState
    /// 1 for the first published text; each published edit adds one.
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// Views counted once per reader per day.
    public var views: Int
    public var rating: ArticleRating

    public init(number: ArticleNumber, content: ArticleDraft, state: ArticleState, version: Int, createdAt: Date, updatedAt: Date,
                views: Int = 0, rating: ArticleRating = ArticleRating(average: 0, count: 0)) {
        self.number = number
        self.content = content
        self.state = state
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.views = views
        self.rating = rating
    }
}

/// The stars readers gave an article: the average of their 1–5 ratings and how many rated.
public struct ArticleRating: Sendable, Hashable {
    public var average: Double
    public var count: Int

    public init(average: Double, count: Int) {
        self.average = average
        self.count = count
    }
}

/// One kept version of an article's text, for agents ("Version 2 du 2026-11-03").
public struct ArticleVersion: Sendable, Hashable {
    public var number: ArticleNumber
    public var version: Int
    public var content: ArticleDraft
    public var savedAt: Date
    /// The agent who saved it, when known (imports have none).
    public var authorID: Int64?

    public init(number: ArticleNumber, version: Int, content: ArticleDraft, savedAt: Date, authorID: Int64?) {
        self.number = number
        self.version = version
        self.content = content
        self.savedAt = savedAt
        self.authorID = authorID
    }
}

/// An article in a list (search results, related articles, home blocks).
public struct ArticleSummary: Sendable, Hashable {
    public var number: ArticleNumber
    public var title: String
    public var category: String
    public var productIDs: [String]
    public var language: ArticleLanguage
    public var updatedAt: Date
    public var views: Int
    public var rating: ArticleRating
    /// Readers only ever get published articles; the agents' list (`allArticles`) shows every state.
    public var state: ArticleState

    public init(number: ArticleNumber, title: String, category: String, productIDs: [String], language: ArticleLanguage,
                updatedAt: Date, views: Int, rating: ArticleRating, state: ArticleState = .published) {
        self.number = number
        self.state = state
        self.title = title
        self.category = category
        self.productIDs = productIDs
        self.language = language
        self.updatedAt = updatedAt
        self.views = views
        self.rating = rating
    }
}

/// A file attached to an article: its name as shown, and the blob holding its bytes.
public struct ArticleAttachment: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var number: ArticleNumber
    /// The uploaded name, sanitised (no folder, no control characters).
    public var fileName: String
    public var blob: BlobReference
    public var addedAt: Date

    public init(id: Int64 = 0, number: ArticleNumber, fileName: String, blob: BlobReference, addedAt: Date) {
        self.id = id
        self.number = number
        self.fileName = fileName
        self.blob = blob
        self.addedAt = addedAt
    }
}
