import Foundation
import Logging
import Notify
import Portal
import StatusModel

/// Everything the executable hands the web layer. `buildRouter` gives each controller only
/// the parts it uses; nothing here serves a route.
public struct SiteDependencies<Store: StatusStore>: Sendable {
    public let store: Store
    public let calendar: DayCalendar
    public let historyDays: Int
    /// Cookies get `Secure` when the site is served over https.
    public let secureCookies: Bool
    /// The public address, for links in API answers.
    let baseURL: String
    public let clock: @Sendable () -> Date
    /// Push checks by their secret token: token → check id.
    let pushChecks: [String: String]
    /// The Prometheus text exposition, when the executable set metrics up.
    let metricsText: (@Sendable () async -> String)?
    /// The customer portal's accounts; nil serves the status pages only.
    let accounts: AccountService?
    /// The mail outbox, for the operators' view of pending and dead-lettered mail.
    let outbox: (any OutboxStore)?
    /// Status subscriptions; nil serves no subscription pages.
    let subscriptions: SubscriptionService?
    /// Sign-in with OpenID Connect providers; nil shows no "Continuer avec …".
    let openIDSignIn: OpenIDSignIn?
    /// The portal's service catalog and service subscriptions; nil serves no service pages.
    let serviceCatalog: ServiceCatalog?
    /// The knowledge base (articles, attachments, categories); nil serves no `/kb` pages.
    let knowledgeBase: KnowledgeBaseSite?
    /// Support requests (forms, tickets, the agents' queue); nil serves no `/help` or `/requests` pages.
    let tickets: TicketSite?
    /// Called after an operator's change: subscribers hear of it at once, not at the next poll.
    let announcementsChanged: @Sendable () -> Void
    /// Which webhook addresses subscribers may register (public ones only, unless the config says otherwise).
    let webhookPolicy: WebhookTargetPolicy
    /// Peers whose `X-Forwarded-For` names the client (login throttling).
    let trustedProxies: Set<String>
    /// Article and ticket attachments (uploads, the intake, downloads); nil serves no attachment routes.
    let attachments: AttachmentServices?
    /// The bell: notifications, their unread count on every signed-in page, the choices per kind; nil serves no `/notifications`.
    let notifier: Notifier?
    /// The users' own trail; nil serves no "Activités" tab.
    let activity: ActivityLog?
    /// The operators' news on the customers' home page; nil serves no `/staff/news` and no news on `/home`.
    let news: (any NewsStore)?
    let pages: Pages
    let assets: StaticAssets
    let cache = PageCache()
    let logger: Logger

    public init(
        store: Store, calendar: DayCalendar, historyDays: Int, baseURL: String,
        logger: Logger, pushChecks: [String: String] = [:],
        metricsText: (@Sendable () async -> String)? = nil,
        accounts: AccountService? = nil,
        outbox: (any OutboxStore)? = nil,
        subscriptions: SubscriptionService? = nil,
        serviceCatalog: ServiceCatalog? = nil,
        openIDSignIn: OpenIDSignIn? = nil,
        knowledgeBase: KnowledgeBaseSite? = nil,
        tickets: TicketSite? = nil,
        announcementsChanged: @escaping @Sendable () -> Void = {},
        webhookPolicy: WebhookTargetPolicy = WebhookTargetPolicy(),
        trustedProxies: [String] = [],
        attachments: AttachmentServices? = nil,
        news: (any NewsStore)? = nil,
        branding: StatusConfig.Branding = StatusConfig.Branding(),
        clock: @escaping @Sendable () -> Date = { Date() },
        notifier: Notifier? = nil,
        activity: ActivityLog? = nil
    ) async throws {
        self.notifier = notifier
        self.activity = activity
        self.accounts = accounts
        self.outbox = outbox
        self.subscriptions = subscriptions
        self.serviceCatalog = serviceCatalog
        self.openIDSignIn = openIDSignIn
        self.knowledgeBase = knowledgeBase
        self.tickets = tickets
        self.announcementsChanged = announcementsChanged
        self.webhookPolicy = webhookPolicy
        self.pushChecks = pushChecks
        self.metricsText = metricsText
        self.store = store
        let secureCookies = baseURL.lowercased().hasPrefix("https://")
        self.secureCookies = secureCookies
        self.calendar = calendar
        self.historyDays = historyDays
        self.baseURL = baseURL
        self.clock = clock
        self.logger = logger
        self.trustedProxies = Set(trustedProxies)
        self.attachments = attachments
        self.news = news
        var brand = SiteBrand(branding)
        brand.servesKnowledgeBase = knowledgeBase != nil
        brand.servesTickets = tickets != nil
        brand.servesNews = news != nil && accounts != nil
        self.pages = Pages(catalog: try MessageCatalog.bundled().branded(brand), renderer: try await PageRenderer.bundled(),
                           secureCookies: secureCookies)
        self.assets = try StaticAssets.bundled(brand: brand)
    }

    /// How many pages were rendered rather than served from the cache (for tests and metrics).
    public func renderCount() async -> Int { await cache.renders }
}
