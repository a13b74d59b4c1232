import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

extension StatusSite {
    /// The administration of the current tenant, for its administrators only: its users and
    /// the invitation form. Everything is read through the session's tenant, never the URL's.
    func addTenantAdminRoutes(to router: Router<StatusRequestContext>, accounts: AccountService) {
        router.get("/admin/users") { request, _ in
            let admin = try await tenantAdmin(request, accounts: accounts)
            return try await adminPage(request, admin: admin, accounts: accounts)
        }
        router.post("/admin/users/:id/:action") { request, context in
            let admin = try await tenantAdmin(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(admin.session, fields)
            guard let userID = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            let language = language(of: request)
            do {
                switch try context.parameters.require("action") {
                case "resend":
                    let sent = try await accounts.resendActivation(userID: userID, tenantID: admin.tenantID)
                    return try await adminPage(request, admin: admin, accounts: accounts,
                                               notice: catalog.text(sent ? "resend_done" : "resend_refused", language))
                case "remove":
                    try await accounts.removeMember(userID: userID, tenantID: admin.tenantID)
                    return try await adminPage(request, admin: admin, accounts: accounts, notice: catalog.text("remove_done", language))
                case "role":
                    let role: Membership.Role = fields["role"] == "admin" ? .admin : .member
                    try await accounts.setRole(userID: userID, tenantID: admin.tenantID, role: role)
                    return try await adminPage(request, admin: admin, accounts: accounts, notice: catalog.text("role_done", language))
                default:
                    throw HTTPError(.notFound)
                }
            } catch is NotInTenant {
                // Another tenant's user, or nobody: the same answer, and nothing changed.
                throw HTTPError(.notFound)
            } catch is LastAdministrator {
                return try await adminPage(request, admin: admin, accounts: accounts, refused: catalog.text("last_admin", language),
                                           status: .conflict)
            }
        }
        router.post("/admin/groups") { request, context in
            let admin = try await tenantAdmin(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(admin.session, fields)
            do {
                _ = try await accounts.createGroup(tenantID: admin.tenantID, name: fields["groupName"] ?? "")
                return try await adminPage(request, admin: admin, accounts: accounts, notice: catalog.text("group_created", language(of: request)))
            } catch let errors as FormErrors {
                return try await adminPage(request, admin: admin, accounts: accounts, errors: errors, status: .unprocessableContent)
            }
        }
        router.post("/admin/groups/:id/members") { request, context in
            let admin = try await tenantAdmin(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(admin.session, fields)
            guard let groupID = Int64(try context.parameters.require("id")), let userID = Int64(fields["user"] ?? "") else {
                throw HTTPError(.notFound)
            }
            do {
                try await accounts.setGroupMember(groupID: groupID, userID: userID, tenantID: admin.tenantID, member: fields["action"] != "remove")
            } catch is NotInTenant {
                throw HTTPError(.notFound)
            }
            return try await adminPage(request, admin: admin, accounts: accounts, notice: catalog.text("group_changed", language(of: request)))
        }
        router.post("/admin/api-keys") { request, context in
            let admin = try await tenantAdmin(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(admin.session, fields)
            do {
                let created = try await accounts.createAPIKey(tenantID: admin.tenantID, name: fields["keyName"] ?? "")
                return try await adminPage(request, admin: admin, accounts: accounts,
                                           notice: catalog.text("key_created", language(of: request)), newKey: created.secret)
            } catch let errors as FormErrors {
                return try await adminPage(request, admin: admin, accounts: accounts, errors: errors, status: .unprocessableContent)
            }
        }
        router.post("/admin/api-keys/:id/revoke") { request, context in
            let admin = try await tenantAdmin(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(admin.session, fields)
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            do {
                try await accounts.revokeAPIKey(id: id, tenantID: admin.tenantID)
            } catch is NotInTenant {
                throw HTTPError(.notFound)
            }
            return try await adminPage(request, admin: admin, accounts: accounts, notice: catalog.text("key_revoked", language(of: request)))
        }
        router.get("/api/v1/tenant") { request, _ in
            // A tenant's API key as a bearer token: who am I, and proof that the key works.
            let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
            guard let key = try await accounts.authenticate(bearer: bearer), let tenant = try await accounts.tenant(id: key.tenantID) else {
                var response = json(.unauthorized, #"{"error":{"code":"unauthorized","message":"A valid API key is required as a bearer token."}}"#)
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
            let body = try JSONEncoder().encode(["code": tenant.code, "name": tenant.name, "key": key.name])
            return json(.ok, String(decoding: body, as: UTF8.self))
        }
        router.post("/admin/users/invite") { request, context in
            let admin = try await tenantAdmin(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(admin.session, fields)
            let text = fields["emails"] ?? ""
            do {
                let report = try await accounts.invite(text, tenantID: admin.tenantID, language: fields["language"] == "en" ? "en" : "fr")
                let language = language(of: request)
                let refused = report.refused.map { "\($0.email) : \(catalog.text($0.reason, language))" }.joined(separator: " · ")
                return try await adminPage(request, admin: admin, accounts: accounts,
                                           notice: catalog.text("invite_done", language, report.invited.count), refused: refused)
            } catch let errors as FormErrors {
                return try await adminPage(request, admin: admin, accounts: accounts, errors: errors, typed: text, status: .unprocessableContent)
            }
        }
    }

    /// The session of an administrator of its current tenant: anonymous users go to the login
    /// page, members get 403.
    private func tenantAdmin(_ request: Request, accounts: AccountService) async throws -> (session: Session, user: User, tenantID: Int64, tenant: Tenant) {
        guard let current = try await currentSession(request, accounts: accounts) else {
            throw HTTPError(.unauthorized, message: "Log in first.")
        }
        guard let tenantID = current.session.tenantID,
              let membership = try await accounts.memberships(userID: current.user.id).first(where: { $0.tenant.id == tenantID }),
              membership.role == .admin else { throw HTTPError(.forbidden, message: "Reserved to the administrators of this customer account.") }
        return (current.session, current.user, tenantID, membership.tenant)
    }

    private func adminPage(_ request: Request, admin: (session: Session, user: User, tenantID: Int64, tenant: Tenant), accounts: AccountService,
                           notice: String = "", refused: String = "", errors: FormErrors = FormErrors(), typed: String = "",
                           newKey: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = language(of: request)
        let members = try await accounts.members(tenantID: admin.tenantID)
        let query = MemberQuery(request)
        let shown = query.apply(to: members)
        let serviceCounts = try await serviceCatalog?.counts(tenantID: admin.tenantID)
        let rows = shown.page.map { member in
            ["id": String(member.user.id), "email": member.user.email, "name": member.user.displayName, "state": member.user.state.rawValue,
             "stateText": catalog.text("user_state_\(member.user.state.rawValue)", language),
             "role": catalog.text("role_\(member.role.rawValue)", language),
             "isAdmin": member.role == .admin ? "yes" : "", "isPending": member.user.state == .pending ? "yes" : ""]
        }
        return try portalPage(request, template: "admin_users", titleKey: "admin_users_title", csrf: admin.session.csrfToken,
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
    let search: String
    /// "pending" (En attente d'activation), "nonadmin" (Non administrateurs) or "".
    let filter: String
    let perPage: Int
    let page: Int

    init(_ request: Request) {
        let query = request.uri.queryParameters
        search = (query.get("q") ?? "").trimmingCharacters(in: .whitespaces)
        filter = ["pending", "nonadmin"].contains(query.get("filter") ?? "") ? (query.get("filter") ?? "") : ""
        perPage = [10, 25, 50].contains(Int(query.get("per") ?? "") ?? 0) ? (Int(query.get("per") ?? "") ?? 10) : 10
        page = max(0, (Int(query.get("page") ?? "") ?? 1) - 1)
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
