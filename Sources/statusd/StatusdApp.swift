import Curl
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Notify
import Portal
import Probes
import Prometheus
import StatusModel
import StatusWeb

/// The composition root: opens the database, syncs the configured products and wires the
/// web site with the background services.
enum StatusdApp {
    /// The region the embedded worker of `statusd serve` probes from.
    static let defaultRegion = "default"

    /// Every module's tables, in one migrator over one database file.
    static let migrations: [any SQLiteMigrations] = [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()]

    static func openDatabase(config: StatusConfig) throws -> SQLiteDatabase {
        try SQLiteDatabase.open(path: config.databasePath, migrations: migrations)
    }

    static func accounts(config: StatusConfig, database: SQLiteDatabase) -> AccountService {
        AccountService(store: SQLiteAccountStore(database: database), baseURL: config.baseURL, siteName: config.branding.name,
                       activity: activityLog(database: database))
    }

    /// Proposes each resolved incident's message on the tickets linked to it. It needs the ticket
    /// rules but not the request forms: the site's `TicketSite` (with the forms file) shares its store.
    static func ticketIncidentFollower(config: StatusConfig, database: SQLiteDatabase, events: any EventStore,
                                       queued: @escaping @Sendable () -> Void, logger: Logger) -> TicketIncidentFollower {
        let store = SQLiteTicketStore(database: database)
        let service = TicketService(store: store, accounts: SQLiteAccountStore(database: database),
                                    forms: TicketForms(types: [], impacts: [], firstResponseHours: [:]),
                                    baseURL: config.baseURL, siteName: config.branding.name,
                                    activity: activityLog(database: database), notifier: notifier(database: database))
        return TicketIncidentFollower(events: events, tickets: service, cursor: store, queued: queued, logger: logger)
    }

    /// Sign-in with the configured OpenID Connect providers ("Continuer avec Google"), on a curl
    /// loop of its own so a slow provider never holds up probes. For the web layer's
    /// /login/oidc/{id} and /login/oidc/{id}/callback routes.
    static func openIDSignIn(config: StatusConfig, database: SQLiteDatabase, accounts: AccountService) -> OpenIDSignIn {
        OpenIDSignIn(providers: config.signInProviders.map(OpenIDProvider.init), accounts: accounts,
                     store: SQLiteOpenIDStore(database: database), baseURL: config.baseURL)
    }

    static func serviceCatalog(config: StatusConfig, database: SQLiteDatabase) -> ServiceCatalog {
        ServiceCatalog(store: SQLiteServiceStore(database: database), accounts: SQLiteAccountStore(database: database), baseURL: config.baseURL,
                       siteName: config.branding.name, activity: activityLog(database: database), notifier: notifier(database: database))
    }

    /// The knowledge base's import (`statusd kb import`, the demo, the benchmark).
    static func articleImporter(config: StatusConfig, database: SQLiteDatabase, logger: Logger) throws -> ArticleImporter {
        let services = SQLiteServiceStore(database: database)
        return ArticleImporter(store: SQLiteKnowledgeBaseStore(database: database), intake: try attachmentIntake(config: config, logger: logger),
                               categories: config.knowledgeBase.categories) { name in try await services.service(named: name)?.id }
    }

    /// Opens the store and makes the stored products match the config.
    static func openStore(config: StatusConfig, logger: Logger) async throws -> SQLiteStatusStore {
        try await openStore(config: config, database: try openDatabase(config: config), logger: logger)
    }

    static func openStore(config: StatusConfig, database: SQLiteDatabase, logger: Logger) async throws -> SQLiteStatusStore {
        let store = SQLiteStatusStore(database: database, calendar: config.calendar)
        let now = Date()
        try await store.syncProducts(config.products.map { $0.product(now: now) })
        logger.info("database ready", metadata: ["path": "\(config.databasePath)", "products": "\(config.products.count)"])
        return store
    }

    /// The probes of one region: the config file's checks and the console's, followed as operators change them.
    static func probes(config: StatusConfig, store: SQLiteStatusStore, region: String, logger: Logger) -> ProbeSupervisor<SQLiteStatusStore> {
        ProbeSupervisor(configChecks: config.checks, store: store, region: region, logger: logger) { checks, names in
            ProbeWorker(checks: checks, productNames: names, store: store, region: region, curl: CurlMulti(), logger: logger)
        }
    }

    /// Prometheus metrics for the whole process; the product conditions are read at each scrape.
    static func bootstrapMetrics(store: SQLiteStatusStore) -> @Sendable () async -> String {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return {
            if let conditions = try? await store.conditions(now: Date()) {
                for (slug, condition) in conditions {
                    let value: Int = switch condition {
                    case .operational: 0
                    case .maintenance: 1
                    case .degraded: 2
                    case .outage: 3
                    }
                    Gauge(label: "statusd_product_condition", dimensions: [("product", slug)]).record(value)
                }
            }
            return registry.emitToString()
        }
    }

    static func build(config: StatusConfig, logger: Logger) async throws -> some ApplicationProtocol {
        let database = try openDatabase(config: config)
        let store = try await openStore(config: config, database: database, logger: logger)
        let metricsText = bootstrapMetrics(store: store)
        let pushChecks = Dictionary(config.checks.compactMap { check in check.pushToken.map { ($0, check.id) } }) { first, _ in first }
        let mail = try await mailDelivery(config: config, database: database, logger: logger)
        let webhooks = webhookDelivery(config: config, database: database, logger: logger)
        let subscriptions = SubscriptionService(store: SQLiteSubscriptionStore(database: database), baseURL: config.baseURL,
                                                siteName: config.branding.name)
        let announcements = AnnouncementService(events: store, subscriptions: subscriptions, calendar: config.calendar,
                                                queued: { mail.wake(); webhooks.wake() },
                                                // An account's subscription hears of the products its user sees only.
                                                subscriberAudience: serviceCatalog(config: config, database: database)
                                                    .subscriberAudience(accounts: SQLiteAccountStore(database: database)),
                                                logger: logger)
        let accounts = accounts(config: config, database: database)
        let ticketFollower = ticketIncidentFollower(config: config, database: database, events: store, queued: { mail.wake() }, logger: logger)
        let signIn = config.signInProviders.isEmpty ? nil : openIDSignIn(config: config, database: database, accounts: accounts)
        let statusEvents = statusEventFollower(config: config, database: database, store: store, queued: { mail.wake() }, logger: logger)
        let site = try await SiteDependencies(store: store, calendar: config.calendar, historyDays: config.historyDays,
                                              baseURL: config.baseURL, logger: logger, pushChecks: pushChecks, metricsText: metricsText,
                                              accounts: accounts, outbox: SQLiteOutboxStore(database: database), subscriptions: subscriptions,
                                              serviceCatalog: serviceCatalog(config: config, database: database), openIDSignIn: signIn,
                                              knowledgeBase: KnowledgeBaseSite(store: SQLiteKnowledgeBaseStore(database: database),
                                                                               categories: config.knowledgeBase.categories),
                                              tickets: try ticketSite(config: config, database: database, logger: logger),
                                              announcementsChanged: { announcements.wake(); ticketFollower.wake(); statusEvents.wake() }, webhookPolicy: webhookPolicy(config: config),
                                              trustedProxies: config.trustedProxies,
                                              attachments: try attachmentServices(config: config, logger: logger),
                                              news: SQLiteNewsStore(database: database),
                                              branding: config.branding,
                                              notifier: notifier(database: database), activity: activityLog(database: database))
        let retention = RetentionService(store: store, calendar: config.calendar, resultDays: config.retention.resultDays,
                                         historyDays: config.retention.historyDays, logger: logger)
        let worker = probes(config: config, store: store, region: defaultRegion, logger: logger)
        return Application(
            router: buildRouter(site: site),
            // A crowd opening the page at once (an outage) connects faster than accept runs: a
            // backlog as deep as nginx's keeps those connections instead of refusing them.
            configuration: .init(address: .hostname(config.listen.host, port: config.listen.port), serverName: "statusd", backlog: 1024),
            services: [retention, worker, announcements, ticketFollower, statusEvents, webhooks] + mail.services,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.listen.port
                let host = config.listen.host.contains(":") ? "[\(config.listen.host)]" : config.listen.host
                let line = "statusd listening on http://\(host):\(port)"
                logger.notice("\(line)")
                // Also on stdout, unbuffered: scripts and tests read the address from there.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            },
            logger: logger
        )
    }
}
