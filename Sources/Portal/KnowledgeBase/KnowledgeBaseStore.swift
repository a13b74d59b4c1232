import Foundation

/// What the knowledge base needs from storage. Every read takes the reader, and the store's
/// query applies who may see what (state and visibility), so no surface can show an article
/// its reader may not see. Search stays behind `search`, so another store can use its own
/// full-text engine.
public protocol KnowledgeBaseStore: Sendable {
    /// Creates an article with the next number (numbers are never reused), as a draft or published.
    func createArticle(_ draft: ArticleDraft, state: ArticleState, authorID: Int64?, at: Date) async throws -> Article
    /// Creates or replaces the article with this number (imports): a number not yet used is
    /// taken, and later numbers continue after it. Returns whether anything changed, so a
    /// second import of the same text writes nothing.
    func importArticle(number: ArticleNumber, _ draft: ArticleDraft, state: ArticleState, at: Date) async throws -> Bool
    /// `importArticle` for several articles, in one transaction where the store has them (an
    /// import of 100,000 files would otherwise commit, and sync to disk, 100,000 times). Returns
    /// whether each changed, in order.
    func importArticles(_ articles: [(number: ArticleNumber, draft: ArticleDraft, state: ArticleState)], at: Date) async throws -> [Bool]
    /// Saves an edit. A published article gets a new version (the old one is kept); a draft is
    /// changed in place. Nil when there is no such article.
    func updateArticle(_ number: ArticleNumber, _ draft: ArticleDraft, authorID: Int64?, at: Date) async throws -> Article?
    /// Publishes, retires or returns an article to draft; false when there is no such article.
    func setState(_ number: ArticleNumber, _ state: ArticleState, at: Date) async throws -> Bool
    /// Makes an earlier version the latest one (as a new version); nil when either is missing.
    func restore(_ number: ArticleNumber, version: Int, authorID: Int64?, at: Date) async throws -> Article?

    /// The article when `reader` may see it.
    func article(_ number: ArticleNumber, for reader: KnowledgeBaseReader) async throws -> Article?
    /// Every version, newest first (agents only: the caller checks the staff role).
    func versions(_ number: ArticleNumber) async throws -> [ArticleVersion]
    func version(_ number: ArticleNumber, _ version: Int) async throws -> ArticleVersion?
    /// Every article for the agents' list, newest change first, drafts and retired included.
    func allArticles() async throws -> [ArticleSummary]

    func search(_ query: ArticleQuery, for reader: KnowledgeBaseReader) async throws -> ArticleResults

    /// Counts a view unless `viewer` ("user:12", or an anonymous visitor's key) already viewed
    /// the article that day; returns whether it counted.
    func recordView(_ number: ArticleNumber, viewer: String, day: String) async throws -> Bool
    /// Sets (or changes) a user's 1–5 stars; one rating per user and article.
    func rate(_ number: ArticleNumber, userID: Int64, stars: Int, at: Date) async throws
    func stars(_ number: ArticleNumber, userID: Int64) async throws -> Int?

    /// Articles sharing products and category, and those an agent picked, that `reader` may see.
    func related(to number: ArticleNumber, for reader: KnowledgeBaseReader, limit: Int) async throws -> [ArticleSummary]
    /// Articles whose latest body names `number`, that `reader` may see.
    func citing(_ number: ArticleNumber, for reader: KnowledgeBaseReader) async throws -> [ArticleSummary]
    /// The home page's blocks: newest, best rated, most viewed since `since`.
    func recent(for reader: KnowledgeBaseReader, limit: Int) async throws -> [ArticleSummary]
    func topRated(for reader: KnowledgeBaseReader, limit: Int) async throws -> [ArticleSummary]
    func mostViewed(since: Date, for reader: KnowledgeBaseReader, limit: Int) async throws -> [ArticleSummary]

    /// Attaches a stored blob with the text read from it (indexed for search; empty when none).
    func addAttachment(_ attachment: ArticleAttachment, text: String) async throws -> ArticleAttachment
    func removeAttachment(id: Int64, from number: ArticleNumber) async throws -> Bool
    func attachments(of number: ArticleNumber) async throws -> [ArticleAttachment]
    /// One attachment when `reader` may see its article.
    func attachment(id: Int64, of number: ArticleNumber, for reader: KnowledgeBaseReader) async throws -> ArticleAttachment?

    /// The number an earlier import gave the file at `source` (its path in the imported folder)
    /// when that file named none, so a second import finds the same article.
    func importedArticle(source: String) async throws -> ArticleNumber?
    /// Remembers that the file at `source` made article `number`.
    func rememberImport(source: String, number: ArticleNumber) async throws
    /// The attachments of `number` when `reader` may see the article (the article page's side list).
    func attachments(of number: ArticleNumber, for reader: KnowledgeBaseReader) async throws -> [ArticleAttachment]
}

extension KnowledgeBaseStore {
    // Defaults for stores written before these were added (fakes in tests).
    public func importedArticle(source: String) async throws -> ArticleNumber? { nil }
    public func rememberImport(source: String, number: ArticleNumber) async throws {}
    public func importArticles(_ articles: [(number: ArticleNumber, draft: ArticleDraft, state: ArticleState)], at: Date) async throws -> [Bool] {
        var changed: [Bool] = []
        for article in articles { changed.append(try await importArticle(number: article.number, article.draft, state: article.state, at: at)) }
        return changed
    }
    public func attachments(of number: ArticleNumber, for reader: KnowledgeBaseReader) async throws -> [ArticleAttachment] {
        try await article(number, for: reader) == nil ? [] : try await attachments(of: number)
    }
}
