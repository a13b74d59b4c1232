import Foundation
import HTTPTypes
import Hummingbird
import Portal

/// One entry of the administration's side menu ("Gestion des comptes").
enum AdminSection: Sendable {
    case dashboard, users, invite, groups, services, requests, keys, notifications, projects
}

/// The side menu's state for `admin_nav.mustache`: which entry is the current page, and
/// whether the catalog's entries are served at all.
struct AdminNav {
    let dashboard: Bool, users: Bool, invite: Bool, groups: Bool, services: Bool, requests: Bool
    let keys: Bool, notifications: Bool, projects: Bool
    let servesServices: Bool

    init(_ current: AdminSection, servesServices: Bool) {
        dashboard = current == .dashboard
        users = current == .users
        invite = current == .invite
        groups = current == .groups
        services = current == .services
        requests = current == .requests
        keys = current == .keys
        notifications = current == .notifications
        projects = current == .projects
        self.servesServices = servesServices
    }
}

/// What every administration page shows around its own part (`content`): the menu, the
/// tenant's name, and the notice or refusal of what was just done.
struct AdminView<Content> {
    let page: PageChrome
    let csrf: String
    let nav: AdminNav
    let tenant: String
    let notice: String?
    let refused: String?
    let content: Content
}

/// The question a destructive action asks before it is done, as a page of its own when the
/// browser runs no script (with a script, `confirm()` asks the same and the form says so).
struct AdminConfirmation {
    let question: String
    let action: String
    let button: String
    let back: String
    /// Other fields the form carries on (name → value).
    var fields: [Field] = []

    struct Field {
        let name: String
        let value: String
    }
}

/// The administration's page plumbing: each controller renders through it.
struct AdminPages: Sendable {
    let pages: Pages
    let servesServices: Bool

    func language(_ request: Request) -> Language { pages.language(of: request) }
    func text(_ key: String, _ request: Request) -> String { pages.text(key, request) }
    func text(_ key: String, _ request: Request, _ arguments: any CVarArg...) -> String {
        String(format: pages.text(key, request), locale: language(request).locale, arguments: arguments)
    }

    func render<Content>(_ request: Request, admin: TenantCaller, section: AdminSection, titleKey: String, template: String,
                         content: Content, notice: String? = nil, refused: String? = nil,
                         status: HTTPResponse.Status = .ok) throws -> Response {
        let view = AdminView(page: pages.chrome(request, titleKey: titleKey), csrf: admin.session.csrfToken,
                             nav: AdminNav(section, servesServices: servesServices),
                             tenant: "\(admin.tenant.name) (\(admin.tenant.code))",
                             notice: notice.flatMap { $0.isEmpty ? nil : $0 }, refused: refused.flatMap { $0.isEmpty ? nil : $0 },
                             content: content)
        return try pages.render(view, template: template, request: request, status: status)
    }

    /// The no-script confirmation page of a destructive action: nothing has changed yet.
    func confirm(_ request: Request, admin: TenantCaller, section: AdminSection, _ confirmation: AdminConfirmation) throws -> Response {
        try render(request, admin: admin, section: section, titleKey: "admin_confirm_title", template: "admin_confirm", content: confirmation)
    }
}

/// Every field the administration's forms send (each form fills its own).
struct AdminForm: CSRFProtectedForm {
    var csrf: String?
    /// "yes" once the administrator confirmed a destructive action (script or confirmation page).
    var confirmed: String?
    var emails: String?
    var language: String?
    var role: String?
    var groupName: String?
    var user: String?
    var action: String?
    var keyName: String?
    var reason: String?
    var service: String?
    var group: String?
    /// The users ticked in a grant form.
    var users: [String]?
    /// The administrators ticked on the notifications page.
    var requestMail: [String]?

    var isConfirmed: Bool { confirmed == "yes" }

    /// The ids of a multiple choice; one that is not a number is a 404 (no such object).
    static func ids(_ values: [String]?) throws -> [Int64] {
        try (values ?? []).map { value in
            guard let id = Int64(value) else { throw HTTPError(.notFound) }
            return id
        }
    }
}

extension TenantCaller {
    var tenantLabel: String { "\(tenant.name) (\(tenant.code))" }
}
