import Foundation
import Logging
import Notify
import Portal
import StatusModel

/// The demo's content: a dozen products in three families with 25 days of history, a customer
/// account with its users, services and subscriptions. Everything goes through the real store
/// and service APIs, so the day states are those the rules compute.
struct DemoData {
    /// A demo user: how to sign in, printed at the end.
    struct Login: Sendable {
        var role: String
        var email: String
        var password: String
    }

    /// One product of the demo grid; `milliseconds` is its usual response time.
    struct DemoProduct {
        var slug: String
        var name: String
        var family: String
        var milliseconds: Double
    }

    static let families = ["Services en ligne", "Paie et RH", "Comptabilité et ERP"]

    /// Products only the customers of a service covering them see: "Cegid Temps et Activités"
    /// comes with the "Yourcegid Paie" service, so the demo shows it under "Mes services" to the
    /// member whose request for it is accepted, and to nobody outside the customer account. (Not
    /// the paie itself: its incident is the public pages' showcase.)
    static let privateProducts: Set<String> = ["cegid-temps-activites"]

    static let products: [DemoProduct] = [
        .init(slug: "cegid-loop", name: "Cegid Loop", family: families[0], milliseconds: 180),
        .init(slug: "cegid-stream", name: "Cegid Stream", family: families[0], milliseconds: 240),
        .init(slug: "cegid-flow", name: "Cegid Flow", family: families[0], milliseconds: 150),
        .init(slug: "cegid-notilus", name: "Cegid Notilus", family: families[0], milliseconds: 210),
        .init(slug: "cegid-retail-y2", name: "Cegid Retail Y2", family: families[0], milliseconds: 320),
        .init(slug: "yourcegid-paie", name: "Yourcegid Paie", family: families[1], milliseconds: 260),
        .init(slug: "cegid-talent", name: "Cegid Talent", family: families[1], milliseconds: 190),
        .init(slug: "cegid-hr-ultimate", name: "Cegid HR Ultimate", family: families[1], milliseconds: 230),
        .init(slug: "cegid-temps-activites", name: "Cegid Temps et Activités", family: families[1], milliseconds: 170),
        .init(slug: "xrp-flex", name: "XRP Flex", family: families[2], milliseconds: 280),
        .init(slug: "xrp-sprint", name: "XRP Sprint", family: families[2], milliseconds: 200),
        .init(slug: "cegid-quadra", name: "Cegid Quadra", family: families[2], milliseconds: 310),
    ]

    /// Every demo password passes the portal's policy (length, cases, digit, special).
    static let logins = [
        Login(role: "operator (console)", email: "operateur@demo.example", password: "Demo-Operateur-2026"),
        Login(role: "customer administrator", email: "admin@demo.example", password: "Demo-Admin-2026"),
        Login(role: "customer member", email: "camille.martin@demo.example", password: "Demo-Membre-2026"),
        Login(role: "customer member", email: "lucas.bernard@demo.example", password: "Demo-Membre-2026"),
    ]

    let store: SQLiteStatusStore
    let database: SQLiteDatabase
    let config: StatusConfig
    let now: Date
    let logger: Logger

    private var calendar: DayCalendar { config.calendar }

    /// The local day `daysAgo` before today, at `hour`:`minute` local time.
    private func at(daysAgo: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        let day = calendar.adding(-daysAgo, to: calendar.day(containing: now))
        return calendar.interval(of: day).start.addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
    }

    /// Writes everything; returns the sign-in lines.
    func write() async throws {
        let firstDay = calendar.adding(-(config.historyDays - 1), to: calendar.day(containing: now))
        let since = calendar.interval(of: firstDay).start
        for (position, product) in Self.products.enumerated() {
            // Console products: `statusd serve` syncs the config's products and keeps these.
            try await store.saveConsoleProduct(Product(slug: product.slug, name: product.name, family: product.family,
                                                       position: 100 + position,
                                                       visibility: Self.privateProducts.contains(product.slug) ? .private : .public,
                                                       monitoredSince: since, origin: .console))
        }
        try await writeResults(since: since)
        try await writeHistory()
        try await announceHistory()
        try await writeAccounts()
        try await writeArticles()
        try await writeTickets()
        try await writeNews()
    }

    /// The knowledge base's demo articles (config/kb, beside the config file), through the real
    /// import; after the accounts, whose services some articles are restricted to.
    private func writeArticles() async throws {
        let beside = URL(fileURLWithPath: config.file).deletingLastPathComponent().appendingPathComponent("kb")
        let folder = [beside, URL(fileURLWithPath: "config/kb")].first { FileManager.default.fileExists(atPath: $0.path) }
        guard let folder else { return }
        let report = try await StatusdApp.articleImporter(config: config, database: database, logger: logger).importFolder(folder, at: now)
        for rejection in report.rejected {
            logger.warning("demo article refused", metadata: ["file": "\(rejection.file)", "reason": "\(rejection.reason)"])
        }
        logger.info("demo articles imported", metadata: ["articles": "\(report.changed)", "folder": "\(folder.path)"])
    }

    /// Hourly probe results (for the response-time charts), slower on the degraded day.
    private func writeResults(since: Date) async throws {
        let hours = Int(now.timeIntervalSince(since) / 3600)
        let slowStart = at(daysAgo: 7, 9, 10), slowEnd = at(daysAgo: 7, 10, 40)
        for (index, product) in Self.products.enumerated() {
            var results: [CheckResult] = []
            for hour in 0..<hours {
                let time = since.addingTimeInterval(TimeInterval(hour * 3600 + 60 * index))
                guard time < now else { break }
                let wave = Double((hour * 7 + index * 13) % 17) / 17 // a steady jitter, the same on every run
                let slow = product.slug == "xrp-flex" && time >= slowStart && time < slowEnd
                results.append(CheckResult(checkID: "\(product.slug)/https", productSlug: product.slug, time: time,
                                           outcome: slow ? .degraded : .up,
                                           durationMilliseconds: slow ? 2_600 + 400 * wave : product.milliseconds * (0.8 + 0.5 * wave)))
            }
            try await store.record(results)
        }
    }

    /// A maintenance, a degraded day, an incident with its timeline, a day with several
    /// problems, an upcoming maintenance; every other day is ok.
    private func writeHistory() async throws {
        try await store.save(Maintenance(
            id: "demo-maintenance-platform", title: "Mise à jour de la plateforme",
            message: "Installation de la version 2026.11 : le service est interrompu pendant l'opération.",
            productSlugs: ["cegid-loop", "cegid-flow"], start: at(daysAgo: 4, 20), end: at(daysAgo: 4, 23)))

        try await store.openEpisode(Episode(productSlug: "xrp-flex", condition: .degraded, cause: .probe,
                                            source: "xrp-flex/https", start: at(daysAgo: 7, 9, 10)))
        try await store.closeEpisode(productSlug: "xrp-flex", cause: .probe, source: "xrp-flex/https", at: at(daysAgo: 7, 10, 40))

        try await store.save(Incident(
            id: "demo-incident-paie", title: "Calcul des bulletins indisponible", impact: .major,
            productSlugs: ["yourcegid-paie"], startedAt: at(daysAgo: 12, 8, 30), resolvedAt: at(daysAgo: 12, 11),
            updates: [
                .init(status: .investigating, message: "Le calcul des bulletins échoue pour une partie des clients. Nous recherchons la cause.",
                      at: at(daysAgo: 12, 8, 30)),
                .init(status: .identified, message: "Un serveur de calcul saturé refuse les demandes ; il est remplacé.",
                      at: at(daysAgo: 12, 9, 5)),
                .init(status: .monitoring, message: "Le calcul fonctionne de nouveau ; nous surveillons les temps de réponse.",
                      at: at(daysAgo: 12, 10, 20)),
                .init(status: .resolved, message: "L'incident est clos : tous les bulletins en attente ont été calculés.",
                      at: at(daysAgo: 12, 11)),
            ]))

        // Several problems on one day: a night maintenance, then slowness in the afternoon.
        try await store.save(Maintenance(
            id: "demo-maintenance-stream", title: "Maintenance de la base de données",
            message: "Migration des bases de données vers de nouveaux serveurs.",
            productSlugs: ["cegid-stream"], start: at(daysAgo: 16, 6), end: at(daysAgo: 16, 7)))
        try await store.save(Incident(
            id: "demo-incident-stream", title: "Lenteurs à l'ouverture des dossiers", impact: .minor,
            productSlugs: ["cegid-stream"], startedAt: at(daysAgo: 16, 14), resolvedAt: at(daysAgo: 16, 15, 30),
            updates: [
                .init(status: .investigating, message: "L'ouverture des dossiers est lente.", at: at(daysAgo: 16, 14)),
                .init(status: .resolved, message: "Les temps de réponse sont revenus à la normale.", at: at(daysAgo: 16, 15, 30)),
            ]))

        try await store.save(Incident(
            id: "demo-incident-talent", title: "Envoi des notifications retardé", impact: .minor,
            productSlugs: ["cegid-talent"], startedAt: at(daysAgo: 20, 10), resolvedAt: at(daysAgo: 20, 12),
            updates: [
                .init(status: .investigating, message: "Les notifications partent avec du retard.", at: at(daysAgo: 20, 10)),
                .init(status: .resolved, message: "Les notifications en attente sont parties.", at: at(daysAgo: 20, 12)),
            ]))

        try await store.save(Maintenance(
            id: "demo-maintenance-quadra", title: "Changement de version de Cegid Quadra",
            message: "Passage à la version 2027 : le service sera indisponible pendant deux heures.",
            productSlugs: ["cegid-quadra"], start: at(daysAgo: -3, 21), end: at(daysAgo: -3, 23)))
    }

    /// Saving the history journalled its events: they are announced now, before anyone
    /// follows, so `statusd serve` does not mail 25 days of old news.
    private func announceHistory() async throws {
        let announcements = AnnouncementService(events: store, subscriptions: subscriptions, calendar: calendar, logger: logger)
        while try await announcements.announcePending() > 0 {}
    }

    private var subscriptions: SubscriptionService {
        SubscriptionService(store: SQLiteSubscriptionStore(database: database), baseURL: config.baseURL)
    }

    /// An operator, a customer account with its administrator and two members, services and
    /// their subscriptions, status subscriptions.
    private func writeAccounts() async throws {
        let accounts = StatusdApp.accounts(config: config, database: database)
        let accountStore = SQLiteAccountStore(database: database)
        let operatorLogin = Self.logins[0], adminLogin = Self.logins[1], members = Array(Self.logins[2...])

        let operatorLink = try await accounts.createStaffUser(email: operatorLogin.email, role: .operator_)
        let staff = try await activate(accounts, link: operatorLink, login: operatorLogin, firstName: "Claire", lastName: "Opérat")

        let (tenant, outcome) = try await accounts.createTenant(
            Tenant(code: "90266482", name: "Boulangeries Martin SAS", address: "12 rue de la République, 69002 Lyon"),
            firstAdmin: adminLogin.email, language: "fr", invitedBy: Inviter(name: "Démo statusd"))
        guard case .invited(let adminLink) = outcome else { throw DemoError("the demo administrator already had an account") }
        let admin = try await activate(accounts, link: adminLink, login: adminLogin, firstName: "Sophie", lastName: "Martin")

        _ = try await accounts.invite(members.map(\.email).joined(separator: ", "), tenantID: tenant.id, role: .member,
                                      language: "fr", invitedBy: Inviter(admin))
        var memberUsers: [User] = []
        for (login, name) in zip(members, [("Camille", "Martin"), ("Lucas", "Bernard")]) {
            // The invitation mailed its link; the demo issues its own, to activate the account here.
            guard let invited = try await accountStore.user(email: login.email) else { throw DemoError("\(login.email) was not invited") }
            let token = Secrets.token()
            try await accountStore.issueToken(userID: invited.id, purpose: .activation, tokenHash: Secrets.hash(token),
                                              expiresAt: now.addingTimeInterval(3600),
                                              mail: Mail(to: login.email, subject: "Démo statusd", text: "Compte de démonstration.", language: "fr"),
                                              now: now)
            memberUsers.append(try await accounts.activate(token: token, form: .init(firstName: name.0, lastName: name.1, phone: "04 72 00 00 00",
                                                                                       password: login.password, confirmation: login.password)))
        }

        let catalog = StatusdApp.serviceCatalog(config: config, database: database)
        var services: [Portal.Service] = []
        // The seed's services marked "Disponible" (the portal, the mail preference) need no
        // validation: a request is accepted at once. Each service opens the products it names.
        for (name, family, description, products, needsValidation) in [
            ("Accès au portail", "Services en ligne", "Le portail client : tickets, base de connaissances, abonnements.",
             ["cegid-loop", "cegid-flow"], false),
            ("Cegid Stream", "Services en ligne", "Accès à Cegid Stream pour vos collaborateurs.", ["cegid-stream"], true),
            ("Yourcegid Paie", "Paie et RH", "La paie en ligne.", ["yourcegid-paie", "cegid-temps-activites"], true),
            ("Préférence de communication", "Préférence", "Recevoir les informations produits par mail.", [String](), false),
        ] {
            services.append(try await catalog.createService(.init(name: name, family: family, description: description, productSlugs: products,
                                                                  needsValidation: needsValidation), by: staff))
        }
        // "Accès au portail" needs no validation: accepted at once.
        _ = try await catalog.request(serviceID: services[0].id, by: memberUsers[0], tenantID: tenant.id)
        let acceptedPaie = try await catalog.request(serviceID: services[2].id, by: memberUsers[1], tenantID: tenant.id)
        try await catalog.decide(.accept, subscriptionID: acceptedPaie.id, by: admin, tenantID: tenant.id)
        _ = try await catalog.request(serviceID: services[1].id, by: memberUsers[0], tenantID: tenant.id)
        _ = try await catalog.request(serviceID: services[3].id, by: memberUsers[1], tenantID: tenant.id)
        let refused = try await catalog.request(serviceID: services[1].id, by: memberUsers[1], tenantID: tenant.id)
        try await catalog.decide(.refuse, subscriptionID: refused.id, reason: "Licences Cegid Stream épuisées pour cette année.", by: admin,
                                 tenantID: tenant.id)

        let subscriptions = self.subscriptions
        _ = try await subscriptions.subscribeUser(userID: admin.id, email: admin.email, language: "fr",
                                                  productSlugs: Self.products.map(\.slug), now: now)
        _ = try await subscriptions.subscribeUser(userID: memberUsers[1].id, email: memberUsers[1].email, language: "fr",
                                                  productSlugs: ["yourcegid-paie", "cegid-talent"], now: now)
        try await subscriptions.request(email: "abonne@demo.example", language: "fr", productSlugs: ["cegid-loop"], now: now)

        // The accounts' mails (activations, invitations, decisions) went to demo addresses:
        // marked sent so that a configured mail server never receives them.
        let outbox = SQLiteOutboxStore(database: database)
        while true {
            let queued = try await outbox.claimDue(now: now.addingTimeInterval(1), limit: 100, leaseUntil: now.addingTimeInterval(3600),
                                                   messageIDDomain: "demo.example")
            guard !queued.isEmpty else { break }
            try await outbox.markSent(ids: queued.map(\.id), at: now)
        }
    }

    private func activate(_ accounts: AccountService, link: String?, login: Login, firstName: String, lastName: String) async throws -> User {
        guard let token = link?.split(separator: "/").last.map(String.init) else { throw DemoError("\(login.email) already has an account") }
        return try await accounts.activate(token: token, form: .init(firstName: firstName, lastName: lastName, phone: "04 72 00 00 00",
                                                                    password: login.password, confirmation: login.password))
    }
}

/// The demo could not be written; the sentence says why.
struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
