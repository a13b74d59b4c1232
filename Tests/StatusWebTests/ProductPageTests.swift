import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusModel
import StatusWeb
import Testing

@Suite struct ProductPageTests {
    @Test func productPageShowsConditionBarUptimeAndClosedIncidents() async throws {
        let fixture = try await SiteFixture()
        try await fixture.observeEveryDay()
        let start = fixture.noon(-2)
        try await fixture.store.save(Incident(
            id: "i1", title: "Lenteurs de connexion", impact: .major, productSlugs: ["loop"],
            startedAt: start, resolvedAt: start.addingTimeInterval(3600),
            updates: [.init(status: .investigating, message: "Nous analysons.", at: start),
                      .init(status: .resolved, message: "Corrigé.", at: start.addingTimeInterval(3600))]))
        try await fixture.test { client in
            try await client.execute(uri: "/products/loop", method: .get, headers: [.acceptLanguage: "fr"]) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<h1>Cegid Loop</h1>"))
                #expect(html.contains("Aucun système ne signale de problème"))
                #expect(html.occurrences(of: "class=\"bar-day ") == 25)
                #expect(html.contains("data-state=\"incident\" data-date=\"2026-11-18\"><details name=\"bar-day\"><summary"))
                #expect(html.contains("Derniers incidents clos"))
                #expect(html.contains("Lenteurs de connexion"))
                #expect(html.contains("Corrigé."))
                // One hour down out of 24.5 observed days: 99.8299 %, shown rounded down.
                #expect(html.contains("<strong class=\"uptime-value\">99,82 %</strong>"))
            }
        }
    }

    @Test func ongoingOutageIsSaidInWords() async throws {
        let fixture = try await SiteFixture()
        try await fixture.store.openEpisode(Episode(productSlug: "stream", condition: .outage, cause: .probe,
                                                    source: "stream/http", start: SiteFixture.now.addingTimeInterval(-60)))
        try await fixture.test { client in
            try await client.execute(uri: "/products/stream?lang=en", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("data-condition=\"outage\""))
                #expect(html.contains("Ongoing incident"))
            }
        }
    }

    @Test(arguments: ["/products/nope", "/products/secret", "/no/such/page"])
    func unknownOrHiddenProductsAnswer404WithAPage(uri: String) async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            try await client.execute(uri: uri + "?lang=en", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("Page not found"))
            }
        }
    }

    @Test func incidentTextIsEscapedNotEvaluated() async throws {
        let fixture = try await SiteFixture()
        let start = fixture.noon(-1)
        try await fixture.store.save(Incident(
            id: "x", title: "<script>alert(1)</script> {{page.lang}}", impact: .minor, productSlugs: ["loop"],
            startedAt: start, resolvedAt: start.addingTimeInterval(60),
            updates: [.init(status: .resolved, message: "<img src=x onerror=alert(2)>", at: start)]))
        try await fixture.test { client in
            try await client.execute(uri: "/products/loop", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(!html.contains("<script>alert(1)</script>"))
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; {{page.lang}}"))
                #expect(!html.contains("<img src=x"))
            }
        }
    }

    @Test func productWithoutChecksCountsAsObservedOnceItExists() async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/products/xrp", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.occurrences(of: "data-state=\"ok\"") == 25 + 1, "25 days and the legend")
                #expect(html.contains("100,00 %"))
            }
        }
    }
}
