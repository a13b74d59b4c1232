import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Portal
import StatusModel
import StatusWeb
import Testing

/// `/home`, a customer's landing page: the news published for their language, what goes on
/// on the products of their own services only, their own open requests only, recent articles.
@Suite struct HomePageTests {
    @Test func visitorsSignInFirst() async throws {
        let world = try await ShellWorld()
        try await world.test { client in
            let page = try await world.get(client, "/home")
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/login?next=/home")
        }
    }

    @Test func aCustomerWithoutServicesIsToldAndLedToTheirServices() async throws {
        let world = try await ShellWorld()
        try await world.test { client in
            let home = try await world.get(client, "/home", session: world.fixture.member.session)
            #expect(home.status == .ok)
            #expect(home.body.contains("You have no active service yet. <a href=\"/account/services\" id=\"home-services-link\">Add a service</a>"))
            #expect(home.body.contains("id=\"no-news\"") && home.body.contains("id=\"no-requests\""))
            #expect(home.body.contains("id=\"home-articles\""), "the knowledge base's recent articles")
        }
    }

    @Test func incidentsAndMaintenanceOnMyServicesOnly() async throws {
        let world = try await ShellWorld()
        let fixture = world.fixture
        try await world.give(fixture.member.user, service: "Cegid Loop", products: ["loop"])
        // The administrator's own service is not the member's.
        try await world.give(fixture.admin.user, service: "Cegid Stream", products: ["stream"])
        let now = fixture.clock.now
        var loopIncident = Incident(id: "inc-loop", title: "Lenteurs sur Loop", impact: .major, productSlugs: ["loop"], startedAt: now.addingTimeInterval(-3600))
        loopIncident.post(.init(status: .investigating, message: "Nous analysons.", at: loopIncident.startedAt))
        try await fixture.store.save(loopIncident)
        try await fixture.store.save(Incident(id: "inc-stream", title: "Panne de Stream", impact: .critical, productSlugs: ["stream"],
                                              startedAt: now.addingTimeInterval(-1800)))
        var resolved = Incident(id: "inc-old", title: "Ancienne panne de Loop", impact: .minor, productSlugs: ["loop"], startedAt: now.addingTimeInterval(-90_000))
        resolved.post(.init(status: .resolved, message: "Résolu.", at: now.addingTimeInterval(-80_000)))
        try await fixture.store.save(resolved)
        try await fixture.store.save(Maintenance(id: "mnt-loop", title: "Mise à jour de Loop", message: "", productSlugs: ["loop"],
                                                 start: now.addingTimeInterval(2 * 86_400), end: now.addingTimeInterval(2 * 86_400 + 3600)))
        try await fixture.store.save(Maintenance(id: "mnt-done", title: "Maintenance finie", message: "", productSlugs: ["loop"],
                                                 start: now.addingTimeInterval(-7200), end: now.addingTimeInterval(-3600)))
        try await fixture.store.save(Maintenance(id: "mnt-stream", title: "Mise à jour de Stream", message: "", productSlugs: ["stream"],
                                                 start: now.addingTimeInterval(86_400), end: now.addingTimeInterval(86_400 + 3600)))
        try await world.test { client in
            let home = try await world.get(client, "/home", session: fixture.member.session).body
            #expect(home.contains("id=\"event-inc-loop\" data-kind=\"incident\""))
            #expect(home.contains("<span class=\"tag\">Major incident</span>"))
            #expect(home.contains("id=\"event-mnt-loop\" data-kind=\"maintenance\""))
            #expect(home.contains("<span class=\"tag\">Planned maintenance</span>"))
            #expect(!home.contains("Panne de Stream") && !home.contains("Mise à jour de Stream"), "another user's service is not mine")
            #expect(!home.contains("Ancienne panne") && !home.contains("Maintenance finie"), "what is over is not shown")
            #expect(!home.contains("id=\"no-services\""))
            // The administrator sees Stream's, and none of Loop's.
            let admin = try await world.get(client, "/home", session: fixture.admin.session).body
            #expect(admin.contains("Panne de Stream") && admin.contains("Mise à jour de Stream"))
            #expect(!admin.contains("Lenteurs sur Loop"))
        }
    }

    @Test func publishedNewsForTheReadersLanguageOnly() async throws {
        let world = try await ShellWorld()
        let fixture = world.fixture
        let news = SQLiteNewsStore(database: fixture.database)
        let now = fixture.clock.now
        _ = try await news.create(News(title: "Pour tout le monde", body: "**Important** <script>alert(1)</script> [lien](javascript:alert(2))",
                                       link: "https://www.example.com/nouveautes", languages: .both,
                                       publishedAt: now.addingTimeInterval(-3600), createdAt: now))
        _ = try await news.create(News(title: "Seulement en français", body: "Texte.", languages: .fr, publishedAt: now.addingTimeInterval(-60), createdAt: now))
        _ = try await news.create(News(title: "English only", body: "Text.", languages: .en, publishedAt: now.addingTimeInterval(-120), createdAt: now))
        _ = try await news.create(News(title: "Plus tard", body: "Pas encore.", languages: .both, publishedAt: now.addingTimeInterval(86_400), createdAt: now))
        try await world.test { client in
            let english = try await world.get(client, "/home", session: fixture.member.session).body
            #expect(english.contains("Pour tout le monde") && english.contains("English only"))
            #expect(!english.contains("Seulement en français"), "French only news is not an English reader's")
            #expect(!english.contains("Plus tard"), "scheduled news waits for its date")
            // The Markdown is rendered, and made safe.
            #expect(english.contains("<strong>Important</strong>"))
            #expect(!english.contains("<script>alert(1)") && english.contains("&lt;script&gt;"))
            #expect(!english.contains("javascript:"))
            #expect(english.contains("<a href=\"https://www.example.com/nouveautes\" rel=\"noopener\" class=\"news-link\">Read more</a>"))
            // The newest first.
            let newest = try #require(english.range(of: "English only")), older = try #require(english.range(of: "Pour tout le monde"))
            #expect(newest.lowerBound < older.lowerBound)
            let french = try await world.get(client, "/home?lang=fr", session: fixture.member.session).body
            #expect(french.contains("Seulement en français") && !french.contains("English only"))
            #expect(french.contains("Actualités"))
        }
    }

    @Test func myOpenRequestsOnlyNeverAnotherUsers() async throws {
        let world = try await ShellWorld()
        let fixture = world.fixture
        let mine = try await world.open(by: fixture.member.user, subject: "Ma demande ouverte")
        let cancelled = try await world.open(by: fixture.member.user, subject: "Ma demande annulée")
        _ = try await world.tickets.cancel(cancelled.number, by: fixture.member.user, reader: TicketReader(userID: fixture.member.user.id))
        let adminTicket = try await world.open(by: fixture.admin.user, subject: "La demande de l'administrateur")
        try await world.test { client in
            let member = try await world.get(client, "/home", session: fixture.member.session).body
            #expect(member.contains("<li data-number=\"\(mine.number)\"><a href=\"/requests/\(mine.number)\">\(mine.number)</a>"))
            #expect(!member.contains(cancelled.number.description), "a cancelled request is not open")
            #expect(!member.contains(adminTicket.number.description), "another user's request never shows")
            // The administrator sees their own, not their member's, though they may read it.
            let admin = try await world.get(client, "/home", session: fixture.admin.session).body
            #expect(admin.contains(adminTicket.number.description))
            #expect(!admin.contains(mine.number.description))
        }
    }
}
