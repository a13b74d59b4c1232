import Foundation
import Hummingbird
import Portal
import StatusModel

/// `/api/v1/kb/articles`: the knowledge base's search and articles for programs. Anonymous
/// callers see public articles, a tenant's key what that tenant's users see, a staff key
/// everything; staff keys also write.
struct APIv1ArticlesController: Sendable {
    let knowledgeBase: KnowledgeBaseSite
    let calendar: DayCalendar
    let clock: @Sendable () -> Date
    let products: @Sendable () async throws -> [Product]
    let services: @Sendable () async throws -> [Service]

    private var store: any KnowledgeBaseStore { knowledgeBase.store }

    func addRoutes(to routes: SiteRoutes) {
        let anyone = routes.api(.anyone)
        let staff = routes.api(.staffKey)
        anyone.get("kb/articles") { request, context in
            let query: ArticleQuery
            do {
                query = try ArticleQueryParameters.strict(request)
            } catch let refusal as ArticleQueryParameters.Refusal {
                throw APIError.badParameter(refusal.parameter, refusal.message)
            }
            let results = try await store.search(query, for: KnowledgeBaseReader(context.identity))
            return ArticleJSON.Results(results, query: query, timeZone: calendar.timeZone,
                                       visible: context.audience.visibleSlugs(try await products()))
        }
        anyone.get("kb/articles/:number") { _, context in
            let number = try Self.number(context)
            guard let article = try await store.article(number, for: KnowledgeBaseReader(context.identity)) else { throw APIError.notFound("article") }
            return try await view(article, visible: context.audience.visibleSlugs(try await products()))
        }
        staff.post("kb/articles") { request, _ in
            let body = try await APIv1JSON.decode(ArticleJSON.Write.self, from: request)
            let draft = try await draft(from: body, current: nil)
            let state = try body.state.map(Self.state) ?? .draft
            let created = try await store.createArticle(draft, state: state, authorID: nil, at: clock())
            return EditedResponse(status: .created, headers: [.location: "/api/v1/kb/articles/\(created.number)"], response: try await view(created))
        }
        staff.put("kb/articles/:number") { request, context in
            let number = try Self.number(context)
            guard let current = try await store.article(number, for: .staff) else { throw APIError.notFound("article") }
            let body = try await APIv1JSON.decode(ArticleJSON.Write.self, from: request)
            let draft = try await draft(from: body, current: current.content)
            guard let updated = try await store.updateArticle(number, draft, authorID: nil, at: clock()) else { throw APIError.notFound("article") }
            return try await view(updated)
        }
        staff.post("kb/articles/:number/state") { request, context in
            let number = try Self.number(context)
            let body = try await APIv1JSON.decode(ArticleJSON.StateChange.self, from: request)
            guard let text = body.state else { throw APIError.missing("state") }
            let state = try Self.state(text)
            guard try await store.setState(number, state, at: clock()), let article = try await store.article(number, for: .staff) else {
                throw APIError.notFound("article")
            }
            return try await view(article)
        }
    }

    private static func number(_ context: StatusRequestContext) throws -> ArticleNumber {
        guard let number = ArticleNumber(try context.parameters.require("number")) else { throw APIError.notFound("article") }
        return number
    }

    private static func state(_ text: String) throws -> ArticleState {
        guard let state = ArticleState(rawValue: text) else { throw APIError.invalid("state", "The field state must be draft, published or retired.") }
        return state
    }

    /// The article as JSON; its products are those the caller may see (`nil`: a staff key's write, every one).
    private func view(_ article: Article, visible: Set<String>? = nil) async throws -> ArticleJSON.Full {
        let attachments = try await store.attachments(of: article.number)
        var json = ArticleJSON.Full(article, html: ArticleMarkdown(number: article.number, attachments: attachments).render(article.content.body),
                                    attachments: attachments, timeZone: calendar.timeZone)
        if let visible { json.products = json.products.filter(visible.contains) }
        return json
    }

    /// The draft a write asks for: on PUT, the fields left out keep their values.
    private func draft(from body: ArticleJSON.Write, current: ArticleDraft?) async throws -> ArticleDraft {
        guard let title = (body.title ?? current?.title)?.trimmingCharacters(in: .whitespacesAndNewlines), !title.isEmpty else {
            throw APIError.missing("title")
        }
        guard title.count <= ArticleForm.maxTitleLength else {
            throw APIError(.unprocessableContent, "too_long", "The field title is longer than \(ArticleForm.maxTitleLength) characters.", field: "title")
        }
        let text = body.body ?? current?.body ?? ""
        guard text.count <= ArticleForm.maxBodyLength else {
            throw APIError(.unprocessableContent, "too_long", "The field body is longer than \(ArticleForm.maxBodyLength) characters.", field: "body")
        }
        guard let category = body.category ?? current?.category else { throw APIError.missing("category") }
        guard knowledgeBase.categories.contains(category) else {
            throw APIError.invalid("category", "The field category must be one of: \(knowledgeBase.categories.joined(separator: ", ")).")
        }
        guard let languageText = body.language ?? current?.language.rawValue else { throw APIError.missing("language") }
        guard let language = ArticleLanguage(rawValue: languageText) else { throw APIError.invalid("language", "The field language must be fr or en.") }
        let known = Set(try await products().map(\.slug))
        let slugs = body.products ?? current?.productIDs ?? []
        if let unknown = slugs.first(where: { !known.contains($0) }) {
            throw APIError(.unprocessableContent, "unknown_product", "No product has the slug \"\(unknown)\".", field: "products")
        }
        var translation = current?.translation
        if let text = body.translation {
            guard let number = ArticleNumber(text) else { throw APIError.invalid("translation", "The field translation must be an article number such as KB0000123.") }
            translation = number
        }
        var picks = current?.relatedPicks ?? []
        if let related = body.related {
            picks = try related.map { text in
                guard let number = ArticleNumber(text) else { throw APIError.invalid("related", "Every related article is a number such as KB0000123.") }
                return number
            }
        }
        var visibility = current?.visibility ?? .everyone
        if let text = body.visibility {
            switch text {
            case "everyone": visibility = .everyone
            case "customers": visibility = .customers
            case "service":
                guard let id = body.serviceId else { throw APIError.missing("service_id") }
                guard try await services().contains(where: { $0.id == id }) else { throw APIError.invalid("service_id", "No service has this id.") }
                visibility = .service(id: id)
            default: throw APIError.invalid("visibility", "The field visibility must be everyone, customers or service.")
            }
        }
        return ArticleDraft(title: title, body: text, category: category, productIDs: slugs, language: language, translation: translation,
                            visibility: visibility, relatedPicks: picks)
    }
}

/// The JSON shapes of `/api/v1/kb/articles`.
enum ArticleJSON {
    struct Run: Encodable {
        let text: String
        let match: Bool
    }

    struct Summary: Encodable {
        let number: String
        let title: String
        let category: String
        let products: [String]
        let language: String
        let updatedAt: String
        let views: Int
        let rating: Rating

        init(_ summary: ArticleSummary, timeZone: TimeZone, visible: Set<String>) {
            number = summary.number.description
            title = summary.title
            category = summary.category
            products = summary.productIDs.filter(visible.contains)
            language = summary.language.rawValue
            updatedAt = APIv1JSON.format(summary.updatedAt, in: timeZone)
            views = summary.views
            rating = Rating(summary.rating)
        }
    }

    struct Rating: Encodable {
        let average: Double
        let count: Int
        init(_ rating: ArticleRating) {
            average = (rating.average * 100).rounded() / 100
            count = rating.count
        }
    }

    struct Hit: Encodable {
        struct AttachmentMatch: Encodable {
            let fileName: String
            let excerpt: [Run]
        }
        let article: Summary
        let title: [Run]
        let snippet: [Run]
        let attachment: AttachmentMatch?
    }

    struct Facet: Encodable {
        let value: String
        let count: Int
    }

    struct Results: ResponseEncodable {
        struct Facets: Encodable {
            let language: [Facet]
            let category: [Facet]
            let product: [Facet]
        }
        struct Pagination: Encodable {
            let page: Int
            let pageCount: Int
            let perPage: Int
            let total: Int
        }
        let query: String
        let sort: String
        let results: [Hit]
        let facets: Facets
        let pagination: Pagination

        /// `visible`: the product slugs the caller may see; a private product's slug never reaches another tenant.
        init(_ results: ArticleResults, query: ArticleQuery, timeZone: TimeZone, visible: Set<String>) {
            func runs(_ excerpt: Excerpt) -> [Run] { excerpt.runs.map { Run(text: $0.text, match: $0.isMatch) } }
            self.query = query.text
            sort = query.sort.rawValue
            self.results = results.hits.map { hit in
                Hit(article: Summary(hit.article, timeZone: timeZone, visible: visible), title: runs(hit.title), snippet: runs(hit.snippet),
                    attachment: hit.attachment.map { .init(fileName: $0.fileName, excerpt: runs($0.excerpt)) })
            }
            facets = Facets(language: results.facets.languages.map { Facet(value: $0.value.rawValue, count: $0.count) },
                            category: results.facets.categories.map { Facet(value: $0.value, count: $0.count) },
                            product: results.facets.products.filter { visible.contains($0.value) }.map { Facet(value: $0.value, count: $0.count) })
            pagination = Pagination(page: results.page, pageCount: results.pageCount, perPage: query.pageSize, total: results.total)
        }
    }

    struct Full: ResponseEncodable {
        struct Attachment: Encodable {
            let id: String
            let fileName: String
            let size: Int64
            let contentType: String
            let url: String
        }
        let number: String
        let title: String
        let state: String
        let version: Int
        let category: String
        var products: [String]
        let language: String
        let translation: String?
        let visibility: String
        let serviceId: Int64?
        let related: [String]
        let createdAt: String
        let updatedAt: String
        let views: Int
        let rating: Rating
        let bodyMarkdown: String
        let bodyHtml: String
        let attachments: [Attachment]
        let url: String

        init(_ article: Article, html: SafeHTML, attachments: [ArticleAttachment], timeZone: TimeZone) {
            number = article.number.description
            title = article.content.title
            state = article.state.rawValue
            version = article.version
            category = article.content.category
            products = article.content.productIDs
            language = article.content.language.rawValue
            translation = article.content.translation?.description
            switch article.content.visibility {
            case .everyone: visibility = "everyone"; serviceId = nil
            case .customers: visibility = "customers"; serviceId = nil
            case .service(let id): visibility = "service"; serviceId = id
            }
            related = article.content.relatedPicks.map(\.description)
            createdAt = APIv1JSON.format(article.createdAt, in: timeZone)
            updatedAt = APIv1JSON.format(article.updatedAt, in: timeZone)
            views = article.views
            rating = Rating(article.rating)
            bodyMarkdown = article.content.body
            bodyHtml = html.html
            self.attachments = attachments.map {
                Attachment(id: String($0.id), fileName: $0.fileName, size: $0.blob.size, contentType: $0.blob.contentType,
                           url: "/kb/\(article.number)/attachments/\($0.id)")
            }
            url = "/kb/\(article.number)"
        }
    }

    /// A write's body: every field optional, so PUT changes only what it names.
    struct Write: Decodable {
        var title: String?
        var body: String?
        var category: String?
        var products: [String]?
        var language: String?
        var translation: String?
        var visibility: String?
        var serviceId: Int64?
        var related: [String]?
        var state: String?
    }

    struct StateChange: Decodable {
        var state: String?
    }
}
