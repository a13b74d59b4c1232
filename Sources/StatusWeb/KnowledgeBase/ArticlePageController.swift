import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// `/kb/KB0000001`: an article as its reader may see it (404 otherwise, so nobody learns it
/// exists), its attachments' downloads, and the signed-in readers' ratings.
struct ArticlePageController: Sendable {
    let knowledgeBase: KnowledgeBaseSite
    /// Downloads of attachments; nil serves none.
    let attachments: AttachmentServices?
    let pages: Pages
    let calendar: DayCalendar
    let clock: @Sendable () -> Date
    let products: @Sendable () async throws -> [Product]

    /// The anonymous visitor's random key, so a view is counted once a day per visitor.
    static let visitorCookie = "kbv"
    private var store: any KnowledgeBaseStore { knowledgeBase.store }

    func addRoutes(to routes: SiteRoutes) {
        let anyone = routes.pages(.anyone)
        anyone.get("/kb/:number") { request, context in
            let written = try context.parameters.require("number")
            guard let number = ArticleNumber(written) else { throw HTTPError(.notFound) }
            // kb1, KB1 and kb0000001 are the same article: one address for it.
            guard written == number.description else { return Self.permanentRedirect(to: "/kb/\(number)" + Self.query(of: request)) }
            return try await articlePage(request, context: context, number: number)
        }
        anyone.get("/kb/:number/attachments/:id") { request, context in
            guard let attachments, let number = ArticleNumber(try context.parameters.require("number")),
                  let id = Int64(try context.parameters.require("id")),
                  let attachment = try await store.attachment(id: id, of: number, for: KnowledgeBaseReader(context.identity)) else {
                throw HTTPError(.notFound)
            }
            return try await attachments.downloads.response(blob: attachment.blob, fileName: attachment.fileName, request: request, context: context)
        }
        routes.pages(.signedIn).post("/kb/:number/rating") { request, context in
            let signedIn = try context.requireUser()
            let form = try await Forms.read(RatingForm.self, from: request, context: context)
            guard let number = ArticleNumber(try context.parameters.require("number")),
                  try await store.article(number, for: KnowledgeBaseReader(context.identity)) != nil else { throw HTTPError(.notFound) }
            guard let stars = form.stars.flatMap({ Int($0) }), (1...5).contains(stars) else {
                return try await articlePage(request, context: context, number: number, ratingError: "kb_rating_invalid", status: .unprocessableContent)
            }
            try await store.rate(number, userID: signedIn.user.id, stars: stars, at: clock())
            return Forms.redirect(to: "/kb/\(number)?rated=1#rating")
        }
    }

    struct RatingForm: CSRFProtectedForm {
        var csrf: String?
        var stars: String?
    }

    private func articlePage(_ request: Request, context: StatusRequestContext, number: ArticleNumber,
                             ratingError: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let reader = KnowledgeBaseReader(context.identity)
        guard var article = try await store.article(number, for: reader) else { throw HTTPError(.notFound) }
        var cookies: [Cookie] = []
        if request.method == .get {
            let viewer: String
            if let user = context.identity?.user {
                viewer = "user:\(user.user.id)"
            } else if let visitor = request.cookies[Self.visitorCookie]?.value, visitor.count >= 32, visitor.count <= 64 {
                viewer = "visitor:\(Secrets.hash(visitor))"
            } else {
                let visitor = Secrets.token()
                cookies.append(Forms.cookie(Self.visitorCookie, visitor, secure: pages.secureCookies, maxAge: 365 * 86_400))
                viewer = "visitor:\(Secrets.hash(visitor))"
            }
            if try await store.recordView(number, viewer: viewer, day: calendar.day(containing: clock()).description) { article.views += 1 }
        }
        async let attachments = store.attachments(of: number)
        async let related = store.related(to: number, for: reader, limit: 5)
        async let citing = store.citing(number, for: reader)
        let translation: Article? = try await article.content.translation.asyncMap { try await store.article($0, for: reader) } ?? nil
        let signedIn = context.identity?.user
        let myStars = try await signedIn.asyncMap { try await store.stars(number, userID: $0.user.id) } ?? nil
        let presenter = ArticlePresenter(language: pages.language(of: request), catalog: pages.catalog, calendar: calendar,
                                         products: context.audience.visible(try await products()))
        let view = ArticlePageView(article: article, attachments: try await attachments, related: try await related,
                                   citing: try await citing, translation: translation, presenter: presenter,
                                   page: PageChrome(language: presenter.language, catalog: pages.catalog, title: article.content.title),
                                   rating: .init(signedIn: signedIn != nil, csrf: signedIn?.csrfToken ?? "", mine: myStars,
                                                 error: ratingError.map(presenter.text), justRated: request.uri.queryParameters.get("rated") != nil,
                                                 presenter: presenter),
                                   isStaff: reader.isStaff)
        return try pages.render(view, template: "kb_article", request: request, status: status, cookies: cookies)
    }

    static func permanentRedirect(to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .movedPermanently, headers: headers)
    }

    /// `?lang=en` kept across the redirect to the canonical address.
    static func query(of request: Request) -> String {
        guard let language = request.uri.queryParameters.get("lang"), Language(rawValue: language.lowercased()) != nil else { return "" }
        return "?lang=\(language.lowercased())"
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
