import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Notify
import Portal
import StatusModel
import StatusWeb
import Testing

/// A site on an in-memory store with a fixed clock: 2026-11-20 12:00 in Paris.
struct SiteFixture {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let calendar = DayCalendar(timeZone: paris)
    static let today = LocalDay(year: 2026, month: 11, day: 20)
    static let now = calendar.interval(of: today).start.addingTimeInterval(12 * 3600)
    static let longAgo = calendar.interval(of: LocalDay(year: 2026, month: 1, day: 1)).start

    let store: SQLiteStatusStore
    let site: SiteDependencies<SQLiteStatusStore>

    init(historyDays: Int = 25, baseURL: String = "http://127.0.0.1:8080") async throws {
        let database = try SQLiteDatabase.inMemory(migrations: [StatusModelMigrations()])
        store = SQLiteStatusStore(database: database, calendar: Self.calendar)
        try await store.syncProducts([
            Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: Self.longAgo),
            Product(slug: "stream", name: "Cegid Stream", family: "Finance", position: 2, monitoredSince: Self.longAgo),
            Product(slug: "xrp", name: "XRP Flex", family: "Gestion", position: 3, monitoredSince: Self.longAgo, hasChecks: false),
            Product(slug: "secret", name: "Secret Beta", family: "Gestion", position: 4, visibility: .hidden, monitoredSince: Self.longAgo),
        ])
        site = try await SiteDependencies(store: store, calendar: Self.calendar, historyDays: historyDays, baseURL: baseURL,
                                    logger: Logger(label: "test"), pushChecks: ["tok-0123456789abcdef": "loop/heartbeat"],
                                    clock: { SiteFixture.now })
    }

    func day(_ offset: Int) -> LocalDay { Self.calendar.adding(offset, to: Self.today) }

    func noon(_ offset: Int) -> Date { Self.calendar.interval(of: day(offset)).start.addingTimeInterval(12 * 3600) }

    /// Marks every one of the last `days` days observed for the products with checks.
    func observeEveryDay(_ days: Int = 25) async throws {
        var results: [CheckResult] = []
        for offset in -(days - 1)...0 {
            for slug in ["loop", "stream", "secret"] {
                results.append(CheckResult(checkID: "\(slug)/http", productSlug: slug, time: noon(offset).addingTimeInterval(-3600), outcome: .up))
            }
        }
        try await store.record(results)
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: buildRouter(site: site))
        try await app.test(.router, body)
    }
}

extension String {
    /// The number of times `needle` occurs.
    func occurrences(of needle: String) -> Int { components(separatedBy: needle).count - 1 }
}

/// A clock the tests move: the site, the subscriptions and the announcements read it.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// The same products and clock as `SiteFixture`, with the portal (accounts and sessions), the
/// outbox and status subscriptions over one SQLite database: an operator, an agent, and a
/// tenant's administrator and member, each logged in.
struct PortalSiteFixture {
    typealias Login = (user: User, session: String, csrf: String)
    /// Not the address the tests' requests are made to: links in mails must use this one.
    static let baseURL = "https://status.example.test"

    let database: SQLiteDatabase
    let store: SQLiteStatusStore
    let accountStore: SQLiteAccountStore
    let accounts: AccountService
    let outbox: SQLiteOutboxStore
    let subscriptionStore: SQLiteSubscriptionStore
    let subscriptions: SubscriptionService
    let serviceCatalog: ServiceCatalog
    let clock: TestClock
    /// The knowledge base on the same database, with its blobs in a folder of its own.
    let knowledgeBase: KnowledgeBaseSite
    let attachments: AttachmentServices
    let site: SiteDependencies<SQLiteStatusStore>
    let operatorLogin: Login, agent: Login, admin: Login, member: Login

    init() async throws {
        let database = try SQLiteDatabase.inMemory(migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()])
        self.database = database
        store = SQLiteStatusStore(database: database, calendar: SiteFixture.calendar)
        try await store.syncProducts([
            Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: SiteFixture.longAgo),
            Product(slug: "stream", name: "Cegid Stream", family: "Finance", position: 2, monitoredSince: SiteFixture.longAgo),
            Product(slug: "xrp", name: "XRP Flex", family: "Gestion", position: 3, monitoredSince: SiteFixture.longAgo, hasChecks: false),
            Product(slug: "secret", name: "Secret Beta", family: "Gestion", position: 4, visibility: .hidden, monitoredSince: SiteFixture.longAgo),
        ])
        let accountStore = SQLiteAccountStore(database: database)
        let accounts = AccountService(store: accountStore, baseURL: Self.baseURL, bcryptCost: 4)
        self.accountStore = accountStore
        self.accounts = accounts
        outbox = SQLiteOutboxStore(database: database)
        subscriptionStore = SQLiteSubscriptionStore(database: database)
        subscriptions = SubscriptionService(store: subscriptionStore, baseURL: Self.baseURL)
        let serviceCatalog = ServiceCatalog(store: SQLiteServiceStore(database: database), accounts: accountStore, baseURL: Self.baseURL)
        self.serviceCatalog = serviceCatalog
        let clock = TestClock(SiteFixture.now)
        self.clock = clock
        let (knowledgeBase, attachments) = try await TestKnowledgeBase.make(database: database)
        self.knowledgeBase = knowledgeBase
        self.attachments = attachments
        site = try await SiteDependencies(store: store, calendar: SiteFixture.calendar, historyDays: 25, baseURL: Self.baseURL,
                                          logger: Logger(label: "test"), pushChecks: ["tok-0123456789abcdef": "loop/heartbeat"],
                                          metricsText: { "# metrics\n" }, accounts: accounts, outbox: outbox, subscriptions: subscriptions,
                                          serviceCatalog: serviceCatalog, knowledgeBase: knowledgeBase,
                                          tickets: TicketSite(service: TicketService(store: SQLiteTicketStore(database: database), accounts: accountStore,
                                                                                     forms: try TicketFormsReader.load(file: TicketsFixture.formsFile),
                                                                                     baseURL: Self.baseURL, clock: { clock.now })),
                                          attachments: attachments, news: SQLiteNewsStore(database: database), clock: { clock.now },
                                          // The bell and the trail, as statusd wires them (their routes are in the route table then).
                                          notifier: Notifier(store: SQLiteNotificationStore(database: database)),
                                          activity: ActivityLog(store: SQLiteActivityStore(database: database)))

        let tenant = try await accountStore.createTenant(Tenant(code: "1000", name: "Client A"))
        func login(_ email: String) async throws -> Login {
            // One client address per user: logins are throttled per address.
            guard case .success(let id, _, _) = try await accounts.login(email: email, password: "Secret#2026", clientAddress: email) else {
                throw SupportError("login failed for \(email)")
            }
            let found = try #require(try await accounts.session(id: id))
            return (found.user, id, found.session.csrfToken)
        }
        func customer(_ email: String, _ role: Membership.Role) async throws -> Login {
            _ = try await accounts.invite(email, tenantID: tenant.id, role: role, language: "fr", invitedBy: Inviter(name: "Test", email: "test@vendor.fr"))
            let user = try #require(try await accountStore.user(email: email))
            let token = Secrets.token()
            try await accountStore.issueToken(userID: user.id, purpose: .activation, tokenHash: Secrets.hash(token), expiresAt: Date().addingTimeInterval(3600),
                                              mail: Mail(to: email, subject: "s", text: "t", language: "fr"), now: Date())
            _ = try await accounts.activate(token: token, form: .init(firstName: "F", lastName: "L", phone: "1", password: "Secret#2026", confirmation: "Secret#2026"))
            return try await login(email)
        }
        func staff(_ email: String, _ role: User.StaffRole) async throws -> Login {
            let link = try #require(try await accounts.createStaffUser(email: email, role: role))
            _ = try await accounts.activate(token: String(link.split(separator: "/").last ?? ""),
                                            form: .init(firstName: "O", lastName: "P", phone: "1", password: "Secret#2026", confirmation: "Secret#2026"))
            return try await login(email)
        }
        operatorLogin = try await staff("ops@vendor.fr", .operator_)
        agent = try await staff("agent@vendor.fr", .agent)
        admin = try await customer("admin@client.fr", .admin)
        member = try await customer("member@client.fr", .member)
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: buildRouter(site: site)).test(.router, body)
    }

    /// Every mail in the outbox, oldest first.
    func mails() async throws -> [Mail] {
        let total = try await outbox.countsByState().values.reduce(0, +)
        var found: [Mail] = []
        for id in 1...Int64(max(total, 1)) {
            if let message = try await outbox.message(id: id) { found.append(message.mail) }
        }
        return found
    }

    func mails(to address: String) async throws -> [Mail] {
        try await mails().filter { $0.to == address }
    }

    /// A confirmed follower, as if it had clicked the link of its mail.
    @discardableResult
    func follower(_ address: String, language: String, products: [String]) async throws -> StatusSubscription {
        try await subscriptions.request(email: address, language: language, productSlugs: products, now: clock.now)
        let link = try #require(try await mails(to: address).last.flatMap { Self.link(in: $0.text, after: "/subscriptions/confirm/") })
        return try #require(try await subscriptions.confirm(token: String(link.split(separator: "/").last ?? ""), now: clock.now))
    }

    /// The first link of `text` whose path starts with `prefix`, without its query (mails add
    /// `?lang=`, the reader's language).
    static func link(in text: String, after prefix: String) -> String? {
        text.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.contains(prefix) }
            .map { String($0.split(separator: "?").first ?? "") }
    }
}

/// An url-encoded form request, with the cookies given and English pages.
func formRequest(session: String? = nil, cookies: [String] = [], _ body: String) -> (HTTPFields, ByteBuffer) {
    var headers = HTTPFields()
    let all = (session.map { ["sid=\($0)"] } ?? []) + cookies
    if !all.isEmpty { headers[.cookie] = all.joined(separator: "; ") }
    headers[.contentType] = "application/x-www-form-urlencoded"
    headers[.acceptLanguage] = "en"
    return (headers, ByteBuffer(string: body))
}

/// Headers of a page request, with the cookies given and English pages.
func pageHeaders(session: String? = nil, cookies: [String] = []) -> HTTPFields {
    var headers = HTTPFields()
    let all = (session.map { ["sid=\($0)"] } ?? []) + cookies
    if !all.isEmpty { headers[.cookie] = all.joined(separator: "; ") }
    headers[.acceptLanguage] = "en"
    return headers
}

/// The value of a form field as the percent-encoded body carries it.
func urlEncoded(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
}

extension String {
    /// Whether the first field error after the element `id="field"` says `message`, with no other
    /// field in between: the error is shown next to its field.
    func showsError(_ message: String, nextTo field: String) -> Bool {
        guard let input = range(of: "id=\"\(field)\"") else { return false }
        let rest = self[input.upperBound...]
        guard let error = rest.range(of: "<p class=\"field-error\">") else { return false }
        let between = rest[..<error.lowerBound]
        guard !between.contains("<label") || field == "products" else { return false }
        return rest[error.upperBound...].hasPrefix(message + "</p>")
    }

    /// The value typed into a field (an input's value or a text area's text), as the page shows it back.
    func keeps(_ value: String, in field: String) -> Bool {
        guard let input = range(of: "id=\"\(field)\"") else { return false }
        let rest = self[input.upperBound...]
        guard let end = rest.firstIndex(of: ">") else { return false }
        return rest[..<end].contains("value=\"\(value)\"") || rest[end...].hasPrefix(">\(value)</textarea>")
    }
}
