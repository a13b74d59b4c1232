import Foundation

/// Who is reading the knowledge base. Who may see what is applied by the store's queries from
/// this, never filtered afterwards.
public struct KnowledgeBaseReader: Sendable, Hashable {
    /// Signed in (a user of the portal, or a tenant's API key): sees `customers` articles.
    public var signedIn: Bool
    /// The tenants whose accepted service subscriptions open `service` articles.
    public var tenantIDs: [Int64]
    /// Agents and operators: see drafts, retired articles and every visibility.
    public var isStaff: Bool

    public init(signedIn: Bool, tenantIDs: [Int64] = [], isStaff: Bool = false) {
        self.signedIn = signedIn
        self.tenantIDs = tenantIDs
        self.isStaff = isStaff
    }

    public static let anonymous = KnowledgeBaseReader(signedIn: false)
    public static let staff = KnowledgeBaseReader(signedIn: true, isStaff: true)
}

/// How search results are ordered.
public enum ArticleSort: String, Sendable, Hashable, CaseIterable {
    /// Pertinence: an exact number first, then the articles citing it, then bm25 (title above
    /// body above attachments). Without words, the most recent first.
    case relevance
    case views
    case newest
    case title
}

/// A search of the knowledge base (`/kb?q=`). `text` is what the user typed: it is read as
/// words (never as FTS syntax), the last one as a prefix; a number "KB0030252" is looked up exactly.
public struct ArticleQuery: Sendable, Hashable {
    public var text: String
    public var language: ArticleLanguage?
    public var category: String?
    public var productID: String?
    public var sort: ArticleSort
    /// 1-based; the store clamps it to the pages there are.
    public var page: Int
    public var pageSize: Int

    public init(text: String = "", language: ArticleLanguage? = nil, category: String? = nil, productID: String? = nil,
                sort: ArticleSort = .relevance, page: Int = 1, pageSize: Int = 10) {
        self.text = text
        self.language = language
        self.category = category
        self.productID = productID
        self.sort = sort
        self.page = page
        self.pageSize = pageSize
    }
}

/// A piece of text from a match: plain runs and the matched words, for the web layer to escape
/// and highlight (no markup ever comes out of the store).
public struct Excerpt: Sendable, Hashable {
    public struct Run: Sendable, Hashable {
        public var text: String
        public var isMatch: Bool

        public init(text: String, isMatch: Bool) {
            self.text = text
            self.isMatch = isMatch
        }
    }

    public var runs: [Run]

    public init(runs: [Run]) { self.runs = runs }
}

/// One result of a search.
public struct ArticleHit: Sendable, Hashable {
    public var article: ArticleSummary
    /// The title with the matched words marked.
    public var title: Excerpt
    /// A few words of the body around the matches (the start of the body when it did not match).
    public var snippet: Excerpt
    /// When the words were found in an attachment: its name and the words around them
    /// ("Résumé de : guide.pdf").
    public var attachment: (fileName: String, excerpt: Excerpt)?

    public init(article: ArticleSummary, title: Excerpt, snippet: Excerpt, attachment: (fileName: String, excerpt: Excerpt)? = nil) {
        self.article = article
        self.title = title
        self.snippet = snippet
        self.attachment = attachment
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.article == rhs.article && lhs.title == rhs.title && lhs.snippet == rhs.snippet
            && lhs.attachment?.fileName == rhs.attachment?.fileName && lhs.attachment?.excerpt == rhs.attachment?.excerpt
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(article) }
}

/// How many matching articles each filter value has (with the other filters applied).
public struct ArticleFacets: Sendable, Hashable {
    public var languages: [FacetCount<ArticleLanguage>]
    public var categories: [FacetCount<String>]
    public var products: [FacetCount<String>]
    /// True when the counts were read from an even sample of very many matches and scaled
    /// ("environ 35 000"): exact counts over tens of thousands of matches would cost more than the search.
    public var areEstimates: Bool

    public init(languages: [FacetCount<ArticleLanguage>] = [], categories: [FacetCount<String>] = [], products: [FacetCount<String>] = [],
                areEstimates: Bool = false) {
        self.languages = languages
        self.categories = categories
        self.products = products
        self.areEstimates = areEstimates
    }
}

public struct FacetCount<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var count: Int

    public init(value: Value, count: Int) {
        self.value = value
        self.count = count
    }
}

/// A page of results: "N résultats pour « … »".
public struct ArticleResults: Sendable, Hashable {
    public var total: Int
    /// `total` was extrapolated from the newest matches (a query matching most of a large base):
    /// shown as "about N".
    public var totalIsEstimate: Bool
    public var hits: [ArticleHit]
    public var facets: ArticleFacets
    /// The page given back (clamped), and how many there are.
    public var page: Int
    public var pageCount: Int

    public init(total: Int, totalIsEstimate: Bool = false, hits: [ArticleHit], facets: ArticleFacets, page: Int, pageCount: Int) {
        self.total = total
        self.totalIsEstimate = totalIsEstimate
        self.hits = hits
        self.facets = facets
        self.page = page
        self.pageCount = pageCount
    }
}
