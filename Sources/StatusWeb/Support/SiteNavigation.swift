import Foundation
import Portal

/// The one menu of every page, as the vendor's portal has it: Besoin d'aide ?, Base de
/// connaissance, Météo des solutions SaaS, Suivi de vos demandes, Administration and the
/// console. Each entry shows once its feature is served and the reader may use it; the
/// section being read is marked (`aria-current`).
///
/// The menu depends on who reads, so the whole of it sits in the header's account slot: the
/// cached pages' shared copy holds the anonymous visitor's menu, and a signed-in reader's is
/// spliced in per request (`CachedPages.page`); no role's entry can reach the shared copy.
struct SiteNavigation {
    /// One link of the menu, in the reader's language.
    struct Entry {
        let id: String
        let href: String
        let label: String
        /// The page read is in this entry's section.
        let current: Bool
    }

    /// The tenant administration's first page: its dashboard ("Gestion des comptes").
    static let administrationHref = "/admin"

    /// The sections of the site, by the path a page is served at.
    enum Section: String {
        case help, knowledgeBase, weather, requests, administration, console, home, account, notifications, none

        init(path: String?) {
            guard let path else { self = .none; return }
            func under(_ prefix: String) -> Bool { path == prefix || path.hasPrefix(prefix + "/") }
            if path == "/" || under("/products") { self = .weather }
            else if under("/help") { self = .help }
            else if under("/kb") { self = .knowledgeBase }
            else if under("/requests") { self = .requests }
            else if under("/admin") { self = .administration }
            else if under("/staff") { self = .console }
            else if under("/home") { self = .home }
            else if under("/notifications") { self = .notifications }
            else if under("/account") || under("/services") || under("/password/change") { self = .account }
            else { self = .none }
        }
    }

    let entries: [Entry]
    let section: Section

    init(brand: SiteBrand, visitor: PageVisitor?, text: (String) -> String) {
        let section = Section(path: visitor?.path)
        self.section = section
        let user = visitor?.user
        let staffRole = user?.user.staffRole
        let customer = user?.tenant != nil
        var entries: [Entry] = []
        func add(_ id: String, _ href: String, _ key: String, _ of: Section) {
            entries.append(Entry(id: id, href: href, label: text(key), current: section == of))
        }
        // Asking for help is a customer's: a visitor is led to sign in first, staff answer instead.
        if brand.servesTickets, staffRole == nil, user == nil || customer { add("menu-help", "/help", "menu_help", .help) }
        if brand.servesKnowledgeBase { add("nav-kb", "/kb", "shell_nav_knowledge_base", .knowledgeBase) }
        add("nav-weather", "/", "shell_nav_weather", .weather)
        if brand.servesTickets, customer { add("menu-requests", "/requests", "shell_nav_requests", .requests) }
        if user?.role == .admin { add("menu-admin", Self.administrationHref, "menu_admin", .administration) }
        // The console opens where the staff member works: operators on incidents, agents on the queue (or the articles).
        switch staffRole {
        case .operator_: add("menu-console", "/staff/incidents", "menu_console", .console)
        case .agent where brand.servesTickets: add("menu-tickets", "/staff/tickets", "menu_console", .console)
        case .agent where brand.servesKnowledgeBase: add("menu-articles", "/staff/kb", "menu_console", .console)
        default: break
        }
        self.entries = entries
    }
}

/// The header's menu of a signed-in user: their name with the unread notifications' count,
/// their home page (customers), their profile, the notifications, "Changer de compte client"
/// for users of several tenants (a form per tenant), and sign-out (each a POST with the CSRF token).
struct AccountMenu {
    /// Another tenant of the user's, to switch to.
    struct OtherTenant {
        let id: String
        let name: String
    }

    let name: String
    /// A user of a customer account: their home page (`/home`).
    let customer: Bool
    /// Nil when nothing is unread: a "0" would still open the badge's section.
    let unread: String?
    /// "3 notifications non lues", for screen readers (the badge shows only the number).
    let unreadLabel: String
    let tenants: [OtherTenant]
    let hasTenants: Bool
    /// The current tenant's name, shown above the other ones.
    let currentTenant: String?
    let csrf: String
    let homeCurrent: Bool
    let accountCurrent: Bool
    let notificationsCurrent: Bool

    init(_ signedIn: SignedInUser, section: SiteNavigation.Section, text: (String) -> String) {
        let name = signedIn.user.displayName.trimmingCharacters(in: .whitespaces)
        self.name = name.isEmpty ? signedIn.user.email : name
        customer = signedIn.tenant != nil
        let count = max(0, signedIn.unreadNotifications)
        unread = count > 0 ? (count > 99 ? "99+" : String(count)) : nil
        unreadLabel = text(count == 1 ? "shell_unread_one" : "shell_unread_many").replacingOccurrences(of: "%d", with: String(count))
        let label = { (tenant: Tenant) in "\(tenant.name) (\(tenant.code))" }
        tenants = signedIn.memberships.count > 1
            ? signedIn.memberships.filter { $0.tenant.id != signedIn.tenant?.id }.map { OtherTenant(id: String($0.tenant.id), name: label($0.tenant)) }
            : []
        hasTenants = !tenants.isEmpty
        currentTenant = hasTenants ? signedIn.tenant.map(label) : nil
        csrf = signedIn.csrfToken
        homeCurrent = section == .home
        accountCurrent = section == .account
        notificationsCurrent = section == .notifications
    }
}
