import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// `/staff/kb`: agents and operators write the knowledge base. Every article is listed
/// (drafts and retired ones too); the form previews the Markdown through the same safe
/// renderer as the article page; every change is a POST with the session's CSRF token.
struct ArticleAuthoringController: Sendable {
    let knowledgeBase: KnowledgeBaseSite
    /// Uploads to articles; nil shows no upload form.
    let attachments: AttachmentServices?
    let pages: Pages
    let calendar: DayCalendar
    let clock: @Sendable () -> Date
    let products: @Sendable () async throws -> [Product]
    let services: @Sendable () async throws -> [Service]

    private var store: any KnowledgeBaseStore { knowledgeBase.store }

    func addRoutes(to routes: SiteRoutes) {
        let staff = routes.pages(.staff)
        staff.get("/staff/kb") { request, context in
            try await listPage(request, staff: try context.requireUser())
        }
        staff.get("/staff/kb/new") { request, context in
            let signedIn = try context.requireUser()
            return try await formPage(request, staff: signedIn, article: nil,
                                      values: ["language": pages.language(of: request).rawValue, "visibility": "everyone"], chosenProducts: [])
        }
        staff.post("/staff/kb") { request, context in
            let signedIn = try context.requireUser()
            let form = try await Forms.read(ArticleForm.self, from: request, context: context)
            // A preview shows the text as readers will see it, whatever the other fields hold yet.
            if form.action == "preview" {
                return try await formPage(request, staff: signedIn, article: nil, values: form.values, chosenProducts: form.chosenProducts,
                                          preview: form.body.orEmpty)
            }
            switch try await read(form) {
            case .failure(let errors):
                return try await formPage(request, staff: signedIn, article: nil, values: form.values, chosenProducts: form.chosenProducts,
                                          errors: errors, status: .unprocessableContent)
            case .success(let draft):
                let created = try await store.createArticle(draft, state: form.action == "publish" ? .published : .draft,
                                                            authorID: signedIn.user.id, at: clock())
                return Forms.redirect(to: "/staff/kb/\(created.number)?notice=created")
            }
        }
        staff.get("/staff/kb/:number") { request, context in
            let signedIn = try context.requireUser()
            let article = try await staffArticle(context)
            let shown = ArticleForm.values(of: article.content)
            let notice = request.uri.queryParameters.get("notice").flatMap { Self.notices.contains($0) ? "kb_notice_\($0)" : nil }
            return try await formPage(request, staff: signedIn, article: article, values: shown.values, chosenProducts: shown.products,
                                      notice: notice)
        }
        staff.post("/staff/kb/:number") { request, context in
            let signedIn = try context.requireUser()
            let form = try await Forms.read(ArticleForm.self, from: request, context: context)
            let article = try await staffArticle(context)
            if form.action == "preview" {
                return try await formPage(request, staff: signedIn, article: article, values: form.values, chosenProducts: form.chosenProducts,
                                          preview: form.body.orEmpty)
            }
            switch try await read(form) {
            case .failure(let errors):
                return try await formPage(request, staff: signedIn, article: article, values: form.values, chosenProducts: form.chosenProducts,
                                          errors: errors, status: .unprocessableContent)
            case .success(let draft):
                guard try await store.updateArticle(article.number, draft, authorID: signedIn.user.id, at: clock()) != nil else {
                    throw HTTPError(.notFound)
                }
                return Forms.redirect(to: "/staff/kb/\(article.number)?notice=saved")
            }
        }
        staff.post("/staff/kb/:number/state") { request, context in
            let form = try await Forms.read(StateForm.self, from: request, context: context)
            let article = try await staffArticle(context)
            guard let state = form.state.flatMap(ArticleState.init(rawValue:)) else { throw HTTPError(.badRequest, message: "Unknown state.") }
            guard try await store.setState(article.number, state, at: clock()) else { throw HTTPError(.notFound) }
            return Forms.redirect(to: "/staff/kb/\(article.number)?notice=\(state.rawValue)")
        }
        staff.post("/staff/kb/:number/attachments") { request, context in
            let signedIn = try context.requireUser()
            let article = try await staffArticle(context)
            guard let attachments else { throw HTTPError(.notFound) }
            let outcome = try await ArticleUpload(store: store, attachments: attachments, catalog: pages.catalog)
                .receive(request, context: context, number: article.number, language: pages.language(of: request), at: clock())
            switch outcome {
            case .stored:
                return Forms.redirect(to: "/staff/kb/\(article.number)?notice=attached")
            case .refused(let message):
                let shown = ArticleForm.values(of: article.content)
                return try await formPage(request, staff: signedIn, article: article, values: shown.values, chosenProducts: shown.products,
                                          uploadError: message, status: .unprocessableContent)
            }
        }
        staff.post("/staff/kb/:number/attachments/:id/remove") { request, context in
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            let article = try await staffArticle(context)
            guard let id = Int64(try context.parameters.require("id")), try await store.removeAttachment(id: id, from: article.number) else {
                throw HTTPError(.notFound)
            }
            return Forms.redirect(to: "/staff/kb/\(article.number)?notice=detached")
        }
        staff.get("/staff/kb/:number/versions/:version") { request, context in
            let signedIn = try context.requireUser()
            let article = try await staffArticle(context)
            guard let wanted = Int(try context.parameters.require("version")), (1...1_000_000).contains(wanted),
                  let version = try await store.version(article.number, wanted) else { throw HTTPError(.notFound) }
            return try await versionPage(request, staff: signedIn, article: article, version: version)
        }
        staff.post("/staff/kb/:number/versions/:version/restore") { request, context in
            let signedIn = try context.requireUser()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            let article = try await staffArticle(context)
            guard let wanted = Int(try context.parameters.require("version")), (1...1_000_000).contains(wanted),
                  try await store.restore(article.number, version: wanted, authorID: signedIn.user.id, at: clock()) != nil else {
                throw HTTPError(.notFound)
            }
            return Forms.redirect(to: "/staff/kb/\(article.number)?notice=restored")
        }
    }

    static let notices: Set<String> = ["created", "saved", "published", "retired", "draft", "attached", "detached", "restored"]

    struct StateForm: CSRFProtectedForm {
        var csrf: String?
        var state: String?
    }

    private func staffArticle(_ context: StatusRequestContext) async throws -> Article {
        guard let number = ArticleNumber(try context.parameters.require("number")),
              let article = try await store.article(number, for: .staff) else { throw HTTPError(.notFound) }
        return article
    }

    private func read(_ form: ArticleForm) async throws -> Result<ArticleDraft, FormErrors> {
        let slugs = Set(try await products().map(\.slug))
        let serviceIDs = Set(try await services().map(\.id))
        return form.draft(categories: knowledgeBase.categories, productSlugs: slugs, serviceIDs: serviceIDs)
    }

    private func presenter(_ request: Request) async throws -> ArticlePresenter {
        ArticlePresenter(language: pages.language(of: request), catalog: pages.catalog, calendar: calendar, products: try await products())
    }

    private func listPage(_ request: Request, staff: SignedInUser) async throws -> Response {
        let presenter = try await presenter(request)
        let parameters = request.uri.queryParameters
        let wantedState = parameters.get("state").flatMap(ArticleState.init(rawValue:))
        let text = String((parameters.get("q") ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
        let number = ArticleNumber(text)
        let shown = try await store.allArticles().filter { summary in
            guard wantedState == nil || summary.state == wantedState else { return false }
            guard !text.isEmpty else { return true }
            return summary.number == number || summary.title.localizedStandardContains(text)
        }
        var view = ArticleAuthoringView(page: pages.chrome(request, titleKey: "kb_staff_title"), csrf: staff.csrfToken)
        view.rows = shown.map { summary in
            ArticleAuthoringView.Row(number: summary.number.description, href: "/staff/kb/\(summary.number)", title: summary.title,
                                     category: summary.category, language: summary.language.rawValue, state: summary.state.rawValue,
                                     stateLabel: presenter.text("kb_state_\(summary.state.rawValue)"), updated: presenter.date(summary.updatedAt))
        }
        view.hasRows = !view.rows.isEmpty
        view.filterText = text
        view.stateFilters = [ArticleAuthoringView.Option(value: "", label: presenter.text("kb_staff_all_states"), selected: wantedState == nil)]
            + ArticleState.allCases.map { .init(value: $0.rawValue, label: presenter.text("kb_state_\($0.rawValue)"), selected: $0 == wantedState) }
        return try pages.render(view, template: "staff_kb", request: request)
    }

    private func formPage(_ request: Request, staff: SignedInUser, article: Article?, values: [String: String], chosenProducts: [String],
                          errors: FormErrors = FormErrors(), preview: String? = nil, uploadError: String? = nil, notice: String? = nil,
                          status: HTTPResponse.Status = .ok) async throws -> Response {
        let presenter = try await presenter(request)
        let titleKey = article == nil ? "kb_staff_new_title" : "kb_staff_edit_title"
        var view = ArticleAuthoringView(page: pages.chrome(request, titleKey: titleKey), csrf: staff.csrfToken)
        view.notice = notice.map(presenter.text)
        view.values = Pages.dropEmpty(values)
        view.errors = errors.fields.mapValues(presenter.text)
        view.hasErrors = !errors.isEmpty
        let files = try await article.asyncMap { try await store.attachments(of: $0.number) } ?? []
        if let preview { view.preview = ArticleMarkdown(number: article?.number, attachments: files).render(preview) }
        view.categories = knowledgeBase.categories.map { .init(value: $0, label: $0, selected: $0 == values["category"]) }
        view.languages = ArticleLanguage.allCases.map { .init(value: $0.rawValue, label: presenter.languageName($0), selected: $0.rawValue == values["language"]) }
        let visibility = values["visibility"].flatMap { $0.isEmpty ? nil : $0 } ?? "everyone"
        view.visibilities = ["everyone", "customers", "service"].map { .init(value: $0, label: presenter.text("kb_visibility_\($0)"), selected: $0 == visibility) }
        view.services = try await services().map { .init(value: String($0.id), label: $0.name, selected: String($0.id) == values["service"]) }
        view.hasServices = !view.services.isEmpty
        view.products = try await products().map { .init(value: $0.slug, label: $0.name, selected: chosenProducts.contains($0.slug)) }
        view.uploadError = uploadError
        // Only where the site takes uploads (a site without `attachments` shows no upload form).
        view.canUpload = attachments != nil
        if let article {
            view.number = article.number.description
            view.action = "/staff/kb/\(article.number)"
            view.publicHref = "/kb/\(article.number)"
            view.stateLabel = presenter.text("kb_state_\(article.state.rawValue)")
            view.versionLabel = presenter.text("kb_staff_version", article.version)
            view.stateButtons = ArticleState.allCases.filter { $0 != article.state }
                .map { .init(state: $0.rawValue, label: presenter.text("kb_staff_make_\($0.rawValue)")) }
            view.attachments = files.map {
                .init(id: String($0.id), name: $0.fileName, href: "/kb/\(article.number)/attachments/\($0.id)",
                      size: FileSize.text($0.blob.size, presenter.language), type: $0.blob.contentType)
            }
            view.hasAttachments = !files.isEmpty
            view.versions = try await store.versions(article.number).map {
                .init(label: presenter.text("kb_staff_version", $0.version), href: "/staff/kb/\(article.number)/versions/\($0.version)",
                      saved: presenter.date($0.savedAt))
            }
            view.hasVersions = !view.versions.isEmpty
        }
        return try pages.render(view, template: "staff_kb_edit", request: request, status: status)
    }

    private func versionPage(_ request: Request, staff: SignedInUser, article: Article, version: ArticleVersion) async throws -> Response {
        let presenter = try await presenter(request)
        struct VersionView {
            let page: PageChrome
            let csrf: String
            let number: String
            let title: String
            let versionLabel: String
            let saved: String
            let isLatest: Bool
            let latestHref: String
            let restoreAction: String
            let body: SafeHTML
        }
        let attachments = try await store.attachments(of: article.number)
        let view = VersionView(page: PageChrome(language: presenter.language, catalog: pages.catalog, title: version.content.title),
                               csrf: staff.csrfToken, number: article.number.description, title: version.content.title,
                               versionLabel: presenter.text(version.version == article.version ? "kb_latest_version" : "kb_staff_version", version.version),
                               saved: presenter.text("kb_staff_saved_on", presenter.date(version.savedAt)), isLatest: version.version == article.version,
                               latestHref: "/kb/\(article.number)", restoreAction: "/staff/kb/\(article.number)/versions/\(version.version)/restore",
                               body: ArticleMarkdown(number: article.number, attachments: attachments).render(version.content.body))
        return try pages.render(view, template: "staff_kb_version", request: request)
    }
}
