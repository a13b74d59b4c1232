import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The profile's Services tab (`/account/services`): the user's subscriptions in the session's
/// tenant, filtered by state; the catalog to add services from (a dialog with JavaScript, the
/// page `/account/services/add` without); giving a service up, confirmed. Every subscription
/// is read through the caller's own user and tenant, so another's is a 404.
struct AccountServicesController: Sendable {
    let services: ServiceCatalog
    let pages: Pages
    let calendar: DayCalendar

    /// Services per page of the catalog.
    static let pageSize = 10
    /// The filters of the tab, in the order shown.
    static let filters: [ServiceSubscription.State] = [.accepted, .pending, .refused, .suspended]

    func addRoutes(to routes: SiteRoutes) {
        let users = routes.pages(.signedIn)
        users.get("/account/services") { request, context in
            try await tabPage(request, caller: try context.requireTenant())
        }
        users.get("/account/services/add") { request, context in
            try await catalogPage(request, caller: try context.requireTenant())
        }
        users.post("/account/services/add") { request, context in
            let caller = try context.requireTenant()
            let form = try await Forms.read(AddServicesForm.self, from: request, context: context)
            let ids = (form.services ?? []).compactMap { Int64($0) }
            guard !ids.isEmpty else {
                return try await catalogPage(request, caller: caller, error: pages.text("account_services_choose_one", request),
                                             status: .unprocessableContent)
            }
            let recorded = try await ServiceAnswers.run { try await services.request(serviceIDs: ids, by: caller.user, tenantID: caller.tenant.id) }
            return try await tabPage(request, caller: caller, notice: addedNotice(recorded.count, pages.language(of: request)))
        }
        users.get("/account/services/:id/give-up") { request, context in
            let caller = try context.requireTenant()
            let held = try await heldSubscription(context, caller: caller)
            return try confirmPage(request, caller: caller, held: held)
        }
        users.post("/account/services/:id/give-up") { request, context in
            let caller = try context.requireTenant()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            let held = try await heldSubscription(context, caller: caller)
            let language = pages.language(of: request)
            do {
                try await ServiceAnswers.run { try await services.giveUp(subscriptionID: held.id, by: caller.user, tenantID: caller.tenant.id) }
                return try await tabPage(request, caller: caller, notice: pages.catalog.text("account_services_given_up", language, held.service.name))
            } catch is CannotGiveUp {
                return try await tabPage(request, caller: caller, refused: pages.catalog.text("account_services_cannot_give_up", language),
                                         status: .conflict)
            }
        }
    }

    /// "Vous vous êtes abonné(e) à N service(s)": French counts 0 and 1 as singular, English 1 only.
    func addedNotice(_ count: Int, _ language: Language) -> String {
        guard count > 0 else { return pages.catalog.text("account_services_added_none", language) }
        let singular = language == .fr ? count <= 1 : count == 1
        return pages.catalog.text(singular ? "account_services_added_one" : "account_services_added_other", language, count)
    }

    /// The caller's own subscription named by the path; 404 for anyone else's or none.
    private func heldSubscription(_ context: StatusRequestContext, caller: TenantCaller) async throws -> ServiceCatalog.Held {
        guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
        let held = try await ServiceAnswers.run { try await services.held(by: caller.user, tenantID: caller.tenant.id) }
        guard let mine = held.first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
        return mine
    }

    // MARK: The tab

    struct TabView {
        let page: PageChrome
        let csrf: String
        let accountTab = AccountTab.services
        let tenant: String
        var notice: String?
        var refused: String?
        var filters: [Filter] = []
        var allCount = 0
        var allCurrent = false
        /// The filter in force, in words ("Refusé(s)"), when one is.
        var filterInForce: String?
        var rows: [Row] = []
        var hasRows = false
    }

    struct Filter {
        let state: String
        let label: String
        let count: Int
        let current: Bool
    }

    struct Row {
        let id: String
        let service: String
        let family: String
        let state: String
        let stateText: String
        let date: String
        let reason: String?
        let canGiveUp: Bool
        let question: String
    }

    private func tabPage(_ request: Request, caller: TenantCaller, notice: String? = nil, refused: String? = nil,
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = pages.language(of: request)
        let held = try await ServiceAnswers.run { try await services.held(by: caller.user, tenantID: caller.tenant.id) }
        // An unknown filter shows everything, "Tous" in force: a page, not an API, so no 400.
        let chosen = request.uri.queryParameters.get("state").flatMap { ServiceSubscription.State(rawValue: String($0)) }
        let dates = DayFormatter(language: language, calendar: calendar)
        var view = TabView(page: pages.chrome(request, titleKey: "account_services_title"), csrf: caller.session.csrfToken,
                           tenant: "\(caller.tenant.name) (\(caller.tenant.code))", notice: notice, refused: refused)
        view.filters = Self.filters.map { state in
            Filter(state: state.rawValue, label: pages.catalog.text("account_services_filter_\(state.rawValue)", language),
                   count: held.count { $0.subscription.state == state }, current: state == chosen)
        }
        view.allCount = held.count
        view.allCurrent = chosen == nil
        view.filterInForce = chosen.map { pages.catalog.text("account_services_filter_\($0.rawValue)", language) }
        view.rows = held.filter { chosen == nil || $0.subscription.state == chosen }.map { item in
            let subscription = item.subscription
            return Row(id: String(item.id), service: item.service.name, family: item.service.family, state: subscription.state.rawValue,
                       stateText: pages.catalog.text("services_state_\(subscription.state.rawValue)", language),
                       date: dates.instant(subscription.decidedAt ?? subscription.requestedAt),
                       reason: subscription.state == .refused && !subscription.reason.isEmpty ? subscription.reason : nil,
                       canGiveUp: subscription.state.canBeGivenUp,
                       question: pages.catalog.text("account_services_give_up_question", language, item.service.name))
        }
        view.hasRows = !view.rows.isEmpty
        return try pages.render(view, template: "account_services", request: request, status: status)
    }

    // MARK: The catalog

    struct CatalogView {
        let page: PageChrome
        let csrf: String
        let accountTab = AccountTab.services
        let q: String
        var families: [ConsoleView.Choice] = []
        var rows: [CatalogRow] = []
        var hasRows = false
        var error: String?
        var pageText: String?
        var previous: String?
        var next: String?
    }

    struct CatalogRow {
        let id: String
        let name: String
        let family: String
        let description: String?
        /// The user's live subscription's state in words: the box is not offered then.
        let held: String?
        let available: Bool
    }

    private func catalogPage(_ request: Request, caller: TenantCaller, error: String? = nil,
                             status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = pages.language(of: request)
        // As the search form sends it: "+" is a space.
        let parameters = FormQuery.values(request)
        let q = (parameters["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let family = parameters["family"] ?? ""
        // Range-checked before any arithmetic: a page number from a request never overflows.
        let asked = parameters["page"].flatMap { Int($0) }.flatMap { (1...10_000).contains($0) ? $0 : nil } ?? 1
        let entries = try await ServiceAnswers.run { try await services.catalog(for: caller.user, tenantID: caller.tenant.id) }
            .filter(\.service.isActive)
        let families = Array(Set(entries.map(\.service.family))).sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        let found = entries.filter { entry in
            (family.isEmpty || entry.service.family == family)
                && (q.isEmpty || [entry.service.name, entry.service.family, entry.service.description]
                    .contains { $0.range(of: q, options: [.caseInsensitive, .diacriticInsensitive]) != nil })
        }
        let pageCount = max(1, (found.count + Self.pageSize - 1) / Self.pageSize)
        let current = min(asked, pageCount)
        var view = CatalogView(page: pages.chrome(request, titleKey: "account_services_add_title"), csrf: caller.session.csrfToken, q: q)
        view.error = error
        view.families = families.map { .init(value: $0, label: $0, selected: $0 == family) }
        view.rows = found.dropFirst((current - 1) * Self.pageSize).prefix(Self.pageSize).map { entry in
            let live = entry.subscription.flatMap { $0.state.blocksNewRequest ? $0.state : nil }
            return CatalogRow(id: String(entry.service.id), name: entry.service.name, family: entry.service.family,
                              description: entry.service.description.isEmpty ? nil : entry.service.description,
                              held: live.map { pages.catalog.text("services_state_\($0.rawValue)", language) }, available: live == nil)
        }
        view.hasRows = !view.rows.isEmpty
        if pageCount > 1 {
            view.pageText = pages.catalog.text("account_services_page", language, current, pageCount)
            func link(_ page: Int) -> String {
                var query = URLComponents()
                query.queryItems = [URLQueryItem(name: "q", value: q), URLQueryItem(name: "family", value: family),
                                    URLQueryItem(name: "page", value: String(page))].filter { !($0.value ?? "").isEmpty }
                return "/account/services/add?" + (query.percentEncodedQuery ?? "")
            }
            view.previous = current > 1 ? link(current - 1) : nil
            view.next = current < pageCount ? link(current + 1) : nil
        }
        return try pages.render(view, template: "account_services_add", request: request, status: status)
    }

    // MARK: Giving up, without JavaScript

    struct ConfirmView {
        let page: PageChrome
        let csrf: String
        let accountTab = AccountTab.services
        let id: String
        let service: String
        let question: String
        let allowed: Bool
    }

    private func confirmPage(_ request: Request, caller: TenantCaller, held: ServiceCatalog.Held) throws -> Response {
        let language = pages.language(of: request)
        let view = ConfirmView(page: pages.chrome(request, titleKey: "account_services_give_up_title"), csrf: caller.session.csrfToken,
                               id: String(held.id), service: held.service.name,
                               question: pages.catalog.text("account_services_give_up_question", language, held.service.name),
                               allowed: held.subscription.state.canBeGivenUp)
        return try pages.render(view, template: "account_services_give_up", request: request)
    }
}

/// "Ajouter" in the catalog: the ticked services (`services[]`, as the product boxes).
struct AddServicesForm: CSRFProtectedForm {
    var csrf: String?
    var services: [String]?
}
