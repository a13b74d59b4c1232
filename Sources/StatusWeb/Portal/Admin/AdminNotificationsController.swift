import Foundation
import HTTPTypes
import Hummingbird
import Portal

/// "Notifications": which of the tenant's administrators get a mail for each new request that
/// waits for a decision (none by default). Ticking someone who is not an administrator of this
/// tenant is a 404 and changes nothing.
struct AdminNotificationsController: Sendable {
    let services: ServiceCatalog
    let accounts: AccountService
    let admin: AdminPages

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.tenantAdmin)
        router.get("/admin/notifications") { request, context in
            try await settingsPage(request, caller: try context.requireTenant())
        }
        router.post("/admin/notifications") { request, context in
            let caller = try context.requireTenant()
            let fields = try await Forms.read(AdminForm.self, from: request, context: context)
            let chosen = try AdminForm.ids(fields.requestMail)
            try await ServiceAnswers.run { try await services.setRequestMailRecipients(chosen, by: caller.user, tenantID: caller.tenantID) }
            return try await settingsPage(request, caller: caller, notice: admin.text("admin_notifications_saved", request))
        }
    }

    struct Administrator {
        let id: String
        let name: String
        let email: String
        let checked: Bool
        let isSelf: Bool
    }

    struct SettingsContent {
        let administrators: [Administrator]
    }

    private func settingsPage(_ request: Request, caller: TenantCaller, notice: String? = nil) async throws -> Response {
        let recipients = try await ServiceAnswers.run { try await services.requestMailRecipients(tenantID: caller.tenantID, by: caller.user) }
        let administrators = try await accounts.members(tenantID: caller.tenantID).filter { $0.role == .admin }.map { member in
            Administrator(id: String(member.user.id), name: member.user.displayName, email: member.user.email,
                          checked: recipients.contains(member.user.id), isSelf: member.user.id == caller.user.id)
        }
        return try admin.render(request, admin: caller, section: .notifications, titleKey: "admin_notifications_title",
                                template: "admin_notifications", content: SettingsContent(administrators: administrators), notice: notice)
    }
}
