import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The profile's "Activités" tab (`/account/activity`): the signed-in user's own trail, newest
/// first, a page at a time ("Plus ancien"). Only the user's own entries are ever read.
struct AccountActivityController: Sendable {
    let activity: ActivityLog
    let pages: Pages
    let calendar: DayCalendar
    /// Entries per page.
    static let pageSize = 20

    func addRoutes(to routes: SiteRoutes) {
        routes.pages(.signedIn).get("/account/activity") { request, context in
            let signedIn = try context.requireUser()
            let before = try Self.before(request)
            // One more than shown: whether there is an older page.
            let entries = try await activity.activity(userID: signedIn.user.id, limit: Self.pageSize + 1, before: before)
            let shown = Array(entries.prefix(Self.pageSize))
            let language = pages.language(of: request)
            let dates = DayFormatter(language: language, calendar: calendar)
            var view = AccountActivityView(page: pages.chrome(request, titleKey: "activity_title"), csrf: signedIn.csrfToken)
            view.entries = shown.map { entry in
                let words = ActivityWords(catalog: pages.catalog, language: language)
                return .init(text: words.sentence(entry), detail: words.detail(entry), link: Self.localPath(entry.link),
                             at: dates.instant(entry.at), datetime: ISO8601DateFormatter().string(from: entry.at))
            }
            view.hasEntries = !shown.isEmpty
            view.paged = before != nil
            if entries.count > Self.pageSize, let last = shown.last {
                view.olderHref = "/account/activity?before=\(last.at.timeIntervalSince1970)"
            }
            return try pages.render(view, template: "account_activity", request: request)
        }
    }

    /// `?before=`, a time in seconds since 1970; a value that is not one is a 400, not a trap.
    static func before(_ request: Request) throws -> Date? {
        guard let text = request.uri.queryParameters.get("before") else { return nil }
        guard let seconds = Double(text), seconds.isFinite, (0...4_102_444_800).contains(seconds) else { throw HTTPError(.badRequest) }
        return Date(timeIntervalSince1970: seconds)
    }

    /// A link of this site only: a path, never another site's address.
    static func localPath(_ link: String?) -> String? {
        guard let link, link.hasPrefix("/"), !link.hasPrefix("//"), !link.contains("\\") else { return nil }
        return link
    }
}

/// A trail entry in words, in the reader's language: "Accès au service Cegid Stream refusé".
struct ActivityWords {
    let catalog: MessageCatalog
    let language: Language

    func sentence(_ entry: ActivityEntry) -> String {
        switch entry.kind {
        case .signedIn:
            return entry.detail.isEmpty ? catalog.text("activity_signedIn", language) : catalog.text("activity_signedIn_with", language, entry.detail)
        case .passwordChanged, .passwordReset, .profileChanged:
            return catalog.text("activity_\(entry.kind.rawValue)", language)
        default:
            return catalog.text("activity_\(entry.kind.rawValue)", language, entry.subject)
        }
    }

    /// The line under the sentence: a refusal's reason, a ticket's subject; nil when there is none.
    func detail(_ entry: ActivityEntry) -> String? {
        guard entry.kind != .signedIn, !entry.detail.isEmpty else { return nil }
        return entry.kind == .serviceRefused ? catalog.text("activity_reason", language, entry.detail) : entry.detail
    }
}

/// What `account_activity.mustache` shows.
struct AccountActivityView {
    let page: PageChrome
    let csrf: String
    let accountTab = AccountTab.activity
    var entries: [Entry] = []
    var hasEntries = false
    /// An older page: it offers the way back to the newest entries.
    var paged = false
    var olderHref: String?

    struct Entry {
        let text: String
        let detail: String?
        let link: String?
        let at: String
        let datetime: String
    }
}
