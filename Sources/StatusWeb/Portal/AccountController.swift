import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The profile's "Général" tab (`/account`: who the user is, the customer account, the counts
/// of their services, the edit form, the password, linked providers) and "Changer de compte
/// client". The "Activités" tab is `AccountActivityController`.
struct AccountController: Sendable {
    let accounts: AccountService
    let pages: Pages
    let calendar: DayCalendar
    /// The providers linked to the account, when sign-in with providers is configured.
    let signIn: OpenIDSignIn?
    /// The counts of the user's services, when the site has a service catalog.
    var serviceCatalog: ServiceCatalog? = nil
    /// The knowledge base's home blocks under the account, when there is a knowledge base.
    var knowledgeBase: KnowledgeBaseLanding? = nil
    /// The notices a redirect may ask for: only these, so a link cannot make the page say anything.
    static let notices: Set<String> = ["provider_unlinked", "provider_last", "profile_saved"]

    func addRoutes(to routes: SiteRoutes) {
        let users = routes.pages(.signedIn)
        users.get("/account") { request, context in
            let signedIn = try context.requireUser()
            let user = signedIn.user
            return try await page(request, context: context, form: .init(firstName: user.firstName, lastName: user.lastName, phone: user.phone,
                                                                         language: user.language))
        }
        users.post("/account/profile") { request, context in
            let signedIn = try context.requireUser()
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            let form = AccountService.ProfileForm(firstName: fields.firstName.orEmpty, lastName: fields.lastName.orEmpty,
                                                  phone: fields.phone.orEmpty, language: fields.language.orEmpty)
            do {
                let saved = try await accounts.updateProfile(of: signedIn.user, form)
                var response = Forms.redirect(to: "/account?notice=profile_saved")
                // The pages speak the language just chosen from now on, as `?lang=` would make them.
                response.setCookie(Cookie(name: "lang", value: saved.language, maxAge: 365 * 86_400, path: "/",
                                          secure: pages.secureCookies, httpOnly: true, sameSite: .lax))
                return response
            } catch let errors as FormErrors {
                return try await page(request, context: context, form: form, errors: errors, status: .unprocessableContent)
            }
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

    /// The "Général" tab with `form` in the edit form (what the user typed, after a refusal).
    private func page(_ request: Request, context: StatusRequestContext, form: AccountService.ProfileForm, errors: FormErrors = FormErrors(),
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let signedIn = try context.requireUser()
        let language = pages.language(of: request)
        let linked = try await signIn?.linkedProviders(userID: signedIn.user.id) ?? []
        let asked = request.uri.queryParameters.get("notice").map { String($0) } ?? ""
        var view = AccountView(page: pages.chrome(request, titleKey: "account_title"), csrf: signedIn.csrfToken)
        view.notice = Self.notices.contains(asked) && errors.isEmpty ? pages.text("notice_\(asked)", request) : nil
        view.user = .init(name: signedIn.user.displayName, email: signedIn.user.email, phone: signedIn.user.phone,
                          language: pages.catalog.text("profile_language_\(signedIn.user.language == "en" ? "en" : "fr")", language),
                          activeSince: DayFormatter(language: language, calendar: calendar).longLabel(calendar.day(containing: signedIn.user.createdAt)))
        view.form = form
        view.languages = AccountService.languages.map {
            .init(code: $0, label: pages.catalog.text("profile_language_\($0)", language), selected: $0 == form.language)
        }
        for (field, keys) in errors.messages { view.errors[field] = keys.map { pages.catalog.text($0, language) }.joined(separator: ", ") }
        view.hasErrors = !errors.isEmpty
        if let tenant = signedIn.tenant {
            view.tenant = .init(name: tenant.name, code: tenant.code, address: tenant.address.isEmpty ? nil : tenant.address)
            if let serviceCatalog {
                let mine = try await serviceCatalog.subscriptions(of: signedIn.user, tenantID: tenant.id)
                let active = mine.filter { $0.state == .accepted }.count
                let pending = mine.filter { $0.state == .pending }.count
                view.counts = .init(services: pages.catalog.text(active == 1 ? "profile_services_one" : "profile_services_many", language, active),
                                    pending: pages.catalog.text(pending == 1 ? "profile_pending_one" : "profile_pending_many", language, pending))
            }
        }
        if signedIn.memberships.count > 1 {
            view.tenants = signedIn.memberships.map {
                .init(id: String($0.tenant.id), name: "\($0.tenant.name) (\($0.tenant.code))", current: $0.tenant.id == signedIn.tenant?.id)
            }
        }
        view.showsProviders = signIn?.providers.isEmpty == false || !linked.isEmpty
        view.providers = linked.map { .init(id: $0.providerID, name: $0.name, email: $0.email) }
        view.admin = signedIn.role == .admin
        view.operator_ = signedIn.user.staffRole == .operator_
        view.hasPassword = signedIn.user.hasPassword
        view.knowledgeBase = try await knowledgeBase?.blocks(request, identity: context.identity, audience: context.audience, pages: pages)
        return try pages.render(view, template: "account", request: request, status: status)
    }
}

/// What `account.mustache` shows. Optional parts are nil when absent (swift-mustache renders a
/// section for an empty string).
struct AccountView {
    let page: PageChrome
    let csrf: String
    let accountTab = AccountTab.general
    var notice: String?
    var user: Person?
    var form = AccountService.ProfileForm(firstName: "", lastName: "", phone: "", language: "fr")
    var languages: [Choice] = []
    var errors: [String: String] = [:]
    var hasErrors = false
    var tenant: TenantCard?
    var counts: Counts?
    /// "Changer de compte client": the user's tenants, when there are several.
    var tenants: [TenantChoice] = []
    var showsProviders = false
    var providers: [Provider] = []
    var admin = false
    var operator_ = false
    var hasPassword = false
    var knowledgeBase: ArticleHomeBlocks.View?

    struct Person {
        let name: String
        let email: String
        let phone: String
        let language: String
        let activeSince: String
    }

    struct Choice {
        let code: String
        let label: String
        let selected: Bool
    }

    struct TenantCard {
        let name: String
        let code: String
        let address: String?
    }

    struct Counts {
        /// "2 Services activés".
        let services: String
        /// "1 Demande en attente de validation".
        let pending: String
    }

    struct TenantChoice {
        let id: String
        let name: String
        let current: Bool
    }

    struct Provider {
        let id: String
        let name: String
        let email: String
    }
}
