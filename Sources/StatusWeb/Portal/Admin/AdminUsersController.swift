import Foundation
import HTTPTypes
import Hummingbird
import Portal

/// "Utilisateurs" and "+ Inviter des utilisateurs": the tenant's users, filtered, with their
/// actions (resend the invitation, change the role, remove, confirmed), and the invitation form.
/// Everything is read through the session's tenant, never the URL's.
struct AdminUsersController: Sendable {
    let accounts: AccountService
    let admin: AdminPages

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.tenantAdmin)
        router.get("/admin/users") { request, context in
            try await usersPage(request, caller: try context.requireTenant())
        }
        router.get("/admin/users/invite") { request, context in
            try inviteForm(request, caller: try context.requireTenant())
        }
        router.post("/admin/users/invite") { request, context in
            let caller = try context.requireTenant()
            let fields = try await Forms.read(AdminForm.self, from: request, context: context)
            let text = fields.emails.orEmpty
            do {
                let report = try await accounts.invite(text, tenantID: caller.tenantID, language: fields.language == "en" ? "en" : "fr",
                                                       invitedBy: Inviter(caller.user))
                let colon = admin.text("colon", request)
                let refused = report.refused.map { "\($0.email)\(colon) \(admin.text($0.reason, request))" }.joined(separator: " · ")
                // What happened to each kind of address, in one notice.
                var notice = [admin.text("invite_done", request, report.invited.count)]
                if !report.addedExisting.isEmpty { notice.append(admin.text("invite_added_existing", request, report.addedExisting.count)) }
                if !report.invitedAgain.isEmpty { notice.append(admin.text("invite_invited_again", request, report.invitedAgain.count)) }
                return try await usersPage(request, caller: caller, notice: notice.joined(separator: " "), refused: refused)
            } catch let errors as FormErrors {
                return try inviteForm(request, caller: caller, typed: text, errors: errors, status: .unprocessableContent)
            }
        }
        router.post("/admin/users/:id/:action") { request, context in
            let caller = try context.requireTenant()
            let fields = try await Forms.read(AdminForm.self, from: request, context: context)
            guard let userID = Int64(try context.parameters.require("id")),
                  let member = try await accounts.members(tenantID: caller.tenantID).first(where: { $0.user.id == userID }) else {
                // Another tenant's user, or nobody: the same answer, and nothing changed.
                throw HTTPError(.notFound)
            }
            do {
                switch try context.parameters.require("action") {
                case "resend":
                    let sent = try await accounts.resendActivation(userID: userID, tenantID: caller.tenantID)
                    return try await usersPage(request, caller: caller, notice: admin.text(sent ? "resend_done" : "resend_refused", request))
                case "remove":
                    guard fields.isConfirmed else {
                        return try admin.confirm(request, admin: caller, section: .users, AdminConfirmation(
                            question: admin.text("admin_remove_question", request, member.user.email),
                            action: "/admin/users/\(userID)/remove", button: admin.text("action_remove", request), back: "/admin/users"))
                    }
                    try await accounts.removeMember(userID: userID, tenantID: caller.tenantID)
                    return try await usersPage(request, caller: caller, notice: admin.text("remove_done", request))
                case "role":
                    let role: Membership.Role = fields.role == "admin" ? .admin : .member
                    try await accounts.setRole(userID: userID, tenantID: caller.tenantID, role: role)
                    return try await usersPage(request, caller: caller, notice: admin.text("role_done", request))
                default:
                    throw HTTPError(.notFound)
                }
            } catch is NotInTenant {
                throw HTTPError(.notFound)
            } catch is LastAdministrator {
                return try await usersPage(request, caller: caller, refused: admin.text("last_admin", request), status: .conflict)
            }
        }
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    /// A filter in force, with the list's address without it.
    struct Chip {
        let label: String
        let href: String
    }

    struct Row {
        let id: String, email: String, name: String, state: String, stateText: String, role: String
        let isAdmin: Bool, isPending: Bool
        let removeQuestion: String
    }

    struct UsersContent {
        let q: String
        let states: [Option]
        let roles: [Option]
        let sizes: [Option]
        let chips: [Chip]
        let filtered: Bool
        let count: String
        let matching: String
        let pageNumber: String
        let pages: String
        let previous: String?
        let next: String?
        let items: [Row]
        let hasItems: Bool
    }

    private func usersPage(_ request: Request, caller: TenantCaller, notice: String? = nil, refused: String? = nil,
                           status: HTTPResponse.Status = .ok) async throws -> Response {
        let members = try await accounts.members(tenantID: caller.tenantID)
        let query = try MemberQuery(request)
        let shown = query.apply(to: members)
        let colon = admin.text("colon", request)
        var chips: [Chip] = []
        if !query.search.isEmpty { chips.append(Chip(label: "\(admin.text("search", request))\(colon) \(query.search)", href: query.href(dropping: "q"))) }
        if let state = query.state {
            chips.append(Chip(label: "\(admin.text("column_state", request))\(colon) \(admin.text("admin_state_\(state.rawValue)", request))",
                              href: query.href(dropping: "state")))
        }
        if let role = query.role {
            chips.append(Chip(label: "\(admin.text("column_role", request))\(colon) \(admin.text("admin_role_\(role.rawValue)", request))",
                              href: query.href(dropping: "role")))
        }
        let pageCount = max(1, (shown.total + query.perPage - 1) / query.perPage)
        let rows = shown.page.map { member in
            Row(id: String(member.user.id), email: member.user.email, name: member.user.displayName, state: member.user.state.rawValue,
                stateText: admin.text("user_state_\(member.user.state.rawValue)", request), role: admin.text("role_\(member.role.rawValue)", request),
                isAdmin: member.role == .admin, isPending: member.user.state == .pending,
                removeQuestion: admin.text("admin_remove_question", request, member.user.email))
        }
        let content = UsersContent(
            q: query.search,
            states: [Option(value: "", label: admin.text("filter_all", request), selected: query.state == nil)]
                + User.State.allCases.map { Option(value: $0.rawValue, label: admin.text("admin_state_\($0.rawValue)", request), selected: query.state == $0) },
            roles: [Option(value: "", label: admin.text("filter_all", request), selected: query.role == nil)]
                + [Membership.Role.admin, .member].map { Option(value: $0.rawValue, label: admin.text("admin_role_\($0.rawValue)", request), selected: query.role == $0) },
            sizes: MemberQuery.pageSizes.map { Option(value: String($0), label: String($0), selected: query.perPage == $0) },
            chips: chips, filtered: query.isFiltered, count: String(members.count), matching: String(shown.total),
            pageNumber: String(query.page + 1), pages: String(pageCount),
            previous: query.page > 0 ? query.href(page: query.page - 1) : nil,
            next: query.page + 1 < pageCount ? query.href(page: query.page + 1) : nil,
            items: rows, hasItems: !rows.isEmpty)
        return try admin.render(request, admin: caller, section: .users, titleKey: "admin_users_title", template: "admin_users",
                                content: content, notice: notice, refused: refused, status: status)
    }

    struct InviteContent {
        let emails: String
        let error: String?
    }

    private func inviteForm(_ request: Request, caller: TenantCaller, typed: String = "", errors: FormErrors = FormErrors(),
                            status: HTTPResponse.Status = .ok) throws -> Response {
        let error = errors["emails"].map { admin.text($0, request) }
        return try admin.render(request, admin: caller, section: .invite, titleKey: "admin_invite_title", template: "admin_invite",
                                content: InviteContent(emails: typed, error: error), status: status)
    }
}
