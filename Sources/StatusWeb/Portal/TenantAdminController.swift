import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The administration of the current tenant, for its administrators only: its users, groups,
/// API keys and the invitation form. Everything is read through the session's tenant, never
/// the URL's.
struct TenantAdminController: Sendable {
    let accounts: AccountService
    /// The dashboard counts services and new requests when the catalog is served.
    let serviceCatalog: ServiceCatalog?
    let pages: Pages

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.tenantAdmin)
        router.get("/admin/users") { request, context in
            let admin = try context.requireTenant()
            return try await adminPage(request, admin: admin)
        }
        router.post("/admin/users/:id/:action") { request, context in
            let admin = try context.requireTenant()
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            guard let userID = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            let language = pages.language(of: request)
            do {
                switch try context.parameters.require("action") {
                case "resend":
                    let sent = try await accounts.resendActivation(userID: userID, tenantID: admin.tenantID)
                    return try await adminPage(request, admin: admin,
                                               notice: pages.catalog.text(sent ? "resend_done" : "resend_refused", language))
                case "remove":
                    try await accounts.removeMember(userID: userID, tenantID: admin.tenantID)
                    return try await adminPage(request, admin: admin, notice: pages.catalog.text("remove_done", language))
                case "role":
                    let role: Membership.Role = fields.role == "admin" ? .admin : .member
                    try await accounts.setRole(userID: userID, tenantID: admin.tenantID, role: role)
                    return try await adminPage(request, admin: admin, notice: pages.catalog.text("role_done", language))
                default:
                    throw HTTPError(.notFound)
                }
            } catch is NotInTenant {
                // Another tenant's user, or nobody: the same answer, and nothing changed.
                throw HTTPError(.notFound)
            } catch is LastAdministrator {
                return try await adminPage(request, admin: admin, refused: pages.catalog.text("last_admin", language),
                                           status: .conflict)
            }
        }
        router.post("/admin/groups") { request, context in
            let admin = try context.requireTenant()
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            do {
                _ = try await accounts.createGroup(tenantID: admin.tenantID, name: fields.groupName.orEmpty)
                return try await adminPage(request, admin: admin, notice: pages.catalog.text("group_created", pages.language(of: request)))
            } catch let errors as FormErrors {
                return try await adminPage(request, admin: admin, errors: errors, status: .unprocessableContent)
            }
        }
        router.post("/admin/groups/:id/members") { request, context in
            let admin = try context.requireTenant()
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            guard let groupID = Int64(try context.parameters.require("id")), let userID = Int64(fields.user.orEmpty) else {
                throw HTTPError(.notFound)
            }
            do {
                try await accounts.setGroupMember(groupID: groupID, userID: userID, tenantID: admin.tenantID, member: fields.action != "remove")
            } catch is NotInTenant {
                throw HTTPError(.notFound)
            }
            return try await adminPage(request, admin: admin, notice: pages.catalog.text("group_changed", pages.language(of: request)))
        }
        router.post("/admin/api-keys") { request, context in
            let admin = try context.requireTenant()
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            do {
                let created = try await accounts.createAPIKey(tenantID: admin.tenantID, name: fields.keyName.orEmpty)
                return try await adminPage(request, admin: admin,
                                           notice: pages.catalog.text("key_created", pages.language(of: request)), newKey: created.secret)
            } catch let errors as FormErrors {
                return try await adminPage(request, admin: admin, errors: errors, status: .unprocessableContent)
            }
        }
        router.post("/admin/api-keys/:id/revoke") { request, context in
            let admin = try context.requireTenant()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            do {
                try await accounts.revokeAPIKey(id: id, tenantID: admin.tenantID)
            } catch is NotInTenant {
                throw HTTPError(.notFound)
            }
            return try await adminPage(request, admin: admin, notice: pages.catalog.text("key_revoked", pages.language(of: request)))
        }
        router.post("/admin/users/invite") { request, context in
            let admin = try context.requireTenant()
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            let text = fields.emails.orEmpty
            do {
                let report = try await accounts.invite(text, tenantID: admin.tenantID, language: fields.language == "en" ? "en" : "fr",
                                                       invitedBy: Inviter(admin.user))
                let language = pages.language(of: request)
                let refused = report.refused.map { "\($0.email)\(pages.catalog.text("colon", language)) \(pages.catalog.text($0.reason, language))" }.joined(separator: " · ")
                // What happened to each kind of address, in one notice.
                var notice = [pages.catalog.text("invite_done", language, report.invited.count)]
                if !report.addedExisting.isEmpty { notice.append(pages.catalog.text("invite_added_existing", language, report.addedExisting.count)) }
                if !report.invitedAgain.isEmpty { notice.append(pages.catalog.text("invite_invited_again", language, report.invitedAgain.count)) }
                return try await adminPage(request, admin: admin, notice: notice.joined(separator: " "), refused: refused)
            } catch let errors as FormErrors {
                return try await adminPage(request, admin: admin, errors: errors, typed: text, status: .unprocessableContent)
            }
        }
    }


    private func adminPage(_ request: Request, admin: TenantCaller,
                           notice: String = "", refused: String = "", errors: FormErrors = FormErrors(), typed: String = "",
                           newKey: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = pages.language(of: request)
        let members = try await accounts.members(tenantID: admin.tenantID)
        let query = try MemberQuery(request)
        let shown = query.apply(to: members)
        let serviceCounts = try await serviceCatalog?.counts(tenantID: admin.tenantID)
        let rows = shown.page.map { member in
            ["id": String(member.user.id), "email": member.user.email, "name": member.user.displayName, "state": member.user.state.rawValue,
             "stateText": pages.catalog.text("user_state_\(member.user.state.rawValue)", language),
             "role": pages.catalog.text("role_\(member.role.rawValue)", language),
             "isAdmin": member.role == .admin ? "yes" : "", "isPending": member.user.state == .pending ? "yes" : ""]
        }
        return try pages.portal(request, template: "admin_users", titleKey: "admin_users_title", csrf: admin.session.csrfToken,
                              values: ["emails": typed, "tenant": "\(admin.tenant.name) (\(admin.tenant.code))",
                                       "count": String(members.count),
                                       "admins": String(members.filter { $0.role == .admin }.count),
                                       "pending": String(members.filter { $0.user.state == .pending }.count),
                                       "q": query.search, "filter": query.filter, "per": String(query.perPage),
                                       "matching": String(shown.total), "pageNumber": String(query.page + 1),
                                       "pages": String(max(1, (shown.total + query.perPage - 1) / query.perPage)),
                                       "services": String(serviceCounts?.services ?? 0),
                                       "newRequests": String(serviceCounts?.pendingRequests ?? 0)],
                              errors: errors, extra: ["notice": notice, "refused": refused, "newKey": newKey]
                                  .merging(serviceCounts == nil ? [:] : ["services": "yes"]) { $1 }, items: rows,
                              groups: try await accounts.groups(tenantID: admin.tenantID).map { group in
                                  ["id": String(group.id), "name": group.name,
                                   "members": members.filter { group.memberIDs.contains($0.user.id) }.map(\.user.email).joined(separator: ", ")]
                              },
                              keys: try await accounts.apiKeys(tenantID: admin.tenantID).map { key in
                                  ["id": String(key.id), "name": key.name, "prefix": key.prefix, "revoked": key.revokedAt == nil ? "" : "yes"]
                              },
                              status: status)
    }
}

/// Search, filter and paging of the user list, from the query string.
struct MemberQuery {
    static let pageSizes = [10, 25, 50]
    /// Far more pages than any tenant has users: a bound so `page * perPage` cannot overflow.
    static let maxPage = 100_000

    let search: String
    /// "pending" (En attente d'activation), "nonadmin" (Non administrateurs) or "".
    let filter: String
    let perPage: Int
    /// From 0.
    let page: Int

    /// A page number or size out of range is a 400 (never arithmetic on whatever was sent).
    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        search = (query.get("q") ?? "").trimmingCharacters(in: .whitespaces)
        filter = ["pending", "nonadmin"].contains(query.get("filter") ?? "") ? (query.get("filter") ?? "") : ""
        perPage = try Self.number(query.get("per"), fallback: 10) { Self.pageSizes.contains($0) }
        page = try Self.number(query.get("page"), fallback: 1) { (1...Self.maxPage).contains($0) } - 1
    }

    private static func number(_ text: String?, fallback: Int, isValid: (Int) -> Bool) throws -> Int {
        guard let text else { return fallback }
        guard let value = Int(text), isValid(value) else { throw HTTPError(.badRequest, message: "A page number or size is out of range.") }
        return value
    }

    func apply(to members: [(user: User, role: Membership.Role)]) -> (page: [(user: User, role: Membership.Role)], total: Int) {
        let needle = search.lowercased()
        let matching = members.filter { member in
            (needle.isEmpty || member.user.email.contains(needle) || member.user.displayName.lowercased().contains(needle))
                && (filter != "pending" || member.user.state == .pending)
                && (filter != "nonadmin" || member.role != .admin)
        }
        return (Array(matching.dropFirst(page * perPage).prefix(perPage)), matching.count)
    }
}
