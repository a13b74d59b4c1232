import Foundation
import HTTPTypes
import Hummingbird
import Portal

/// "Clés d'API": the tenant's keys, a new one shown once, revocation confirmed. Another
/// tenant's key is a 404 and stays as it is.
struct AdminKeysController: Sendable {
    let accounts: AccountService
    let admin: AdminPages

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.tenantAdmin)
        router.get("/admin/api-keys") { request, context in
            try await keysPage(request, caller: try context.requireTenant())
        }
        router.post("/admin/api-keys") { request, context in
            let caller = try context.requireTenant()
            let fields = try await Forms.read(AdminForm.self, from: request, context: context)
            do {
                let created = try await accounts.createAPIKey(tenantID: caller.tenantID, name: fields.keyName.orEmpty)
                return try await keysPage(request, caller: caller, notice: admin.text("key_created", request), newKey: created.secret)
            } catch let errors as FormErrors {
                return try await keysPage(request, caller: caller, typed: fields.keyName.orEmpty, errors: errors, status: .unprocessableContent)
            }
        }
        router.post("/admin/api-keys/:id/revoke") { request, context in
            let caller = try context.requireTenant()
            let fields = try await Forms.read(AdminForm.self, from: request, context: context)
            guard let id = Int64(try context.parameters.require("id")),
                  let key = try await accounts.apiKeys(tenantID: caller.tenantID).first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
            guard fields.isConfirmed else {
                return try admin.confirm(request, admin: caller, section: .keys, AdminConfirmation(
                    question: admin.text("admin_key_revoke_question", request, key.name), action: "/admin/api-keys/\(id)/revoke",
                    button: admin.text("key_revoke", request), back: "/admin/api-keys"))
            }
            do {
                try await accounts.revokeAPIKey(id: id, tenantID: caller.tenantID)
            } catch is NotInTenant {
                throw HTTPError(.notFound)
            }
            return try await keysPage(request, caller: caller, notice: admin.text("key_revoked", request))
        }
    }

    struct Key {
        let id: String
        let name: String
        let prefix: String
        let revoked: Bool
        let question: String
    }

    struct KeysContent {
        let keyName: String
        let error: String?
        /// The new key, this once.
        let newKey: String?
        let keys: [Key]
        let hasKeys: Bool
    }

    private func keysPage(_ request: Request, caller: TenantCaller, notice: String? = nil, newKey: String? = nil, typed: String = "",
                          errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let keys = try await accounts.apiKeys(tenantID: caller.tenantID).map { key in
            Key(id: String(key.id), name: key.name, prefix: key.prefix, revoked: key.revokedAt != nil,
                question: admin.text("admin_key_revoke_question", request, key.name))
        }
        let content = KeysContent(keyName: typed, error: errors["keyName"].map { admin.text($0, request) }, newKey: newKey, keys: keys,
                                  hasKeys: !keys.isEmpty)
        return try admin.render(request, admin: caller, section: .keys, titleKey: "keys_title", template: "admin_keys",
                                content: content, notice: notice, status: status)
    }
}
