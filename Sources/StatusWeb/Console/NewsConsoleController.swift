import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The operators' news (`/staff/news`): write a piece of news for the customers' home page,
/// schedule it, change it, delete it (after a confirmation page).
struct NewsConsoleController: Sendable {
    let news: any NewsStore
    let pages: Pages
    let calendar: DayCalendar
    let clock: @Sendable () -> Date

    static let notices: Set<String> = ["news_saved", "news_deleted"]

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.operator)
        router.get("/staff/news") { request, context in
            let staff = try context.requireUser()
            return try await listPage(request, csrf: staff.csrfToken, values: ["languages": "both"])
        }
        router.post("/staff/news") { request, context in
            let staff = try context.requireUser()
            let form = try await Forms.read(NewsForm.self, from: request, context: context)
            switch draft(form).news(now: clock()) {
            case .failure(let errors):
                return try await listPage(request, csrf: staff.csrfToken, values: form.keptValues, errors: errors, status: .unprocessableContent)
            case .success(let piece):
                _ = try await news.create(piece)
                return Forms.redirect(to: "/staff/news?notice=news_saved")
            }
        }
        router.get("/staff/news/:id") { request, context in
            let staff = try context.requireUser()
            let piece = try await requireNews(context)
            return try editPage(request, csrf: staff.csrfToken, piece: piece, values: values(of: piece))
        }
        router.post("/staff/news/:id") { request, context in
            let staff = try context.requireUser()
            let existing = try await requireNews(context)
            let form = try await Forms.read(NewsForm.self, from: request, context: context)
            switch draft(form).news(existing: existing, now: clock()) {
            case .failure(let errors):
                return try editPage(request, csrf: staff.csrfToken, piece: existing, values: form.keptValues, errors: errors,
                                    status: .unprocessableContent)
            case .success(let piece):
                guard try await news.update(piece) else { throw HTTPError(.notFound) }
                return Forms.redirect(to: "/staff/news?notice=news_saved")
            }
        }
        // Deleting asks first, on a page of its own (no script needed); the POST deletes.
        router.get("/staff/news/:id/delete") { request, context in
            let staff = try context.requireUser()
            let piece = try await requireNews(context)
            var view = NewsConsoleView(page: pages.chrome(request, titleKey: "news_delete_title"), csrf: staff.csrfToken)
            view.piece = row(piece, language: pages.language(of: request), now: clock())
            return try pages.render(view, template: "console_news_delete", request: request)
        }
        router.post("/staff/news/:id/delete") { request, context in
            _ = try context.requireUser()
            let piece = try await requireNews(context)
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            _ = try await news.delete(id: piece.id)
            return Forms.redirect(to: "/staff/news?notice=news_deleted")
        }
    }

    private func requireNews(_ context: StatusRequestContext) async throws -> News {
        // An id is range-checked by its type: anything else is no news of ours.
        guard let id = Int64(try context.parameters.require("id")), let piece = try await news.news(id: id) else { throw HTTPError(.notFound) }
        return piece
    }

    private func draft(_ form: NewsForm) -> NewsDraft {
        let typed = form.publishedAt.orEmpty.trimmingCharacters(in: .whitespaces)
        let date = typed.isEmpty ? nil : localDateTime(typed)
        return NewsDraft(title: form.title.orEmpty, body: form.body.orEmpty, link: form.link.orEmpty, languages: form.languages.orEmpty,
                         publishedAt: date, unreadableDate: !typed.isEmpty && date == nil)
    }

    private func values(of piece: News) -> [String: String] {
        ["title": piece.title, "body": piece.body, "link": piece.link ?? "", "languages": piece.languages.rawValue,
         "publishedAt": localDateTimeValue(piece.publishedAt)]
    }

    private func listPage(_ request: Request, csrf: String, values: [String: String], errors: FormErrors = FormErrors(),
                          status: HTTPResponse.Status = .ok) async throws -> Response {
        var view = form(request, titleKey: "news_console_title", csrf: csrf, values: values, errors: errors)
        let language = pages.language(of: request)
        let now = clock()
        view.rows = try await news.all().map { row($0, language: language, now: now) }
        view.hasRows = !view.rows.isEmpty
        if let notice = request.uri.queryParameters.get("notice"), Self.notices.contains(notice) { view.notice = pages.text("notice_\(notice)", request) }
        return try pages.render(view, template: "console_news", request: request, status: status)
    }

    private func editPage(_ request: Request, csrf: String, piece: News, values: [String: String], errors: FormErrors = FormErrors(),
                          status: HTTPResponse.Status = .ok) throws -> Response {
        var view = form(request, titleKey: "news_edit_title", csrf: csrf, values: values, errors: errors)
        view.piece = row(piece, language: pages.language(of: request), now: clock())
        return try pages.render(view, template: "console_news_edit", request: request, status: status)
    }

    private func form(_ request: Request, titleKey: String, csrf: String, values: [String: String], errors: FormErrors) -> NewsConsoleView {
        var view = NewsConsoleView(page: pages.chrome(request, titleKey: titleKey), csrf: csrf)
        view.values = Pages.dropEmpty(values)
        view.errors = errors.fields.mapValues { pages.text($0, request) }
        view.hasErrors = !errors.isEmpty
        let chosen = values["languages"] ?? "both"
        view.languages = News.Languages.allCases.map { .init(value: $0.rawValue, label: pages.text("news_languages_\($0.rawValue)", request),
                                                             selected: $0.rawValue == chosen) }
        return view
    }

    private func row(_ piece: News, language: Language, now: Date) -> NewsConsoleView.Row {
        let format = DayFormatter(language: language, calendar: calendar)
        return
            .init(id: String(piece.id), title: piece.title, date: format.instant(piece.publishedAt), scheduled: !piece.isPublished(at: now),
              languages: pages.catalog.text("news_languages_\(piece.languages.rawValue)", language), link: piece.link)
    }

    /// A `datetime-local` field's value ("2026-12-01T09:00"), read in the deployment's time zone.
    private func localDateTime(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = text.count > 16 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm"
        return formatter.date(from: text)
    }

    private func localDateTimeValue(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }
}

/// Writing or changing a piece of news; `publishedAt` is `datetime-local` text, empty to publish now.
struct NewsForm: CSRFProtectedForm {
    var csrf: String?
    var title: String?
    var body: String?
    var link: String?
    var languages: String?
    var publishedAt: String?

    /// What was typed, shown again with the errors.
    var keptValues: [String: String] {
        ["title": title, "body": body, "link": link, "languages": languages, "publishedAt": publishedAt].compactMapValues { $0 }
    }
}

/// What the news console pages show.
struct NewsConsoleView {
    struct Row {
        let id: String
        let title: String
        let date: String
        /// Published later: not on the home page yet.
        let scheduled: Bool
        let languages: String
        let link: String?
    }

    struct Choice {
        let value: String
        let label: String
        let selected: Bool
    }

    let page: PageChrome
    let csrf: String
    var notice: String?
    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    var hasErrors = false
    var languages: [Choice] = []
    var rows: [Row] = []
    var hasRows = false
    /// The piece being changed or deleted.
    var piece: Row?
}
