import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// `/staff/api-keys`: operators create the keys their scripts use on the API's write routes
/// (each shown once), see them all, and revoke them.
struct StaffKeysController: Sendable {
    let accounts: AccountService
    let pages: Pages
    let calendar: DayCalendar

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.operator)
        router.get("/staff/api-keys") { request, context in
            let staff = try context.requireUser()
            return try await staffKeysPage(request, csrf: staff.csrfToken)
        }
        router.post("/staff/api-keys") { request, context in
            let staff = try context.requireUser()
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            do {
                let created = try await accounts.createStaffKey(userID: staff.user.id, name: fields.keyName.orEmpty)
                return try await staffKeysPage(request, csrf: staff.csrfToken,
                                               notice: pages.catalog.text("staff_key_created", pages.language(of: request)), newKey: created.secret)
            } catch let errors as FormErrors {
                return try await staffKeysPage(request, csrf: staff.csrfToken, typed: fields.keyName.orEmpty,
                                               errors: errors, status: .unprocessableContent)
            }
        }
        router.post("/staff/api-keys/:id/revoke") { request, context in
            let staff = try context.requireUser()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            do {
                try await accounts.revokeStaffKey(id: id)
            } catch StaffKeyError.unknownKey {
                throw HTTPError(.notFound)
            }
            return try await staffKeysPage(request, csrf: staff.csrfToken,
                                           notice: pages.catalog.text("staff_key_revoked", pages.language(of: request)))
        }
    }

    private func staffKeysPage(_ request: Request, csrf: String, notice: String = "", newKey: String = "",
                               typed: String = "", errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let formatter = DayFormatter(language: pages.language(of: request), calendar: calendar)
        let keys = try await accounts.staffKeys().map { key in
            ["id": String(key.id), "name": key.name, "prefix": key.prefix, "owner": key.userEmail,
             "created": formatter.instant(key.createdAt), "revoked": key.revokedAt.map(formatter.instant) ?? ""]
        }
        return try pages.portal(request, template: "staff_api_keys", titleKey: "staff_keys_title", csrf: csrf, values: ["keyName": typed],
                              errors: errors, extra: ["notice": notice, "newKey": newKey], keys: keys, status: status)
    }
}
