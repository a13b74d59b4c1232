import Foundation
import HTTPTypes
import Hummingbird
import Portal

/// "Groupes": the tenant's groups of users and their members. A group or user of another
/// tenant is a 404 and nothing changes.
struct AdminGroupsController: Sendable {
    let accounts: AccountService
    let admin: AdminPages

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.tenantAdmin)
        router.get("/admin/groups") { request, context in
            try await groupsPage(request, caller: try context.requireTenant())
        }
        router.post("/admin/groups") { request, context in
            let caller = try context.requireTenant()
            let fields = try await Forms.read(AdminForm.self, from: request, context: context)
            do {
                _ = try await accounts.createGroup(tenantID: caller.tenantID, name: fields.groupName.orEmpty)
                return try await groupsPage(request, caller: caller, notice: admin.text("group_created", request))
            } catch let errors as FormErrors {
                return try await groupsPage(request, caller: caller, typed: fields.groupName.orEmpty, errors: errors, status: .unprocessableContent)
            }
        }
        router.post("/admin/groups/:id/members") { request, context in
            let caller = try context.requireTenant()
            let fields = try await Forms.read(AdminForm.self, from: request, context: context)
            guard let groupID = Int64(try context.parameters.require("id")), let userID = Int64(fields.user.orEmpty) else {
                throw HTTPError(.notFound)
            }
            do {
                try await accounts.setGroupMember(groupID: groupID, userID: userID, tenantID: caller.tenantID, member: fields.action != "remove")
            } catch is NotInTenant {
                throw HTTPError(.notFound)
            }
            return try await groupsPage(request, caller: caller, notice: admin.text("group_changed", request))
        }
    }

    struct Person {
        let id: String
        let email: String
        let name: String
    }

    struct Group {
        let id: String
        let name: String
        let members: [Person]
        let hasMembers: Bool
        let count: String
    }

    struct GroupsContent {
        let groupName: String
        let error: String?
        let groups: [Group]
        let hasGroups: Bool
        let users: [Person]
    }

    private func groupsPage(_ request: Request, caller: TenantCaller, notice: String? = nil, typed: String = "",
                            errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let members = try await accounts.members(tenantID: caller.tenantID).map { Person(id: String($0.user.id), email: $0.user.email, name: $0.user.displayName) }
        let groups = try await accounts.groups(tenantID: caller.tenantID).map { group in
            let inside = members.filter { person in group.memberIDs.contains { String($0) == person.id } }
            return Group(id: String(group.id), name: group.name, members: inside, hasMembers: !inside.isEmpty, count: String(inside.count))
        }
        let content = GroupsContent(groupName: typed, error: errors["groupName"].map { admin.text($0, request) }, groups: groups,
                                    hasGroups: !groups.isEmpty, users: members)
        return try admin.render(request, admin: caller, section: .groups, titleKey: "groups_title", template: "admin_groups",
                                content: content, notice: notice, status: status)
    }
}
