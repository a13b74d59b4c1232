import Foundation
import HTTPTypes
import Hummingbird
import Portal

extension StatusSite {
    /// `/staff/api-keys`: operators create the keys their scripts use on the API's write
    /// routes (each shown once), see them all, and revoke them.
    func addStaffKeyRoutes(to router: Router<StatusRequestContext>, accounts: AccountService) {
        router.get("/staff/api-keys") { request, _ in
            let staff = try await operatorSession(request, accounts: accounts)
            return try await staffKeysPage(request, csrf: staff.csrfToken, accounts: accounts)
        }
        router.post("/staff/api-keys") { request, context in
            let staff = try await operatorSession(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(staff, fields)
            do {
                let created = try await accounts.createStaffKey(userID: staff.userID, name: fields["keyName"] ?? "")
                return try await staffKeysPage(request, csrf: staff.csrfToken, accounts: accounts,
                                               notice: catalog.text("staff_key_created", language(of: request)), newKey: created.secret)
            } catch let errors as FormErrors {
                return try await staffKeysPage(request, csrf: staff.csrfToken, accounts: accounts, typed: fields["keyName"] ?? "",
                                               errors: errors, status: .unprocessableContent)
            }
        }
        router.post("/staff/api-keys/:id/revoke") { request, context in
            let staff = try await operatorSession(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(staff, fields)
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            do {
                try await accounts.revokeStaffKey(id: id)
            } catch StaffKeyError.unknownKey {
                throw HTTPError(.notFound)
            }
            return try await staffKeysPage(request, csrf: staff.csrfToken, accounts: accounts,
                                           notice: catalog.text("staff_key_revoked", language(of: request)))
        }
    }

    private func staffKeysPage(_ request: Request, csrf: String, accounts: AccountService, notice: String = "", newKey: String = "",
                               typed: String = "", errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let formatter = DayFormatter(language: language(of: request), calendar: calendar)
        let keys = try await accounts.staffKeys().map { key in
            ["id": String(key.id), "name": key.name, "prefix": key.prefix, "owner": key.userEmail,
             "created": formatter.instant(key.createdAt), "revoked": key.revokedAt.map(formatter.instant) ?? ""]
        }
        return try portalPage(request, template: "staff_api_keys", titleKey: "staff_keys_title", csrf: csrf, values: ["keyName": typed],
                              errors: errors, extra: ["notice": notice, "newKey": newKey], keys: keys, status: status)
    }
}
