import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The signed-in user's account page and "Changer de compte client".
struct AccountController: Sendable {
    let accounts: AccountService
    let pages: Pages
    /// The providers linked to the account, when sign-in with providers is configured.
    let signIn: OpenIDSignIn?
    /// The knowledge base's home blocks under the account, when there is a knowledge base.
    var knowledgeBase: KnowledgeBaseLanding? = nil
    /// The notices a redirect may ask for: only these, so a link cannot make the page say anything.
    static let notices: Set<String> = ["provider_unlinked", "provider_last"]

    func addRoutes(to routes: SiteRoutes) {
        let users = routes.pages(.signedIn)
        users.get("/account") { request, context in
            let signedIn = try context.requireUser()
            let tenants = signedIn.memberships
            let label = { (tenant: Tenant) in "\(tenant.name) (\(tenant.code))" }
            let linked = try await signIn?.linkedProviders(userID: signedIn.user.id) ?? []
            let asked = request.uri.queryParameters.get("notice").map { String($0) } ?? ""
            let notice = Self.notices.contains(asked) ? pages.text("notice_\(asked)", request) : ""
            let articles = try await knowledgeBase?.blocks(request, identity: context.identity, pages: pages)
            return try pages.portal(request, template: "account", titleKey: "account_title", csrf: signedIn.csrfToken,
                                    values: ["email": signedIn.user.email, "name": signedIn.user.displayName,
                                             "tenant": signedIn.tenant.map(label) ?? ""],
                                    extra: ["admin": signedIn.role == .admin ? "yes" : "", "operator": signedIn.user.staffRole == .operator_ ? "yes" : "",
                                            "providers": signIn?.providers.isEmpty == false || !linked.isEmpty ? "yes" : "", "notice": notice],
                                    items: tenants.count > 1 ? tenants.map { ["id": String($0.tenant.id), "name": label($0.tenant)] } : [],
                                    keys: linked.map { ["id": $0.providerID, "name": $0.name, "email": $0.email] }, knowledgeBase: articles)
        }
        users.post("/account/tenant") { request, context in
            let signedIn = try context.requireUser()
            let form = try await Forms.read(PortalForm.self, from: request, context: context)
            guard let tenantID = Int64(form.tenant.orEmpty) else { throw HTTPError(.notFound) }
            do {
                try await accounts.switchTenant(sessionID: signedIn.sessionID, userID: signedIn.user.id, tenantID: tenantID)
            } catch is NotInTenant {
                throw HTTPError(.notFound)
            }
            return Forms.redirect(to: "/account")
        }
    }
}
