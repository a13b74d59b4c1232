import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusModel
import StatusWeb
import Testing

/// One answer of the site, read whole.
struct Fetched {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: String
}

extension TestClientProtocol {
    func fetch(_ uri: String, headers: HTTPFields = [:]) async throws -> Fetched {
        try await execute(uri: uri, method: .get, headers: headers) { response in
            Fetched(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }
}

extension SiteFixture {
    static let feedBaseURL = "https://status.example.com"

    /// A resolved incident on Cegid Loop with two updates, one on the hidden product only, one on
    /// both, and a maintenance window on Cegid Stream tomorrow.
    func seedFeedStory() async throws {
        let start = noon(-2)
        try await store.save(Incident(
            id: "i1", title: "Lenteurs de connexion", impact: .major, productSlugs: ["loop"],
            startedAt: start, resolvedAt: start.addingTimeInterval(3600),
            updates: [.init(status: .investigating, message: "Nous analysons.", at: start),
                      .init(status: .resolved, message: "Corrigé.", at: start.addingTimeInterval(3600))]))
        try await store.save(Incident(
            id: "hidden-only", title: "Panne de la bêta secrète", impact: .major, productSlugs: ["secret"],
            startedAt: noon(-1), updates: [.init(status: .investigating, message: "Bêta en panne.", at: noon(-1))]))
        try await store.save(Incident(
            id: "i2", title: "Erreurs d'authentification", impact: .minor, productSlugs: ["loop", "secret"],
            startedAt: noon(-1), updates: [.init(status: .identified, message: "Certificat expiré.", at: noon(-1).addingTimeInterval(600))]))
        try await store.save(Maintenance(
            id: "m1", title: "Mise à jour de la base", message: "Coupure de 10 minutes.", productSlugs: ["stream"],
            start: noon(1), end: noon(1).addingTimeInterval(7200)))
    }
}

@Suite struct FeedTests {
    @Test func siteFeedIsAtomWithAbsoluteLinksFromTheConfiguredAddress() async throws {
        let fixture = try await SiteFixture(baseURL: SiteFixture.feedBaseURL)
        try await fixture.seedFeedStory()
        try await fixture.test { client in
            let feed = try await client.fetch("/feed.atom?lang=en", headers: [
                HTTPField.Name("Host")!: "attacker.example", HTTPField.Name("X-Forwarded-Host")!: "attacker.example",
            ])
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType] == "application/atom+xml; charset=utf-8")
            #expect(feed.body.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""))
            #expect(feed.body.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://status.example.com/feed.atom?lang=en\"/>"))
            #expect(feed.body.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://status.example.com/?lang=en\"/>"))
            #expect(feed.body.contains("<id>tag:status.example.com,2026:incident/i1</id>"))
            #expect(!feed.body.contains("attacker.example"))
            #expect(feed.body.occurrences(of: "<entry>") == 3, "two incidents and one window; the hidden product's incident stays out")
            #expect(!feed.body.contains("Secret Beta") && !feed.body.contains("bêta secrète"))
            // The incident's timeline, newest first, and when it started.
            let entry = try #require(feed.body.components(separatedBy: "<entry>").first { $0.contains("Lenteurs de connexion") })
            #expect(entry.contains("<updated>2026-11-18T12:00:00Z</updated>"), "its last update, 13:00 in Paris")
            #expect(entry.contains("<published>2026-11-18T11:00:00Z</published>"))
            #expect(entry.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://status.example.com/products/loop?lang=en\"/>"))
            let resolved = try #require(entry.range(of: "Corrigé."))
            let investigating = try #require(entry.range(of: "Nous analysons."))
            #expect(resolved.lowerBound < investigating.lowerBound)
            #expect(entry.contains("&lt;strong&gt;Resolved&lt;/strong&gt;"))
            #expect(entry.contains("18 November 2026"))
            // The window: its status, its schedule and the product it touches.
            let window = try #require(feed.body.components(separatedBy: "<entry>").first { $0.contains("maintenance/m1") })
            #expect(window.contains("<title type=\"text\">Maintenance: Mise à jour de la base</title>"))
            #expect(window.contains("Scheduled") && window.contains("Coupure de 10 minutes.") && window.contains("Cegid Stream"))
            #expect(window.contains("21 November 2026"))
        }
    }

    @Test func anIncidentOnAHiddenAndAPublicProductNamesOnlyThePublicOne() async throws {
        let fixture = try await SiteFixture(baseURL: SiteFixture.feedBaseURL)
        try await fixture.seedFeedStory()
        try await fixture.test { client in
            let feed = try await client.fetch("/feed.atom?lang=en")
            let entry = try #require(feed.body.components(separatedBy: "<entry>").first { $0.contains("Erreurs d&#39;authentification") })
            #expect(entry.contains("Certificat expiré."))
            #expect(entry.contains("Cegid Loop"))
            #expect(!entry.contains("Secret"))
        }
    }

    @Test func productFeedCarriesOnlyThatProduct() async throws {
        let fixture = try await SiteFixture(baseURL: SiteFixture.feedBaseURL)
        try await fixture.seedFeedStory()
        try await fixture.test { client in
            let loop = try await client.fetch("/products/loop/feed.atom?lang=en")
            #expect(loop.status == .ok)
            #expect(loop.body.occurrences(of: "<entry>") == 2)
            #expect(loop.body.contains("Lenteurs de connexion") && loop.body.contains("Certificat expiré."))
            #expect(!loop.body.contains("Mise à jour de la base"))
            #expect(loop.body.contains("href=\"https://status.example.com/products/loop/feed.atom?lang=en\""))
            #expect(loop.body.contains("<id>tag:status.example.com,2026:products/loop/feed.atom/en</id>"))
            #expect(loop.body.contains("<title type=\"text\">Incidents and maintenance · Cegid Loop · statusd</title>"))

            let stream = try await client.fetch("/products/stream/feed.atom?lang=en")
            #expect(stream.body.occurrences(of: "<entry>") == 1)
            #expect(stream.body.contains("Mise à jour de la base"))

            let quiet = try await client.fetch("/products/xrp/feed.atom")
            #expect(quiet.status == .ok)
            #expect(quiet.body.occurrences(of: "<entry>") == 0)
            #expect(quiet.body.contains("<updated>"), "an empty feed still says when it last changed")
        }
    }

    @Test(arguments: ["/products/secret/feed.atom", "/products/nope/feed.atom"])
    func hiddenOrUnknownProductHasNoFeed(uri: String) async throws {
        let fixture = try await SiteFixture()
        try await fixture.seedFeedStory()
        try await fixture.test { client in
            let answer = try await client.fetch(uri)
            #expect(answer.status == .notFound)
            #expect(!answer.body.contains("bêta secrète"))
        }
    }

    @Test func feedSpeaksFrenchByDefaultAndEnglishOnRequest() async throws {
        let fixture = try await SiteFixture()
        try await fixture.seedFeedStory()
        try await fixture.test { client in
            let french = try await client.fetch("/feed.atom")
            #expect(french.headers[.contentLanguage] == "fr")
            #expect(french.body.contains("xml:lang=\"fr\""))
            #expect(french.body.contains("Résolu") && french.body.contains("Maintenance : Mise à jour de la base"))
            #expect(french.body.contains("Planifiée") && french.body.contains("Solutions concernées"))
            let english = try await client.fetch("/feed.atom?lang=en")
            #expect(english.body.contains("Resolved") && !english.body.contains("Résolu"))
        }
    }

    @Test func feedKeepsTheLatestFiftyEntriesNewestFirst() async throws {
        let fixture = try await SiteFixture()
        for index in 0..<60 {
            let start = SiteFixture.now.addingTimeInterval(Double(-86_400 + index * 60))
            try await fixture.store.save(Incident(
                id: "n\(index)", title: "Incident numéro \(index)", impact: .minor, productSlugs: ["loop"], startedAt: start,
                resolvedAt: start.addingTimeInterval(30), updates: [.init(status: .resolved, message: "Fini \(index).", at: start.addingTimeInterval(30))]))
        }
        try await fixture.test { client in
            for uri in ["/feed.atom", "/products/loop/feed.atom"] {
                let feed = try await client.fetch(uri)
                #expect(feed.body.occurrences(of: "<entry>") == 50)
                #expect(feed.body.contains("Incident numéro 59<"))
                #expect(!feed.body.contains("Incident numéro 9<"), "the oldest fall off")
                let newest = try #require(feed.body.range(of: "Incident numéro 59<"))
                let older = try #require(feed.body.range(of: "Incident numéro 58<"))
                #expect(newest.lowerBound < older.lowerBound)
            }
        }
    }

    @Test func feedIsServedFromTheCacheUntilAnUpdateArrives() async throws {
        let fixture = try await SiteFixture()
        try await fixture.seedFeedStory()
        try await fixture.test { client in
            let first = try await client.fetch("/products/loop/feed.atom")
            let etag = try #require(first.headers[.eTag])
            let again = try await client.fetch("/products/loop/feed.atom", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.isEmpty)

            try await fixture.store.save(Incident(
                id: "i3", title: "Nouvelle panne", impact: .major, productSlugs: ["loop"], startedAt: SiteFixture.now.addingTimeInterval(-60),
                updates: [.init(status: .investigating, message: "Nous regardons.", at: SiteFixture.now.addingTimeInterval(-60))]))
            let changed = try await client.fetch("/products/loop/feed.atom", headers: [.ifNoneMatch: etag])
            #expect(changed.status == .ok)
            #expect(changed.headers[.eTag] != etag)
            #expect(changed.body.contains("Nouvelle panne") && changed.body.contains("Nous regardons."))

            // A new step of the timeline, with nothing else changed, reaches the feed too.
            var incident = try #require(try await fixture.store.incident(id: "i3"))
            incident.updates.append(.init(status: .monitoring, message: "Correctif déployé.", at: SiteFixture.now.addingTimeInterval(-30)))
            try await fixture.store.save(incident)
            let stepped = try await client.fetch("/products/loop/feed.atom", headers: [.ifNoneMatch: try #require(changed.headers[.eTag])])
            #expect(stepped.status == .ok)
            #expect(stepped.body.contains("Correctif déployé."))
            // The console's and the pages' words for each step, not older ones of the feed's own.
            #expect(stepped.body.contains("Sous surveillance") && stepped.body.contains("Analyse en cours"))
            #expect(!stepped.body.contains("Investigation en cours"))
        }
    }

    @Test func pagesLinkTheirFeedInTheHeadAndInWords() async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            let grid = try await client.fetch("/")
            #expect(grid.body.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Flux Atom des incidents et maintenances\" href=\"/feed.atom?lang=fr\">"))
            #expect(grid.body.contains("<a href=\"/feed.atom?lang=fr\" type=\"application/atom+xml\">Flux Atom</a>"))
            let product = try await client.fetch("/products/loop?lang=en")
            #expect(product.body.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Atom feed of incidents and maintenance\" href=\"/products/loop/feed.atom?lang=en\">"))
            #expect(product.body.contains("<a href=\"/products/loop/feed.atom?lang=en\" type=\"application/atom+xml\">Atom feed</a>"))
        }
    }
}
