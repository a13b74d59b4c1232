import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The bell's pages: `/notifications` (newest first, the unread ones marked, "Marquer comme lu"
/// and "Tout marquer comme lu"), opening one (marks it read, then goes to its link), and the
/// choice per kind of how the user hears of it. Only the signed-in user's own notifications
/// are ever read or changed: another's id is a 404 and changes nothing.
struct NotificationsController: Sendable {
    let notifier: Notifier
    let pages: Pages
    let calendar: DayCalendar
    /// The notices a redirect may ask for.
    static let notices: Set<String> = ["read", "all_read", "preferences_saved"]

    func addRoutes(to routes: SiteRoutes) {
        let users = routes.pages(.signedIn)
        users.get("/notifications") { request, context in
            try await page(request, context: context)
        }
        users.post("/notifications/read-all") { request, context in
            let signedIn = try context.requireUser()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            try await notifier.markAllRead(userID: signedIn.user.id)
            return Forms.redirect(to: "/notifications?notice=all_read")
        }
        users.post("/notifications/preferences") { request, context in
            let signedIn = try context.requireUser()
            let form = try await Forms.read(NotificationPreferencesForm.self, from: request, context: context)
            var chosen: [(PortalNotification.Kind, NotificationDelivery)] = []
            for kind in PortalNotification.Kind.allCases {
                guard let text = form.value(for: kind) else { continue }
                // Only the three choices the form offers: anything else is a request no page sends.
                guard let delivery = NotificationDelivery(rawValue: text) else { throw HTTPError(.badRequest) }
                chosen.append((kind, delivery))
            }
            for (kind, delivery) in chosen { try await notifier.setDelivery(delivery, for: kind, userID: signedIn.user.id) }
            return Forms.redirect(to: "/notifications?notice=preferences_saved#preferences")
        }
        users.post("/notifications/:id/read") { request, context in
            let signedIn = try context.requireUser()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            let id = try Self.id(context)
            guard try await notifier.markRead(id: id, userID: signedIn.user.id) else { throw HTTPError(.notFound) }
            return Forms.redirect(to: "/notifications?notice=read")
        }
        // A POST, not a link: it changes something (the notification is read), and no GET does.
        users.post("/notifications/:id/open") { request, context in
            let signedIn = try context.requireUser()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            let id = try Self.id(context)
            guard let notification = try await notifier.notification(id: id, userID: signedIn.user.id),
                  try await notifier.markRead(id: id, userID: signedIn.user.id) else { throw HTTPError(.notFound) }
            return Forms.redirect(to: AccountActivityController.localPath(notification.link) ?? "/notifications")
        }
    }

    static func id(_ context: StatusRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")), id > 0 else { throw HTTPError(.notFound) }
        return id
    }

    private func page(_ request: Request, context: StatusRequestContext) async throws -> Response {
        let signedIn = try context.requireUser()
        let language = pages.language(of: request)
        let dates = DayFormatter(language: language, calendar: calendar)
        let list = try await notifier.notifications(userID: signedIn.user.id, limit: 50)
        let unread = try await notifier.unreadCount(userID: signedIn.user.id)
        var view = NotificationsView(page: pages.chrome(request, titleKey: "notifications_title"), csrf: signedIn.csrfToken)
        let asked = request.uri.queryParameters.get("notice").map { String($0) } ?? ""
        view.notice = Self.notices.contains(asked) ? pages.catalog.text("notifications_notice_\(asked)", language) : nil
        view.unreadText = unread == 0 ? pages.catalog.text("notifications_none_unread", language)
            : pages.catalog.text(unread == 1 ? "notifications_unread_one" : "notifications_unread_many", language, unread)
        view.hasUnread = unread > 0
        view.items = list.map { notification in
            .init(id: String(notification.id), title: notification.title, body: notification.body.isEmpty ? nil : notification.body,
                  hasLink: AccountActivityController.localPath(notification.link) != nil, unread: !notification.isRead,
                  kind: pages.catalog.text("notifications_kind_\(notification.kind.rawValue)", language),
                  at: dates.instant(notification.createdAt), datetime: ISO8601DateFormatter().string(from: notification.createdAt))
        }
        view.hasItems = !list.isEmpty
        let deliveries = try await notifier.deliveries(userID: signedIn.user.id)
        view.preferences = PortalNotification.Kind.allCases.map { kind in
            let chosen = deliveries[kind] ?? kind.defaultDelivery
            return .init(kind: kind.rawValue, label: pages.catalog.text("notifications_kind_\(kind.rawValue)", language),
                         choices: NotificationDelivery.allCases.map {
                             .init(value: $0.rawValue, label: pages.catalog.text("notifications_delivery_\($0.rawValue)", language),
                                   checked: $0 == chosen)
                         })
        }
        return try pages.render(view, template: "notifications", request: request)
    }
}

/// The preferences form: one choice per kind, named after the kind.
struct NotificationPreferencesForm: CSRFProtectedForm {
    var csrf: String?
    var serviceDecision: String?
    var statusEvent: String?
    var ticketUpdate: String?

    func value(for kind: PortalNotification.Kind) -> String? {
        switch kind {
        case .serviceDecision: serviceDecision
        case .statusEvent: statusEvent
        case .ticketUpdate: ticketUpdate
        }
    }
}

/// What `notifications.mustache` shows.
struct NotificationsView {
    let page: PageChrome
    let csrf: String
    var notice: String?
    var unreadText = ""
    var hasUnread = false
    var items: [Item] = []
    var hasItems = false
    var preferences: [Preference] = []

    struct Item {
        let id: String
        let title: String
        let body: String?
        let hasLink: Bool
        let unread: Bool
        let kind: String
        let at: String
        let datetime: String
    }

    struct Preference {
        let kind: String
        let label: String
        let choices: [Choice]
    }

    struct Choice {
        let value: String
        let label: String
        let checked: Bool
    }
}
