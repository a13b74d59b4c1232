import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusModel
@testable import StatusWeb
import Testing

/// Text an operator typed (or pasted) reaches readers as text: never markup, never a template.
@Suite struct HostileTextTests {
    static let title = "<script>alert(1)</script>"
    static let message = "{{secret}} <b>x</b>"

    @Test(arguments: [
        ("plain", "plain"),
        ("a & b", "a &amp; b"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("say \"hi\" it's", "say &quot;hi&quot; it&#39;s"),
        ("&amp;", "&amp;amp;"),
        ("{{secret}}", "{{secret}}"),
        ("tab\tline\ncr\r", "tab\tline\ncr\r"),
        ("bell\u{07}nul\u{00}esc\u{1B}end", "bellnulescend"),
        ("\u{FFFE}\u{FFFF}ok", "ok"),
        ("é 😀 中", "é 😀 中"),
    ])
    func escaperMakesTextSafeForXML(input: String, expected: String) {
        #expect(XMLEscaping.escape(input) == expected)
    }

    func fixtureWithHostileIncident() async throws -> SiteFixture {
        let fixture = try await SiteFixture()
        let start = fixture.noon(-1)
        try await fixture.store.save(Incident(
            id: "hostile", title: Self.title, impact: .major, productSlugs: ["loop"],
            startedAt: start, resolvedAt: start.addingTimeInterval(600),
            updates: [.init(status: .resolved, message: Self.message, at: start.addingTimeInterval(600))]))
        try await fixture.store.save(Incident(
            id: "hostile-open", title: Self.title, impact: .major, productSlugs: ["loop"], startedAt: SiteFixture.now.addingTimeInterval(-60),
            updates: [.init(status: .investigating, message: Self.message, at: SiteFixture.now.addingTimeInterval(-60))]))
        return fixture
    }

    @Test func hostileIncidentIsEscapedInFeedsPagesAndBadges() async throws {
        let fixture = try await fixtureWithHostileIncident()
        try await fixture.test { client in
            for uri in ["/feed.atom", "/products/loop/feed.atom?lang=en"] {
                let feed = try await client.fetch(uri)
                #expect(feed.status == .ok)
                #expect(!feed.body.contains("<script"), "\(uri)")
                #expect(!feed.body.contains("<b>"), "\(uri)")
                #expect(feed.body.contains("<title type=\"text\">&lt;script&gt;alert(1)&lt;/script&gt;</title>"), "\(uri)")
                // HTML content escaped once for HTML and once for XML: a reader shows "<b>x</b>" as text.
                #expect(feed.body.contains("{{secret}} &amp;lt;b&amp;gt;x&amp;lt;/b&amp;gt;"), "\(uri)")
            }
            for uri in ["/products/loop", "/"] {
                let page = try await client.fetch(uri)
                #expect(page.status == .ok)
                #expect(!page.body.contains("<script"), "\(uri)")
                #expect(!page.body.contains("<b>x"), "\(uri)")
            }
            let product = try await client.fetch("/products/loop")
            #expect(product.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(product.body.contains("{{secret}} &lt;b&gt;x&lt;/b&gt;"), "the template expression is shown, not evaluated")
            for uri in ["/products/loop/badge.svg", "/products/loop/uptime.svg"] {
                let badge = try await client.fetch(uri)
                #expect(badge.status == .ok)
                #expect(!badge.body.contains("<script"), "\(uri)")
            }
        }
    }

    @Test func aProductNameWithMarkupIsEscapedInTheBadge() async throws {
        let fixture = try await SiteFixture()
        try await fixture.store.syncProducts([
            Product(slug: "loop", name: "<b>\"Tom\" & Jerry's</b>", family: "Finance", position: 1, monitoredSince: SiteFixture.longAgo),
        ])
        try await fixture.test { client in
            let badge = try await client.fetch("/products/loop/badge.svg?lang=en")
            #expect(!badge.body.contains("<b>"))
            #expect(badge.body.contains("aria-label=\"&lt;b&gt;&quot;Tom&quot; &amp; Jerry&#39;s&lt;/b&gt;: operational\""))
            #expect(badge.body.contains("<title>&lt;b&gt;&quot;Tom&quot; &amp; Jerry&#39;s&lt;/b&gt;: operational</title>"))
        }
    }
}
