import Foundation
import Hummingbird
import Portal
import StatusModel

/// Builds the router of the whole site; the executable wraps it in an Application. Each
/// controller gets only the dependencies it uses. `routeTable`, when given, is filled with
/// every route and who may enter it (the route-table test reads it).
public func buildRouter<Store: StatusStore>(site: SiteDependencies<Store>, routeTable: RouteTable = RouteTable()) -> Router<StatusRequestContext> {
    // HEAD answers as GET on every GET route (without this, HEAD to any page was a 404).
    let router = Router(context: StatusRequestContext.self, options: .autoGenerateHeadEndpoints)
    let providerOrigins = (site.openIDSignIn?.providers ?? []).compactMap { URL(string: $0.issuer) }
        .compactMap { url in url.host.map { "\(url.scheme ?? "https")://\($0)\(url.port.map { ":\($0)" } ?? "")" } }
    router.add(middleware: SecurityHeadersMiddleware(formTargets: providerOrigins))
    router.add(middleware: ClientAddressMiddleware(trustedProxies: site.trustedProxies))
    router.add(middleware: ErrorPageMiddleware(pages: site.pages, logger: site.logger))
    let pageGroup = router.group()
    if let accounts = site.accounts {
        pageGroup.add(middleware: SessionAuthenticator(accounts: accounts, notifier: site.notifier))
        pageGroup.add(middleware: AudienceMiddleware(services: site.serviceCatalog))
        pageGroup.add(middleware: PageVisitorMiddleware())
        // Again inside the visitor's scope: a signed-in user's 404 or 403 page keeps their menu
        // (the outer one still answers paths no route matches, and errors of the middleware above).
        pageGroup.add(middleware: ErrorPageMiddleware(pages: site.pages, logger: site.logger))
    }
    let apiGroup = router.group("/api/v1").add(middleware: APIv1ErrorMiddleware()).add(middleware: BearerKeyAuthenticator(accounts: site.accounts))
        .add(middleware: AudienceMiddleware(services: site.serviceCatalog))
    let routes = SiteRoutes(pages: pageGroup, api: apiGroup, table: routeTable)

    let pages = site.pages
    let cached = CachedPages(store: site.store, cache: site.cache, calendar: site.calendar, clock: site.clock)
    // The product page's one-click subscribe needs both accounts and status subscriptions.
    let follow = site.accounts == nil ? nil : site.subscriptions.map { ProductFollow(subscriptions: $0, pages: pages) }
    PublicPagesController(store: site.store, pages: pages, cached: cached, assets: site.assets, historyDays: site.historyDays,
                          logger: site.logger, follow: follow).addRoutes(to: routes)
    if let follow { ProductFollowController(store: site.store, follow: follow, clock: site.clock).addRoutes(to: routes) }
    ProbeController(store: site.store, pushChecks: site.pushChecks, metricsText: site.metricsText, clock: site.clock).addRoutes(to: routes)
    StatuspageController(store: site.store, catalog: pages.catalog, calendar: site.calendar, baseURL: site.baseURL, clock: site.clock,
                         cached: cached)
        .addRoutes(to: routes)
    FeedController(store: site.store, pages: pages, cached: cached, baseURL: site.baseURL).addRoutes(to: routes)
    BadgeController(store: site.store, pages: pages, calendar: site.calendar, historyDays: site.historyDays, clock: site.clock)
        .addRoutes(to: routes)

    let api = APIv1Support(store: site.store, calendar: site.calendar, clock: site.clock)
    APIv1DocumentController(accounts: site.accounts).addRoutes(to: routes)
    APIv1ProductsController(support: api, pages: pages, historyDays: site.historyDays).addRoutes(to: routes)
    APIv1IncidentsController(support: api, announcementsChanged: site.announcementsChanged).addRoutes(to: routes)
    APIv1MaintenanceController(support: api, announcementsChanged: site.announcementsChanged).addRoutes(to: routes)
    if let subscriptions = site.subscriptions {
        APIv1SubscriptionsController(support: api, subscriptions: subscriptions, webhookPolicy: site.webhookPolicy).addRoutes(to: routes)
        let subscriptionPages = SubscriptionPages(store: site.store, subscriptions: subscriptions, pages: pages, clock: site.clock)
        SubscriptionController(subscriptionPages: subscriptionPages).addRoutes(to: routes)
        if site.accounts != nil { AccountSubscriptionController(subscriptionPages: subscriptionPages).addRoutes(to: routes) }
    }

    let store = site.store
    let products: @Sendable () async throws -> [Product] = { try await store.products() }
    let services: @Sendable () async throws -> [Service] = { [catalog = site.serviceCatalog] in try await catalog?.activeServices() ?? [] }
    if let knowledgeBase = site.knowledgeBase {
        ArticleSearchController(knowledgeBase: knowledgeBase, pages: pages, calendar: site.calendar, clock: site.clock, products: products)
            .addRoutes(to: routes)
        ArticlePageController(knowledgeBase: knowledgeBase, attachments: site.attachments, pages: pages, calendar: site.calendar, clock: site.clock, products: products)
            .addRoutes(to: routes)
        APIv1ArticlesController(knowledgeBase: knowledgeBase, calendar: site.calendar, clock: site.clock, products: products, services: services)
            .addRoutes(to: routes)
    }

    guard let accounts = site.accounts else { return router }
    let providers = site.openIDSignIn?.providers ?? []
    LoginController(accounts: accounts, pages: pages, providers: providers).addRoutes(to: routes)
    PasswordController(accounts: accounts, pages: pages, providers: providers).addRoutes(to: routes)
    let homeBlocks = site.knowledgeBase.map { KnowledgeBaseLanding(knowledgeBase: $0, calendar: site.calendar, clock: site.clock, products: products) }
    AccountController(accounts: accounts, pages: pages, calendar: site.calendar, signIn: site.openIDSignIn, serviceCatalog: site.serviceCatalog,
                      knowledgeBase: homeBlocks).addRoutes(to: routes)
    HomeController(store: site.store, pages: pages, calendar: site.calendar, clock: site.clock, news: site.news, tickets: site.tickets,
                   knowledgeBase: homeBlocks).addRoutes(to: routes)
    if let activity = site.activity { AccountActivityController(activity: activity, pages: pages, calendar: site.calendar).addRoutes(to: routes) }
    if let notifier = site.notifier { NotificationsController(notifier: notifier, pages: pages, calendar: site.calendar).addRoutes(to: routes) }
    if let signIn = site.openIDSignIn { OpenIDController(signIn: signIn, pages: pages).addRoutes(to: routes) }
    addAdministrationRoutes(site: site, accounts: accounts, to: routes)
    if let tickets = site.tickets, let attachments = site.attachments {
        tickets.addCustomerRoutes(to: routes, site: site, accounts: accounts, attachments: attachments)
    }

    let console = ConsolePages(store: site.store, pages: pages, calendar: site.calendar)
    IncidentConsoleController(console: console, announcementsChanged: site.announcementsChanged, tickets: site.tickets, clock: site.clock).addRoutes(to: routes)
    MaintenanceConsoleController(console: console, announcementsChanged: site.announcementsChanged, clock: site.clock).addRoutes(to: routes)
    ProductConsoleController(console: console, webhookPolicy: site.webhookPolicy, clock: site.clock).addRoutes(to: routes)
    TenantsConsoleController(accounts: accounts, pages: pages).addRoutes(to: routes)
    StaffKeysController(accounts: accounts, pages: pages, calendar: site.calendar).addRoutes(to: routes)
    if let knowledgeBase = site.knowledgeBase {
        ArticleAuthoringController(knowledgeBase: knowledgeBase, attachments: site.attachments, pages: pages, calendar: site.calendar, clock: site.clock, products: products,
                                   services: services).addRoutes(to: routes)
    }
    if let tickets = site.tickets { addStaffTicketRoutes(tickets, accounts: accounts, site: site, to: routes) }
    if let news = site.news { NewsConsoleController(news: news, pages: pages, calendar: site.calendar, clock: site.clock).addRoutes(to: routes) }
    if let outbox = site.outbox { OutboxConsoleController(outbox: outbox, pages: pages, clock: site.clock).addRoutes(to: routes) }
    if let services = site.serviceCatalog {
        ServiceRequestsController(services: services, pages: pages, calendar: site.calendar).addRoutes(to: routes)
        ServiceCatalogConsoleController(services: services, pages: pages, products: products).addRoutes(to: routes)
        AccountServicesController(services: services, pages: pages, calendar: site.calendar).addRoutes(to: routes)
        APIv1ServicesController(services: services, products: products, calendar: site.calendar).addRoutes(to: routes)
    }
    return router
}
