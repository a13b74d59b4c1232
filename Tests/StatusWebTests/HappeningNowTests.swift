import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusModel
import StatusWeb
import Testing

/// What is happening now, as a customer reads it on the grid and the product pages: open
/// incidents with their steps, maintenance running, coming or finished, and the probes' outages.
@Suite struct HappeningNowTests {
    /// An open incident on Loop and Stream with three steps, the latest "monitoring".
    func openIncident(_ fixture: SiteFixture) async throws {
        let start = SiteFixture.now.addingTimeInterval(-3 * 3600)
        try await fixture.store.save(Incident(
            id: "open1", title: "Connexions lentes", impact: .major, productSlugs: ["loop", "stream"], startedAt: start,
            updates: [.init(status: .investigating, message: "Nous analysons les lenteurs.", at: start),
                      .init(status: .identified, message: "Un disque est saturé.", at: start.addingTimeInterval(3600)),
                      .init(status: .monitoring, message: "Correctif déployé, nous surveillons.", at: start.addingTimeInterval(7200))]))
    }

    func page(_ client: any TestClientProtocol, _ uri: String) async throws -> String {
        try await client.execute(uri: uri, method: .get) { response in
            #expect(response.status == .ok, "\(uri)")
            return String(buffer: response.body)
        }
    }

    /// The text between `start` and the first `end` after it.
    func section(_ html: String, from start: String, to end: String) -> String {
        guard let from = html.range(of: start) else { return "" }
        let rest = html[from.upperBound...]
        return String(rest[..<(rest.range(of: end)?.lowerBound ?? rest.endIndex)])
    }

    @Test func openIncidentShowsAboveTheGridWithItsLatestUpdateInTheConsolesWords() async throws {
        let fixture = try await SiteFixture()
        try await fixture.observeEveryDay()
        try await openIncident(fixture)
        try await fixture.test { client in
            let french = try await page(client, "/?lang=fr")
            let now = section(french, from: "<section class=\"now\"", to: "</section>")
            #expect(now.contains("Connexions lentes"))
            #expect(now.contains("Impact : Majeur"))
            #expect(now.contains("<a href=\"/products/loop\">Cegid Loop</a>, <a href=\"/products/stream\">Cegid Stream</a>"))
            #expect(now.contains("Dernière mise à jour :"))
            #expect(now.contains("<strong class=\"update-status\">Sous surveillance</strong> · <time>20 novembre 2026 à 11:00</time>"))
            #expect(now.contains("Correctif déployé, nous surveillons."))
            #expect(!now.contains("Nous analysons les lenteurs."), "the grid shows the latest step only")
            #expect(!now.contains("Aucun système ne signale de problème"))
            // Above the grid itself.
            let incident = try #require(french.range(of: "Connexions lentes"))
            let grid = try #require(french.range(of: "<table class=\"grid\">"))
            #expect(incident.lowerBound < grid.lowerBound)

            let english = try await page(client, "/?lang=en")
            #expect(english.contains("<strong class=\"update-status\">Monitoring</strong> · <time>20 November 2026 at 11:00</time>"))
            #expect(english.contains("Impact: Major"))
        }
    }

    @Test(arguments: ["loop", "stream"])
    func openIncidentShowsOnEachOfItsProductsPagesWithItsWholeTimelineNewestFirst(slug: String) async throws {
        let fixture = try await SiteFixture()
        try await fixture.observeEveryDay()
        try await openIncident(fixture)
        try await fixture.test { client in
            let html = try await page(client, "/products/\(slug)?lang=fr")
            let now = section(html, from: "<section class=\"now\"", to: "</section>")
            #expect(now.contains("Connexions lentes"))
            let steps = ["Sous surveillance", "Cause identifiée", "Analyse en cours"].map { word in
                now.range(of: "<strong class=\"update-status\">\(word)</strong>")?.lowerBound
            }
            let found = steps.compactMap { $0 }
            #expect(found.count == 3, "every step, in the console's words")
            #expect(found == found.sorted(), "newest first")
            #expect(now.contains("Nous analysons les lenteurs."))
            #expect(!now.contains("<ol"), "steps are not numbered")
            #expect(html.contains("data-condition=\"outage\""))
        }
        try await fixture.test { client in
            let other = try await page(client, "/products/xrp?lang=fr")
            #expect(!other.contains("Connexions lentes"), "a product the incident does not name does not show it")
        }
    }

    @Test func closedIncidentTimelineIsNewestFirstInTheConsolesWordsAndNotNumbered() async throws {
        let fixture = try await SiteFixture()
        let start = fixture.noon(-2)
        try await fixture.store.save(Incident(
            id: "c1", title: "Panne de la base", impact: .major, productSlugs: ["loop"], startedAt: start,
            resolvedAt: start.addingTimeInterval(3 * 3600),
            updates: [.init(status: .investigating, message: "On cherche.", at: start),
                      .init(status: .identified, message: "Trouvé.", at: start.addingTimeInterval(3600)),
                      .init(status: .monitoring, message: "On surveille.", at: start.addingTimeInterval(7200)),
                      .init(status: .resolved, message: "Réglé.", at: start.addingTimeInterval(3 * 3600))]))
        try await fixture.test { client in
            let html = try await page(client, "/products/loop?lang=fr")
            let closed = section(html, from: "id=\"incidents-title\"", to: "</section>")
            #expect(!closed.contains("<ol"))
            let order = ["Résolu", "Sous surveillance", "Cause identifiée", "Analyse en cours"].compactMap {
                closed.range(of: "<strong class=\"update-status\">\($0)</strong>")?.lowerBound
            }
            #expect(order.count == 4)
            #expect(order == order.sorted())
            #expect(!closed.contains("Investigation en cours"))
        }
    }

    @Test func maintenanceRunningComingAndFinishedEachShowWhereTheyBelong() async throws {
        let fixture = try await SiteFixture()
        try await fixture.observeEveryDay()
        let hour = 3600.0
        try await fixture.store.save(Maintenance(id: "run", title: "Montée de version", message: "Service coupé par moments.",
                                                 productSlugs: ["loop"], start: SiteFixture.now.addingTimeInterval(-hour),
                                                 end: SiteFixture.now.addingTimeInterval(2 * hour)))
        try await fixture.store.save(Maintenance(id: "soon", title: "Changement de serveurs", productSlugs: ["stream"],
                                                 start: fixture.noon(3).addingTimeInterval(8 * hour), end: fixture.noon(3).addingTimeInterval(10 * hour)))
        try await fixture.store.save(Maintenance(id: "later", title: "Migration lointaine", productSlugs: ["stream"],
                                                 start: fixture.noon(12), end: fixture.noon(12).addingTimeInterval(hour)))
        let past = Self.parisDate(2026, 11, 17, 8)
        try await fixture.store.save(Maintenance(id: "done", title: "Mise à jour de la base", message: "Nouvelle version installée.",
                                                 productSlugs: ["loop"], start: past, end: past.addingTimeInterval(2 * hour)))
        try await fixture.test { client in
            let grid = try await page(client, "/?lang=fr")
            let now = section(grid, from: "<section class=\"now\"", to: "</section>")
            let running = section(now, from: "data-maintenance=\"run\"", to: "</article>")
            #expect(running.contains("Maintenance en cours :"))
            #expect(running.contains("Montée de version"))
            #expect(running.contains("Fin prévue le 20 novembre 2026 à 14:00"))
            #expect(running.contains("Service coupé par moments."))
            let soon = section(now, from: "data-maintenance=\"soon\"", to: "</article>")
            #expect(soon.contains("Maintenance planifiée :"))
            #expect(soon.contains("Changement de serveurs"))
            #expect(soon.contains("Du 23 novembre 2026 à 20:00 au 23 novembre 2026 à 22:00"))
            #expect(!now.contains("Migration lointaine"), "a window more than 7 days away is not announced yet")
            #expect(!now.contains("Mise à jour de la base"), "a finished window is not happening now")

            let loop = try await page(client, "/products/loop?lang=fr")
            #expect(loop.contains("Fin prévue le 20 novembre 2026 à 14:00"))
            #expect(!loop.contains("Changement de serveurs"), "Stream's window stays on Stream's page")
            let closed = section(loop, from: "id=\"incidents-title\"", to: "</section>")
            #expect(closed.contains("<h3>Maintenance planifiée - Cegid Loop (depuis : 2026-11-17 08:00:00)</h3>"))
            #expect(closed.contains("Mise à jour de la base"))
            #expect(closed.contains("Nouvelle version installée."))
            #expect(!closed.contains("Montée de version"), "a running window is not closed")

            let english = try await page(client, "/products/loop?lang=en")
            #expect(english.contains("<h3>Scheduled maintenance - Cegid Loop (since: 2026-11-17 08:00:00)</h3>"))
            #expect(english.contains("Expected to end 20 November 2026 at 14:00"))
            let stream = try await page(client, "/products/stream?lang=en")
            #expect(stream.contains("Scheduled maintenance:"))
            #expect(stream.contains("From 23 November 2026 at 20:00 to 23 November 2026 at 22:00"))
        }
    }

    @Test func causeLineShowsOnlyWhenProbesConfirmedAFailureAndSaysItInWords() async throws {
        let fixture = try await SiteFixture()
        try await fixture.observeEveryDay()
        try await fixture.store.setRegionState(RegionState(checkID: "stream/http", region: "default", outcome: .down,
                                                           reason: ProbeFailure.connectionRefused.code, since: SiteFixture.now.addingTimeInterval(-300)))
        try await fixture.store.openEpisode(Episode(productSlug: "stream", condition: .outage, cause: .probe,
                                                    source: "stream/http", start: SiteFixture.now.addingTimeInterval(-300)))
        try await fixture.test { client in
            let loop = try await page(client, "/products/loop?lang=fr")
            #expect(!loop.contains("condition-reason"), "no cause line without a cause")
            #expect(!loop.contains("Cause constatée"))

            let stream = try await page(client, "/products/stream?lang=fr")
            #expect(stream.contains("<p class=\"condition-reason\" id=\"condition-reason\">Cause constatée : connexion refusée</p>"))
            let english = try await page(client, "/products/stream?lang=en")
            #expect(english.contains("Observed cause: connection refused"))

            let grid = try await page(client, "/?lang=fr")
            let outage = section(grid, from: "<article class=\"now-item now-outage", to: "</article>")
            #expect(outage.contains("data-product=\"stream\""))
            #expect(outage.contains("Incident en cours"))
            #expect(outage.contains("Panne constatée par nos sondes"))
            #expect(outage.contains("Cause constatée : connexion refusée"))
            #expect(!grid.contains("Aucun système ne signale de problème"))
        }
    }

    @Test func whenAllIsWellTheGridSaysSoInBothLanguages() async throws {
        let fixture = try await SiteFixture()
        try await fixture.observeEveryDay()
        try await fixture.test { client in
            let french = try await page(client, "/?lang=fr")
            let english = try await page(client, "/?lang=en")
            #expect(french.contains("Aucun système ne signale de problème"))
            #expect(english.contains("No system reports a problem"))
        }
        // Work planned for next week is announced without spoiling today.
        try await fixture.store.save(Maintenance(id: "soon", title: "Changement de serveurs", productSlugs: ["stream"],
                                                 start: fixture.noon(2), end: fixture.noon(2).addingTimeInterval(3600)))
        try await fixture.test { client in
            let french = try await page(client, "/?lang=fr")
            #expect(french.contains("Aucun système ne signale de problème"))
            #expect(french.contains("Maintenance planifiée :</span> <span class=\"now-title\">Changement de serveurs</span>"))
        }
    }

    @Test func aDayOfTheBarOpensThatDaysEventsWithTheirTimes() async throws {
        let fixture = try await SiteFixture()
        try await fixture.observeEveryDay()
        let day = Self.parisDate(2026, 11, 17, 0)
        try await fixture.store.save(Maintenance(id: "m1", title: "Mise à jour", productSlugs: ["loop"],
                                                 start: day.addingTimeInterval(2 * 3600), end: day.addingTimeInterval(4 * 3600)))
        try await fixture.store.save(Incident(id: "i1", title: "Connexions refusées", impact: .major, productSlugs: ["loop"],
                                              startedAt: day.addingTimeInterval(10 * 3600), resolvedAt: day.addingTimeInterval(11.5 * 3600),
                                              updates: [.init(status: .resolved, message: "Rétabli.", at: day.addingTimeInterval(11.5 * 3600))]))
        try await fixture.test { client in
            let html = try await page(client, "/products/loop?lang=fr")
            let chosen = section(html, from: "data-date=\"2026-11-17\"><details", to: "</details>")
            #expect(chosen.contains("<summary aria-label=\"mardi 17 novembre 2026 : Plusieurs problèmes\">"))
            #expect(chosen.contains("Événements du mardi 17 novembre 2026"))
            #expect(chosen.contains("Maintenance</span> : Mise à jour <time>de 02:00 à 04:00</time>"))
            #expect(chosen.contains("Incident</span> : Connexions refusées <time>de 10:00 à 11:30</time>"))
            let quiet = section(html, from: "data-date=\"2026-11-16\"><details", to: "</details>")
            #expect(quiet.contains("Aucun incident ni maintenance ce jour-là."))
            #expect(html.occurrences(of: "<details name=\"bar-day\">") == 25, "every day opens, by click or keyboard")

            let english = try await page(client, "/products/loop?lang=en")
            #expect(english.contains("Maintenance</span>: Mise à jour <time>from 02:00 to 04:00</time>"))
        }
    }

    @Test func englishPagesHaveNoSpaceBeforeAColon() async throws {
        let fixture = try await SiteFixture()
        try await fixture.observeEveryDay()
        try await openIncident(fixture)
        let past = Self.parisDate(2026, 11, 17, 8)
        try await fixture.store.save(Maintenance(id: "done", title: "Base update", productSlugs: ["loop"], start: past, end: past.addingTimeInterval(3600)))
        try await fixture.store.save(Maintenance(id: "soon", title: "Server change", productSlugs: ["loop"],
                                                 start: fixture.noon(2), end: fixture.noon(2).addingTimeInterval(3600)))
        try await fixture.test { client in
            for uri in ["/?lang=en", "/products/loop?lang=en", "/products/stream?lang=en", "/products/xrp?lang=en", "/login?lang=en",
                        "/subscribe?lang=en", "/no/such/page?lang=en"] {
                let html = try await client.execute(uri: uri, method: .get) { String(buffer: $0.body) }
                let text = html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
                #expect(!text.contains(" :"), "\(uri) has a space before a colon: \(Self.around(" :", in: text))")
                #expect(html.contains("lang=\"en\""), "\(uri)")
            }
            // French keeps its space.
            #expect(try await page(client, "/?lang=fr").contains("Impact : Majeur"))
        }
    }

    @Test func englishPortalPagesHaveNoSpaceBeforeAColon() async throws {
        let world = try await PortalSiteFixture()
        try await world.test { client in
            for (uri, login) in [("/admin", world.admin), ("/admin/users", world.admin), ("/admin/services", world.admin), ("/admin/requests", world.admin),
                                 ("/admin/notifications", world.admin), ("/account", world.member),
                                 ("/staff/outbox", world.operatorLogin)] {
                let html = try await client.execute(uri: uri + "?lang=en", method: .get, headers: pageHeaders(session: login.session)) { response in
                    #expect(response.status == .ok, "\(uri)")
                    return String(buffer: response.body)
                }
                let text = html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
                #expect(!text.contains(" :"), "\(uri) has a space before a colon: \(Self.around(" :", in: text))")
            }
        }
    }

    static func parisDate(_ year: Int, _ month: Int, _ day: Int, _ hour: Double) -> Date {
        SiteFixture.calendar.interval(of: LocalDay(year: year, month: month, day: day)).start.addingTimeInterval(hour * 3600)
    }

    static func around(_ needle: String, in text: String) -> String {
        guard let range = text.range(of: needle) else { return "" }
        let start = text.index(range.lowerBound, offsetBy: -40, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(range.upperBound, offsetBy: 40, limitedBy: text.endIndex) ?? text.endIndex
        return String(text[start..<end])
    }
}
