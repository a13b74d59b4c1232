import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusModel
import StatusWeb
import Testing

@Suite struct GridPageTests {
    @Test func gridShowsPublicProductsGroupedByFamilyWithOneCellPerDay() async throws {
        let fixture = try await SiteFixture()
        try await fixture.observeEveryDay()
        try await fixture.test { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("Météo des solutions SaaS"))
                #expect(html.occurrences(of: "class=\"product-row\"") == 3)
                #expect(!html.contains("Secret Beta"), "hidden products stay off the grid")
                #expect(html.occurrences(of: "class=\"cell ") == 3 * 25)
                #expect(html.occurrences(of: "scope=\"col\" class=\"day-col\"") == 25)
                // Families in order, each once.
                let finance = try #require(html.range(of: "Finance"))
                let gestion = try #require(html.range(of: "Gestion"))
                #expect(finance.lowerBound < gestion.lowerBound)
                // Oldest day first, today last.
                let first = try #require(html.range(of: "data-date=\"2026-10-27\""))
                let last = try #require(html.range(of: "data-date=\"2026-11-20\""))
                #expect(first.lowerBound < last.lowerBound)
            }
        }
    }

    @Test func aDayWithAnOutageShowsIncidentWithIconAndWord() async throws {
        let fixture = try await SiteFixture()
        try await fixture.observeEveryDay()
        try await fixture.store.save(Incident(id: "i1", title: "Panne", impact: .major, productSlugs: ["loop"],
                                              startedAt: fixture.noon(-3), resolvedAt: fixture.noon(-3).addingTimeInterval(1800)))
        try await fixture.test { client in
            try await client.execute(uri: "/?lang=en", method: .get) { response in
                let html = String(buffer: response.body)
                let row = try #require(html.components(separatedBy: "data-product=\"loop\"").dropFirst().first)
                #expect(row.contains("data-state=\"incident\" data-date=\"2026-11-17\""))
                #expect(row.contains("Tuesday, 17 November 2026: Incident"))
                #expect(row.contains("data-state=\"ok\" data-date=\"2026-11-18\""))
            }
        }
    }

    @Test(arguments: [
        ("fr", ["Aucun problème", "Maintenance planifiée", "Dégradation du service", "Incident", "Plusieurs problèmes", "Pas de données"]),
        ("en", ["No problem", "Scheduled maintenance", "Degraded service", "Incident", "Several problems", "No data"]),
    ])
    func legendListsEveryStateWithItsIconAndTheSeedsWords(language: String, words: [String]) async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/?lang=\(language)", method: .get) { response in
                let html = String(buffer: response.body)
                for (state, word) in zip(DayState.allCases.map(\.rawValue), words) {
                    // An inline SVG symbol, not a font character: every state's icon draws.
                    #expect(html.contains("<li class=\"legend-item s-\(state)\" data-state=\"\(state)\"><span class=\"icon\" aria-hidden=\"true\">"
                        + "<svg class=\"glyph\" focusable=\"false\"><use href=\"#i-\(state)\"/></svg></span> <span class=\"word\">\(word)</span>"))
                    #expect(html.contains("<symbol id=\"i-\(state)\""))
                }
                #expect(!html.contains("ⓘ"))
            }
        }
    }

    @Test(arguments: [
        ("/?lang=en", [HTTPField.Name.acceptLanguage: "fr"], "SaaS solutions weather"),
        ("/", [.acceptLanguage: "en-US,en;q=0.9,fr;q=0.8"], "SaaS solutions weather"),
        ("/", [.acceptLanguage: "de-DE,fr;q=0.5,en;q=0.4"], "Météo des solutions SaaS"),
        ("/", [.cookie: "lang=en", .acceptLanguage: "fr"], "SaaS solutions weather"),
        ("/?lang=fr", [.cookie: "lang=en"], "Météo des solutions SaaS"),
        ("/", [:], "Météo des solutions SaaS"),
    ])
    func languageComesFromQueryThenCookieThenAcceptLanguage(uri: String, headers: [HTTPField.Name: String], title: String) async throws {
        let fixture = try await SiteFixture()
        var collected = HTTPFields()
        for (name, value) in headers { collected[name] = value }
        let fields = collected
        try await fixture.test { client in
            try await client.execute(uri: uri, method: .get, headers: fields) { response in
                #expect(String(buffer: response.body).contains("<h1>\(title)</h1>"))
            }
        }
    }

    @Test func choosingALanguageSetsACookie() async throws {
        let fixture = try await SiteFixture(baseURL: "https://status.example.com")
        try await fixture.test { client in
            try await client.execute(uri: "/?lang=en", method: .get) { response in
                let cookie = try #require(response.headers[.setCookie])
                #expect(cookie.contains("lang=en"))
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("Secure"), "https deployments get Secure cookies")
                #expect(cookie.lowercased().contains("samesite=lax"))
            }
        }
    }

    @Test func gridIsCachedUntilAStateChangesAndAnswers304ToItsETag() async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            let etag = try await client.execute(uri: "/", method: .get) { response in
                try #require(response.headers[.eTag])
            }
            try await client.execute(uri: "/", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            #expect(await fixture.site.renderCount() == 1, "the second request is served from the cache")

            try await fixture.store.openEpisode(Episode(productSlug: "loop", condition: .outage, cause: .probe,
                                                        source: "loop/http", start: SiteFixture.now.addingTimeInterval(-600)))
            try await client.execute(uri: "/", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .ok, "a state change invalidates the cached grid")
                #expect(response.headers[.eTag] != etag)
                #expect(String(buffer: response.body).contains("data-state=\"incident\" data-date=\"2026-11-20\""))
            }
            #expect(await fixture.site.renderCount() == 2)
        }
    }

    @Test func healthzAnswersOk() async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok","database":"sqlite"}"#)
            }
        }
    }

    @Test func stylesheetIsServed() async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/static/style.css", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/css") == true)
                #expect(String(buffer: response.body).contains(".bar-day"))
            }
        }
    }
}
