import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusModel
@testable import StatusWeb
import Testing

@Suite struct BadgeTests {
    enum Situation: String, CaseIterable { case operational, maintenance, degraded, outage }

    /// Puts Cegid Loop in the condition `situation` names, at the fixture's "now".
    func fixture(in situation: Situation) async throws -> SiteFixture {
        let fixture = try await SiteFixture()
        let now = SiteFixture.now
        switch situation {
        case .operational: break
        case .maintenance:
            try await fixture.store.save(Maintenance(id: "m", title: "Migration", productSlugs: ["loop"],
                                                     start: now.addingTimeInterval(-600), end: now.addingTimeInterval(3600)))
        case .degraded:
            try await fixture.store.save(Incident(id: "d", title: "Lenteurs", impact: .minor, productSlugs: ["loop"],
                                                  startedAt: now.addingTimeInterval(-600)))
        case .outage:
            try await fixture.store.openEpisode(Episode(productSlug: "loop", condition: .outage, cause: .probe,
                                                        source: "loop/http", start: now.addingTimeInterval(-60)))
        }
        return fixture
    }

    @Test(arguments: [
        (Situation.operational, "operational", "opérationnel", "#1a7f37"),
        (.maintenance, "maintenance", "maintenance", "#0969da"),
        (.degraded, "degraded", "dégradé", "#9a6700"),
        (.outage, "outage", "panne", "#cf222e"),
    ])
    func badgeSaysTheCurrentConditionInWords(situation: Situation, english: String, french: String, colour: String) async throws {
        let fixture = try await fixture(in: situation)
        try await fixture.test { client in
            let badge = try await client.fetch("/products/loop/badge.svg?lang=en")
            #expect(badge.status == .ok)
            #expect(badge.headers[.contentType] == "image/svg+xml; charset=utf-8")
            #expect(badge.headers[.cacheControl] == "max-age=60")
            #expect(badge.body.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(badge.body.contains("role=\"img\" aria-label=\"Cegid Loop: \(english)\""))
            #expect(badge.body.contains("<title>Cegid Loop: \(english)</title>"))
            #expect(badge.body.contains(">\(english)</text>"))
            #expect(badge.body.contains("fill=\"\(colour)\""))
            let inFrench = try await client.fetch("/products/loop/badge.svg")
            #expect(inFrench.body.contains("<title>Cegid Loop: \(french)</title>"))
            #expect(inFrench.headers[.contentLanguage] == "fr")
        }
    }

    @Test func badgeAnswers304WhileUnchanged() async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            let first = try await client.fetch("/products/loop/badge.svg")
            let etag = try #require(first.headers[.eTag])
            let again = try await client.fetch("/products/loop/badge.svg", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
        }
    }

    @Test func uptimeBadgeShowsThePercentageOfTheGridsDays() async throws {
        let fixture = try await SiteFixture()
        try await fixture.observeEveryDay()
        let start = fixture.noon(-2)
        try await fixture.store.save(Incident(id: "i1", title: "Panne", impact: .major, productSlugs: ["loop"],
                                              startedAt: start, resolvedAt: start.addingTimeInterval(3600)))
        try await fixture.test { client in
            // One hour down out of 24.5 observed days, as the product page says it.
            let english = try await client.fetch("/products/loop/uptime.svg?lang=en")
            #expect(english.status == .ok)
            #expect(english.headers[.contentType] == "image/svg+xml; charset=utf-8")
            #expect(english.body.contains("<title>uptime: 99.82%</title>"))
            #expect(english.body.contains("fill=\"#9a6700\""), "below three nines")
            let french = try await client.fetch("/products/loop/uptime.svg")
            #expect(french.body.contains("<title>disponibilité: 99,82 %</title>"))
            // The last day only: the outage was two days ago.
            let lastDay = try await client.fetch("/products/loop/uptime.svg?lang=en&days=1")
            #expect(lastDay.body.contains("<title>uptime: 100.00%</title>"))
            #expect(lastDay.body.contains("fill=\"#1a7f37\""))
            let longest = try await client.fetch("/products/loop/uptime.svg?lang=en&days=90")
            #expect(longest.status == .ok)
        }
    }

    @Test func uptimeBadgeSaysNoDataBeforeAnyMeasurement() async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            let badge = try await client.fetch("/products/stream/uptime.svg?lang=en")
            #expect(badge.status == .ok)
            #expect(badge.body.contains("<title>uptime: no data</title>"))
            #expect(badge.body.contains("fill=\"#6e7781\""))
        }
    }

    @Test(arguments: ["0", "91", "abc", "-1", "1.5", ""])
    func badDaysAreRefusedWithASentence(days: String) async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            let answer = try await client.fetch("/products/loop/uptime.svg?lang=en&days=\(days)")
            #expect(answer.status == .badRequest)
            #expect(answer.body.contains("whole number from 1 to 90"))
        }
    }

    @Test(arguments: ["/products/secret/badge.svg", "/products/secret/uptime.svg", "/products/nope/badge.svg", "/products/nope/uptime.svg"])
    func hiddenOrUnknownProductsHaveNoBadge(uri: String) async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            let answer = try await client.fetch(uri)
            #expect(answer.status == .notFound)
            #expect(!answer.body.contains("Secret Beta"))
        }
    }

    @Test func badgeWidthFollowsItsText() throws {
        let short = Badge(label: "uptime", message: "99.82%", colour: .green).svg()
        let long = Badge(label: "Cegid Loop Business Suite", message: "operational", colour: .green).svg()
        func width(_ svg: String) -> Int? {
            svg.range(of: "width=\"").flatMap { Int(svg[$0.upperBound...].prefix { $0.isNumber }) }
        }
        let shortWidth = try #require(width(short))
        let longWidth = try #require(width(long))
        #expect((70...130).contains(shortWidth))
        #expect(longWidth > shortWidth + 80)
        // Verdana 11px measures "operational" about 70 px wide and "i" much narrower than "m".
        #expect((60...80).contains(Badge.textWidth("operational")))
        #expect(Badge.textWidth("iii") < Badge.textWidth("mmm") / 2)
        #expect(Badge.textWidth("dégradé") == Badge.textWidth("degrade"))
    }
}
