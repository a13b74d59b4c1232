import Foundation
import Hummingbird
import Portal
import StatusModel

/// `/home`, where a customer lands after signing in: the operators' news, the incidents and
/// maintenance on the products of their own services, their open requests and the newest
/// articles. Staff have no customer account: they go on to their account page.
struct HomeController<Store: StatusStore>: Sendable {
    let store: Store
    let pages: Pages
    let calendar: DayCalendar
    let clock: @Sendable () -> Date
    let news: (any NewsStore)?
    let tickets: TicketSite?
    let knowledgeBase: KnowledgeBaseLanding?

    static var newsShown: Int { 5 }
    static var requestsShown: Int { 5 }
    /// Maintenance planned further ahead than this is not news yet.
    static var maintenanceHorizon: TimeInterval { 30 * 86_400 }

    func addRoutes(to routes: SiteRoutes) {
        routes.pages(.signedIn).get("/home") { request, context in
            let signedIn = try context.requireUser()
            guard let tenant = signedIn.tenant else { return Forms.redirect(to: "/account") }
            let language = pages.language(of: request)
            let now = clock()
            let words = HomeView.Words(pages: pages, language: language, calendar: calendar)
            var view = HomeView(page: pages.chrome(request, titleKey: "shell_home_title"), words: words)
            if let news {
                view.news = try await news.published(language: language.rawValue, at: now, limit: Self.newsShown).map(words.news)
                view.servesNews = true
            }
            view.events(try await events(audience: context.audience, now: now), hasServices: !context.audience.mine.isEmpty)
            if let tickets {
                // The user's own requests, in the session's tenant, even where they administer it ("Mes demandes").
                let reader = TicketReader(userID: signedIn.user.id, adminTenantIDs: signedIn.role == .admin ? [tenant.id] : [])
                let query = TicketQuery(states: TicketState.allCases.filter(\.isOpen), tenantID: tenant.id, contactUserID: signedIn.user.id,
                                        sort: .updated, pageSize: Self.requestsShown)
                let results = try await tickets.service.list(query, for: reader)
                view.requests(results.tickets.filter { $0.contactUserID == signedIn.user.id && $0.tenantID == tenant.id }, total: results.total)
            }
            if let knowledgeBase {
                view.articles = try await knowledgeBase.blocks(request, identity: context.identity, audience: context.audience, pages: pages).blocks.first { $0.id == "kb-recent" }
            }
            return try pages.render(view, template: "home", request: request)
        }
    }

    /// The open incidents and the maintenance running or coming soon that touch the reader's
    /// own services' products; each lists only the products the reader may see.
    private func events(audience: ProductAudience, now: Date) async throws -> HomeView.Events {
        let mine = audience.mine
        guard !mine.isEmpty else { return HomeView.Events(products: [:]) }
        let products = try await store.products().filter(audience.sees)
        let names = Dictionary(products.map { ($0.slug, $0.name) }) { first, _ in first }
        let mineShown = mine.filter { names[$0] != nil }
        let incidents = try await store.unresolvedIncidents().filter { !mineShown.isDisjoint(with: $0.productSlugs) }
        let windows = try await store.maintenances(overlapping: DateInterval(start: now, end: now.addingTimeInterval(Self.maintenanceHorizon)))
            .filter { !mineShown.isDisjoint(with: $0.productSlugs) && $0.status(at: now) != .completed }
        return HomeView.Events(products: names, incidents: incidents.sorted { $0.startedAt > $1.startedAt },
                               maintenances: windows.sorted { $0.start < $1.start }, now: now)
    }
}
