import Foundation
import HTTPTypes
import Hummingbird
import Portal

/// "Tableau de bord" (`/admin`): the tenant's counts, each card leading to its list.
struct AdminDashboardController: Sendable {
    let accounts: AccountService
    /// Services and new requests are counted when the catalog is served.
    let serviceCatalog: ServiceCatalog?
    let admin: AdminPages

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.tenantAdmin)
        router.get("/admin") { request, context in
            let caller = try context.requireTenant()
            let members = try await accounts.members(tenantID: caller.tenantID)
            let counts = try await serviceCatalog?.counts(tenantID: caller.tenantID)
            var cards = [Card(id: "users", label: admin.text("admin_card_users", request), count: members.count, href: "/admin/users")]
            if let counts {
                cards.append(Card(id: "services", label: admin.text("admin_card_services", request), count: counts.services, href: "/admin/services"))
                cards.append(Card(id: "new-requests", label: admin.text("admin_card_new_requests", request), count: counts.pendingRequests,
                                  href: "/admin/requests"))
            }
            cards.append(Card(id: "admins", label: admin.text("admin_card_admins", request), count: members.filter { $0.role == .admin }.count,
                              href: "/admin/users?role=admin"))
            cards.append(Card(id: "pending", label: admin.text("admin_card_pending", request), count: members.filter { $0.user.state == .pending }.count,
                              href: "/admin/users?state=pending"))
            return try admin.render(request, admin: caller, section: .dashboard, titleKey: "admin_dashboard_title", template: "admin_dashboard",
                                    content: Dashboard(cards: cards))
        }
    }

    struct Card {
        let id: String
        let label: String
        let count: String
        let href: String

        init(id: String, label: String, count: Int, href: String) {
            self.id = id
            self.label = label
            self.count = String(count)
            self.href = href
        }
    }

    struct Dashboard {
        let cards: [Card]
    }
}
