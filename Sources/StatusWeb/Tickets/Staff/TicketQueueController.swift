import Foundation
import Hummingbird
import Portal
import StatusModel

/// `/staff/tickets`: the agents' queue. Filters (state, priority, type, product, tenant, mine,
/// unassigned), sorts, search by number or words and pages are all in the query string, so a
/// view of the queue is a link; each state and priority shows its count. `/staff/tickets/answers`
/// shows "Votre avis compte" and the articles that answered before a ticket.
struct TicketQueueController<Store: StatusStore>: Sendable {
    let tickets: TicketSite
    let accounts: AccountService
    let store: Store
    let pages: Pages
    let calendar: DayCalendar
    let clock: @Sendable () -> Date

    static var pageSize: Int { 25 }

    func addRoutes(to routes: SiteRoutes) {
        let staff = routes.pages(.staff)
        staff.get("/staff/tickets") { request, context in
            try await queuePage(request, signedIn: try context.requireUser())
        }
        staff.get("/staff/tickets/answers") { request, _ in
            try await answersPage(request)
        }
    }

    /// The queue's filters as the query string names them, checked and bounded before use.
    struct Filters {
        var text = ""
        /// "open" (the default), "all", or a state's name.
        var state = "open"
        var priority: TicketPriority?
        var type: String?
        var product: String?
        var tenantCode = ""
        var mine = false
        var unassigned = false
        var sort: TicketSort = .priority
        var page = 1

        init(_ request: Request, forms: TicketForms, productSlugs: Set<String>) {
            let parameters = FormQuery.values(request)
            func value(_ name: String) -> String? {
                parameters[name].map { String($0.trimmingCharacters(in: .whitespaces).prefix(200)) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            text = value("q") ?? ""
            if let state = value("state"), state == "all" || TicketState(rawValue: state) != nil { self.state = state }
            priority = value("priority").flatMap { Int($0) }.flatMap(TicketPriority.init(rawValue:))
            type = value("type").flatMap { forms.type($0) == nil ? nil : $0 }
            product = value("product").flatMap { productSlugs.contains($0) ? $0 : nil }
            tenantCode = value("tenant") ?? ""
            mine = value("mine") == "1"
            unassigned = value("unassigned") == "1" && !mine
            sort = value("sort").flatMap(TicketSort.init(rawValue:)) ?? .priority
            // Bounded before any arithmetic: the store multiplies it by the page size.
            page = value("page").flatMap { Int($0) }.map { min(max($0, 1), 10_000) } ?? 1
        }

        var states: [TicketState] {
            switch state {
            case "open": TicketState.allCases.filter(\.isOpen)
            case "all": []
            default: TicketState(rawValue: state).map { [$0] } ?? []
            }
        }

        /// The link to this view of the queue with some values changed (`nil` removes one).
        func href(_ changes: [String: String?] = [:]) -> String {
            var pairs: [String: String] = [:]
            if !text.isEmpty { pairs["q"] = text }
            if state != "open" { pairs["state"] = state }
            if let priority { pairs["priority"] = String(priority.rawValue) }
            if let type { pairs["type"] = type }
            if let product { pairs["product"] = product }
            if !tenantCode.isEmpty { pairs["tenant"] = tenantCode }
            if mine { pairs["mine"] = "1" }
            if unassigned { pairs["unassigned"] = "1" }
            if sort != .priority { pairs["sort"] = sort.rawValue }
            if page > 1 { pairs["page"] = String(page) }
            for (key, value) in changes { pairs[key] = value }
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let query = pairs.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
            return query.isEmpty ? "/staff/tickets" : "/staff/tickets?\(query)"
        }
    }

    private func queuePage(_ request: Request, signedIn: SignedInUser) async throws -> Response {
        let language = pages.language(of: request)
        let words = TicketStaffText(language: language, catalog: pages.catalog, calendar: calendar, now: clock())
        let products = try await store.products()
        let productNames = Dictionary(products.map { ($0.slug, $0.name) }) { first, _ in first }
        let filters = Filters(request, forms: tickets.forms, productSlugs: Set(productNames.keys))
        var view = TicketQueueView(page: pages.chrome(request, titleKey: "tstaff_queue_title"), csrf: signedIn.csrfToken)

        var tenantID: Int64?
        if !filters.tenantCode.isEmpty {
            let wanted = filters.tenantCode.lowercased()
            let tenant = try await accounts.tenants().first { $0.code.lowercased() == wanted || $0.name.lowercased() == wanted }
            if let tenant { tenantID = tenant.id } else { view.tenantUnknown = words.text("tstaff_tenant_unknown", filters.tenantCode) }
        }
        let query = TicketQuery(text: filters.text, states: filters.states, priority: filters.priority, type: filters.type,
                                productSlug: filters.product, tenantID: tenantID ?? (filters.tenantCode.isEmpty ? nil : -1),
                                assigneeID: filters.mine ? signedIn.user.id : nil, unassignedOnly: filters.unassigned,
                                sort: filters.sort, page: filters.page, pageSize: Self.pageSize)
        let results = try await tickets.service.list(query, for: TicketReader(.user(signedIn)))

        view.text = filters.text
        view.tenantCode = filters.tenantCode
        view.mine = filters.mine
        view.unassigned = filters.unassigned
        view.states = [TicketQueueView.Option(value: "open", label: words.text("tstaff_filter_open"), selected: filters.state == "open"),
                       .init(value: "all", label: words.text("tstaff_filter_all_states"), selected: filters.state == "all")]
            + TicketState.allCases.map { .init(value: $0.rawValue, label: words.state($0), selected: filters.state == $0.rawValue) }
        view.priorities = [.init(value: "", label: words.text("tstaff_filter_any_priority"), selected: filters.priority == nil)]
            + TicketPriority.allCases.map { .init(value: String($0.rawValue), label: words.priority($0), selected: $0 == filters.priority) }
        view.types = [.init(value: "", label: words.text("tstaff_filter_any_type"), selected: filters.type == nil)]
            + tickets.forms.types.map { .init(value: $0.key, label: $0.label.text(language.rawValue), selected: $0.key == filters.type) }
        view.products = [.init(value: "", label: words.text("tstaff_filter_any_product"), selected: filters.product == nil)]
            + products.map { .init(value: $0.slug, label: $0.name, selected: $0.slug == filters.product) }
        view.sorts = [TicketSort.priority, .due, .updated, .newest, .oldest].map {
            .init(value: $0.rawValue, label: words.text("tstaff_sort_\($0.rawValue)"), selected: $0 == filters.sort)
        }
        view.stateCounts = TicketState.allCases.map { state in
            .init(label: words.state(state), count: results.stateCounts[state] ?? 0,
                  href: filters.href(["state": state.rawValue, "page": nil]), current: filters.state == state.rawValue)
        }
        view.priorityCounts = TicketPriority.allCases.map { priority in
            .init(label: words.priority(priority), count: results.priorityCounts[priority] ?? 0,
                  href: filters.href(["priority": String(priority.rawValue), "page": nil]), current: filters.priority == priority)
        }

        let shown = results.tickets
        let people = try await accounts.users(ids: shown.map(\.contactUserID) + shown.compactMap(\.assigneeID))
        var tenants: [Int64: Tenant] = [:]
        for id in Set(shown.map(\.tenantID)) { tenants[id] = try await accounts.tenant(id: id) }
        let incidents = try await incidentTitles(Set(shown.compactMap(\.incidentID)))
        view.rows = shown.map { ticket in
            let due = words.due(ticket)
            return TicketQueueView.Row(
                number: ticket.number.description, href: "/staff/tickets/\(ticket.number)", subject: ticket.subject,
                state: ticket.state.rawValue, stateWord: words.state(ticket.state), priority: String(ticket.priority.rawValue),
                priorityWord: words.priority(ticket.priority), type: words.type(ticket.type, forms: tickets.forms),
                tenant: tenants[ticket.tenantID].map { "\($0.name) (\($0.code))" } ?? "—",
                contact: people[ticket.contactUserID]?.displayName ?? "—",
                product: ticket.productSlug.map { productNames[$0] ?? $0 },
                assignee: ticket.assigneeID.map { people[$0]?.displayName ?? "—" },
                updated: words.shortDate(ticket.updatedAt), dueWords: due.words, dueState: due.state, late: due.late,
                incidentTitle: ticket.incidentID.map { incidents[$0] ?? $0 },
                incidentHref: ticket.incidentID.map { "/staff/incidents/\($0)" })
        }
        view.hasRows = !view.rows.isEmpty
        view.summary = results.truncated ? words.text("tstaff_summary_more", results.total, results.page, max(results.pageCount, 1))
            : words.text("tstaff_summary", results.total, results.page, max(results.pageCount, 1))
        if results.pageCount > 1 {
            let window = max(1, results.page - 4)...min(results.pageCount, max(1, results.page - 4) + 9)
            view.pages = window.map { .init(label: String($0), href: filters.href(["page": String($0)]), current: $0 == results.page) }
            view.hasPages = true
            if results.page > 1 { view.previousHref = filters.href(["page": String(results.page - 1)]) }
            if results.page < results.pageCount { view.nextHref = filters.href(["page": String(results.page + 1)]) }
        }
        return try pages.render(view, template: "staff_tickets", request: request)
    }

    /// Titles of the incidents the page's tickets are linked to, by id.
    private func incidentTitles(_ ids: Set<String>) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var titles: [String: String] = [:]
        for id in ids { titles[id] = try await store.incident(id: id)?.title }
        return titles
    }

    private func answersPage(_ request: Request) async throws -> Response {
        let language = pages.language(of: request)
        let products = Dictionary(try await store.products().map { ($0.slug, $0.name) }) { first, _ in first }
        let report = try await tickets.service.satisfactionReport()
        let agents = try await accounts.users(ids: report.compactMap(\.assigneeID))
        var view = TicketAnswersView(page: pages.chrome(request, titleKey: "tstaff_answers_title"))
        let nobody = pages.catalog.text("tstaff_unassigned", language)
        view.rows = report.map { row in
            TicketAnswersView.Row(agent: row.assigneeID.map { agents[$0]?.displayName ?? "—" } ?? nobody,
                                  product: row.productSlug.map { products[$0] ?? $0 } ?? "—", month: row.month,
                                  average: String(format: "%.1f", locale: language.locale, row.average), count: row.count)
        }
        view.hasRows = !view.rows.isEmpty
        view.articles = try await tickets.service.articleAnswers(limit: 50).map {
            .init(number: $0.article.description, href: "/staff/kb/\($0.article)", count: $0.count)
        }
        view.hasArticles = !view.articles.isEmpty
        return try pages.render(view, template: "staff_tickets_answers", request: request)
    }
}
