import Foundation
import Notify
import StatusModel
import Testing

/// Subscriptions and the fan-out of status events to the outbox, on one SQLite file as in production.
@Suite struct AnnouncementTests {
    let clock = TestClock()
    let base = "https://status.example.com"

    struct World {
        let status: SQLiteStatusStore
        let subscriptions: SubscriptionService
        let outbox: SQLiteOutboxStore
        let folder: URL
    }

    func world() async throws -> World {
        let (database, folder) = try Fixture.fileDatabase()
        let status = SQLiteStatusStore(database: database, calendar: DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!))
        try await status.syncProducts([
            Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: clock.now),
            Product(slug: "stream", name: "Cegid Stream", family: "Media", position: 2, monitoredSince: clock.now),
            Product(slug: "secret", name: "Interne", family: "Interne", position: 3, visibility: .hidden, monitoredSince: clock.now),
        ])
        return World(status: status, subscriptions: SubscriptionService(store: SQLiteSubscriptionStore(database: database), baseURL: base),
                     outbox: SQLiteOutboxStore(database: database), folder: folder)
    }

    func announcer(_ world: World) -> AnnouncementService {
        AnnouncementService(events: world.status, subscriptions: world.subscriptions, calendar: DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!),
                            now: { [clock] in clock.now }, logger: Fixture.logger)
    }

    /// Every queued mail, oldest first.
    func queued(_ world: World) async throws -> [Mail] {
        try await world.outbox.claimDue(now: clock.now.addingTimeInterval(1), limit: 10_000, leaseUntil: clock.now.addingTimeInterval(60),
                                        messageIDDomain: "example.com").map(\.mail)
    }

    func confirmationToken(_ mail: Mail) throws -> String {
        let range = try #require(mail.text.range(of: "\(base)/subscriptions/confirm/"))
        // The token ends at the link's query (`?lang=`, the reader's language).
        return String(mail.text[range.upperBound...].prefix { !$0.isWhitespace && $0 != "?" })
    }

    @Test func eachFollowerGetsEachEventOnceInTheirLanguage() async throws {
        let world = try await world()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        // Anne follows everything in French, Bob follows Stream only in English, Carl never confirms.
        try await world.subscriptions.request(email: "Anne@Example.org", language: "fr", productSlugs: [], now: clock.now)
        try await world.subscriptions.request(email: "bob@example.org", language: "en", productSlugs: ["stream"], now: clock.now)
        try await world.subscriptions.request(email: "carl@example.org", language: "fr", productSlugs: [], now: clock.now)
        let confirmations = try await queued(world)
        #expect(confirmations.map(\.to) == ["anne@example.org", "bob@example.org", "carl@example.org"])
        for mail in confirmations.prefix(2) {
            #expect(try await world.subscriptions.confirm(token: try confirmationToken(mail), now: clock.now) != nil)
        }

        var incident = Incident(id: "i1", title: "Lenteurs <script>x</script>", impact: .minor, productSlugs: ["loop"], startedAt: clock.now)
        incident.post(.init(status: .investigating, message: "On regarde.", at: clock.now))
        try await world.status.save(incident)
        var both = Incident(id: "i2", title: "Réseau", impact: .major, productSlugs: ["loop", "stream"], startedAt: clock.now)
        both.post(.init(status: .identified, message: "Coupure réseau.", at: clock.now))
        try await world.status.save(both)
        var hidden = Incident(id: "i3", title: "Interne", impact: .major, productSlugs: ["secret"], startedAt: clock.now)
        hidden.post(.init(status: .investigating, message: "Rien à voir.", at: clock.now))
        try await world.status.save(hidden)

        // Two announcers at once, as two statusd processes would run them: still once each.
        async let first = announcer(world).announcePending()
        async let second = announcer(world).announcePending()
        _ = try await (first, second)
        _ = try await announcer(world).announcePending()

        let mails = try await queued(world)
        #expect(mails.map(\.to).sorted() == ["anne@example.org", "anne@example.org", "bob@example.org"])
        let anne = mails.filter { $0.to == "anne@example.org" }
        #expect(anne.map(\.subject) == ["[Incident] Lenteurs <script>x</script> · statusd", "[Incident] Réseau · statusd"])
        #expect(anne.allSatisfy { $0.language == "fr" && $0.text.contains("Statut : ") })
        #expect(anne[0].html?.contains("<script>") == false && anne[0].html?.contains("&lt;script&gt;") == true)
        let bob = try #require(mails.first { $0.to == "bob@example.org" })
        #expect(bob.language == "en" && bob.text.contains("Products: Cegid Loop, Cegid Stream") && bob.text.contains("identified"))
        // Every update carries its one-click unsubscribe (RFC 8058), on the configured base URL.
        for mail in mails {
            let unsubscribe = try #require(mail.headers["List-Unsubscribe"])
            // The link opens in the follower's language.
            let suffix = "/unsubscribe?lang=\(mail.language)>"
            #expect(unsubscribe.hasPrefix("<\(base)/subscriptions/") && unsubscribe.hasSuffix(suffix))
            #expect(mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
            let token = String(unsubscribe.dropFirst("<\(base)/subscriptions/".count).dropLast(suffix.count))
            #expect(try await world.subscriptions.subscription(manageToken: token)?.address == mail.to)
        }
    }

    @Test func aConfirmationLinkLasts48HoursAndAForgedSettingsLinkOpensNothing() async throws {
        let world = try await world()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        try await world.subscriptions.request(email: "late@example.org", language: "fr", productSlugs: ["loop"], now: clock.now)
        let token = try confirmationToken(try #require(try await queued(world).first))
        #expect(try await world.subscriptions.confirm(token: token, now: clock.now.addingTimeInterval(48 * 3600 + 1)) == nil)
        #expect(try await world.subscriptions.confirm(token: "not-a-token", now: clock.now) == nil)
        let confirmed = try #require(try await world.subscriptions.confirm(token: token, now: clock.now.addingTimeInterval(47 * 3600)))
        let good = try await world.subscriptions.manageToken(for: confirmed.id)
        #expect(try await world.subscriptions.subscription(manageToken: good)?.id == confirmed.id)
        // The last character changed, whatever it was (a fixed "0" was the token itself 1 run in 16).
        let changedLast = good.dropLast() + (good.last == "0" ? "1" : "0")
        for forged in [changedLast, "\(confirmed.id + 1)" + good.drop { $0 != "-" }, "1-", ""] {
            #expect(try await world.subscriptions.subscription(manageToken: String(forged)) == nil, "\(forged)")
        }
    }

    @Test func askingAgainForAConfirmedAddressSendsItsSettingsInsteadOfChangingIt() async throws {
        let world = try await world()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        try await world.subscriptions.request(email: "anne@example.org", language: "fr", productSlugs: ["loop"], now: clock.now)
        let token = try confirmationToken(try #require(try await queued(world).first))
        _ = try await world.subscriptions.confirm(token: token, now: clock.now)
        // Within ten minutes the address is not mailed again; the answer stays the same.
        _ = try await world.subscriptions.request(email: "anne@example.org", language: "en", productSlugs: [], now: clock.now)
        #expect(try await queued(world).isEmpty)
        clock.advance(seconds: 601)
        let outcome = try await world.subscriptions.request(email: "anne@example.org", language: "en", productSlugs: [], now: clock.now)
        guard case .alreadyConfirmed = outcome else { Issue.record("expected the settings mail, got \(outcome)"); return }
        let mail = try #require(try await queued(world).last)
        #expect(mail.text.contains("\(base)/subscriptions/") && !mail.text.contains("/confirm/"))
        let kept = try await world.subscriptions.store.followers(of: ["stream"])
        #expect(kept.isEmpty, "a stranger cannot widen someone's subscription")
        await #expect(throws: SubscriptionError.invalidEmail) {
            try await world.subscriptions.request(email: "pas une adresse", language: "fr", productSlugs: [], now: clock.now)
        }
    }

    @Test func maintenanceStartAndEndAreAnnouncedAsTimePasses() async throws {
        let world = try await world()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        _ = try await world.subscriptions.subscribeUser(userID: 7, email: "ops@client.fr", language: "fr", productSlugs: [], now: clock.now)
        let start = clock.now.addingTimeInterval(600)
        try await world.status.save(Maintenance(id: "m1", title: "Migration", message: "Coupure de 10 minutes.", productSlugs: ["loop"],
                                                start: start, end: start.addingTimeInterval(600)))
        _ = try await announcer(world).announcePending()
        clock.advance(seconds: 601)
        _ = try await announcer(world).announcePending()
        clock.advance(seconds: 600)
        _ = try await announcer(world).announcePending()
        _ = try await announcer(world).announcePending()
        #expect(try await queued(world).map(\.subject) == [
            "[Maintenance planifiée] Migration · statusd", "[Maintenance en cours] Migration · statusd", "[Maintenance terminée] Migration · statusd",
        ])
    }
}

extension AnnouncementTests {
    @Test func webhookFollowersGetOneJSONCallPerEventCarryingTheirSecret() async throws {
        let world = try await world()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        _ = try await world.subscriptions.store.subscribeWebhook(url: "https://hooks.example.org/statusd", secret: "whsec_test", language: "en",
                                                                  productSlugs: ["loop"], now: clock.now)
        _ = try await world.subscriptions.store.subscribeWebhook(url: "https://hooks.example.org/other", secret: "whsec_other", language: "en",
                                                                  productSlugs: ["stream"], now: clock.now)
        var incident = Incident(id: "i9", title: "Panne \"Loop\"", impact: .major, productSlugs: ["loop"], startedAt: clock.now)
        incident.post(.init(status: .investigating, message: "On regarde.", at: clock.now))
        try await world.status.save(incident)
        _ = try await announcer(world).announcePending()
        _ = try await announcer(world).announcePending()

        let calls = try await world.outbox.claimDueWebhooks(now: clock.now.addingTimeInterval(1), limit: 10, leaseUntil: clock.now.addingTimeInterval(60))
        #expect(calls.count == 1)
        let call = try #require(calls.first)
        #expect(call.webhook.url == "https://hooks.example.org/statusd" && call.webhook.secret == "whsec_test")
        #expect(call.webhook.event == "incident.created")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(call.webhook.body.utf8)) as? [String: Any])
        #expect(body["title"] as? String == "Panne \"Loop\"" && body["status"] as? String == "investigating")
        #expect(body["subject_id"] as? String == "i9")
        let products = try #require(body["products"] as? [[String: String]])
        #expect(products.first?["url"] == "\(base)/products/loop")
    }
}

extension AnnouncementTests {
    @Test func aCancelledWindowIsAnnouncedAndAConfirmationLinkWorksOnce() async throws {
        let world = try await world()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        try await world.subscriptions.request(email: "anne@example.org", language: "fr", productSlugs: [], now: clock.now)
        let token = try confirmationToken(try #require(try await queued(world).first))
        #expect(try await world.subscriptions.confirm(token: token, now: clock.now) != nil)
        #expect(try await world.subscriptions.confirm(token: token, now: clock.now) == nil, "the link works once")

        let start = Date().addingTimeInterval(86_400)
        try await world.status.save(Maintenance(id: "m2", title: "Migration", productSlugs: ["loop"], start: start, end: start.addingTimeInterval(3600)))
        #expect(try await world.status.deleteMaintenance(id: "m2"))
        _ = try await announcer(world).announcePending()
        #expect(try await queued(world).map(\.subject) == ["[Maintenance planifiée] Migration · statusd", "[Maintenance annulée] Migration · statusd"])
    }
}

extension AnnouncementTests {
    @Test func aMovedWindowIsAnnouncedWithItsNewTimesAndAnEditedTextIsNot() async throws {
        let world = try await world()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        _ = try await world.subscriptions.subscribeUser(userID: 3, email: "ops@client.fr", language: "en", productSlugs: [], now: clock.now)
        let start = Date().addingTimeInterval(86_400)
        var window = Maintenance(id: "m3", title: "Migration", productSlugs: ["loop"], start: start, end: start.addingTimeInterval(3600))
        try await world.status.save(window)
        window.message = "Plus de détails."
        try await world.status.save(window)
        window.start = start.addingTimeInterval(7200)
        window.end = start.addingTimeInterval(10_800)
        try await world.status.save(window)
        _ = try await announcer(world).announcePending()
        let mails = try await queued(world)
        #expect(mails.map(\.subject) == ["[Maintenance scheduled] Migration · statusd", "[Maintenance rescheduled] Migration · statusd"])
        #expect(mails.last?.text.contains("Window: ") == true)
    }
}

extension AnnouncementTests {
    @Test func anOutageTheProbesConfirmIsToldInEachFollowersLanguage() async throws {
        let world = try await world()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        _ = try await world.subscriptions.subscribeUser(userID: 1, email: "anne@client.fr", language: "fr", productSlugs: [], now: clock.now)
        _ = try await world.subscriptions.subscribeUser(userID: 2, email: "bob@client.com", language: "en", productSlugs: [], now: clock.now)
        try await world.status.openProbeIncident(productSlug: "loop", title: "Cegid Loop : connexion refusée", message: "panne",
                                                 reason: ProbeFailure.connectionRefused.code, at: clock.now)
        try await world.status.resolveProbeIncident(productSlug: "loop", message: "rétabli", at: clock.now.addingTimeInterval(60))
        _ = try await announcer(world).announcePending()
        let mails = try await queued(world)
        let bob = mails.filter { $0.to == "bob@client.com" }.map(\.subject)
        let anne = mails.filter { $0.to == "anne@client.fr" }.map(\.subject)
        #expect(bob == ["[Outage detected] Cegid Loop: connection refused · statusd", "[Recovered] Cegid Loop: back to normal · statusd"])
        #expect(anne == ["[Panne détectée] Cegid Loop : connexion refusée · statusd", "[Rétabli] Cegid Loop : rétabli · statusd"])
        #expect(mails.first { $0.to == "bob@client.com" }?.text.contains("Probes confirm an outage of Cegid Loop (connection refused)") == true)
    }
}

extension AnnouncementTests {
    @Test func endingAWebhookSubscriptionCancelsItsQueuedCalls() async throws {
        let world = try await world()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        let hook = try await world.subscriptions.store.subscribeWebhook(url: "https://hooks.example.org/statusd", secret: "whsec_a", language: "en",
                                                                         productSlugs: [], now: clock.now)
        var incident = Incident(id: "i7", title: "Panne", impact: .major, productSlugs: ["loop"], startedAt: clock.now)
        incident.post(.init(status: .investigating, message: "On regarde.", at: clock.now))
        try await world.status.save(incident)
        _ = try await announcer(world).announcePending()
        #expect(try await world.subscriptions.store.delete(id: hook.id))
        let due = try await world.outbox.claimDueWebhooks(now: clock.now.addingTimeInterval(1), limit: 10, leaseUntil: clock.now.addingTimeInterval(60))
        #expect(due.isEmpty)
        #expect(try await world.outbox.countsByState()[.dead] == 1)
    }
}
