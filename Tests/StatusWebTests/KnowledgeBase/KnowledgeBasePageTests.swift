import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Portal
import StatusWeb
import Testing

/// The search and article pages as a reader meets them: hostile text shown as text, the
/// canonical address, views once a day, one rating per user, and bad parameters that still
/// answer a page.
@Suite struct KnowledgeBasePageTests {
    static let payloads = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"]

    @Test func hostileTitlesSnippetsBodiesAndAttachmentExcerptsShowAsText() async throws {
        let world = try await KnowledgeBaseWorld()
        let store = world.store
        for payload in Self.payloads {
            let number = try await store.createArticle(
                ArticleDraft(title: "Piège \(payload) facturation", body: "Texte piège \(payload) facturation\n\n<b>gras</b> [lien](javascript:alert(1))",
                             category: "Portail", language: .fr), state: .published, authorID: nil, at: SiteFixture.now).number
            let file = world.fixture.attachments.store.uploadsFolder.appendingPathComponent(UUID().uuidString)
            try Data("pièce jointe \(payload) zorglub".utf8).write(to: file)
            let taken = try await world.fixture.attachments.intake.take(file: file, fileName: "notes.txt")
            _ = try await store.addAttachment(ArticleAttachment(number: number, fileName: taken.fileName, blob: taken.blob, addedAt: SiteFixture.now),
                                              text: taken.text)
        }
        try await world.test { client in
            for uri in ["/kb?q=facturation", "/kb?q=zorglub", "/kb", "/kb/KB0000006", "/kb/KB0000007"] {
                let page = try await kbGet(client, uri)
                #expect(page.status == .ok, "\(uri)")
                #expect(!page.body.contains("<script>alert"), "\(uri)")
                #expect(!page.body.contains("<img src=x"), "\(uri)")
                #expect(!page.body.contains("onerror=alert(1)>"), "\(uri)")
                #expect(!page.body.contains("href=\"javascript:"), "\(uri)")
                #expect(!page.body.contains("<b>gras"), "\(uri)")
            }
            let results = try await kbGet(client, "/kb?q=facturation")
            #expect(results.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(results.body.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
            let attachment = try await kbGet(client, "/kb?q=zorglub")
            #expect(attachment.body.contains("Summary of: notes.txt"))
            let article = try await kbGet(client, "/kb/KB0000006")
            #expect(article.body.contains("&lt;b&gt;gras&lt;/b&gt;"), "raw HTML in Markdown is shown as text")
            #expect(article.body.contains("lien"), "the dropped link's text stays")
        }
    }

    @Test func anArticleHasOneAddress() async throws {
        let world = try await KnowledgeBaseWorld()
        try await world.test { client in
            for written in ["kb1", "KB1", "kb0000001", "Kb00001"] {
                let answer = try await kbGet(client, "/kb/\(written)")
                #expect(answer.status == .movedPermanently, "\(written)")
                #expect(answer.headers[.location] == "/kb/KB0000001", "\(written)")
            }
            for nonsense in ["KB0", "KB-1", "KB99999999999999999999", "1", "KBx"] {
                #expect(try await kbGet(client, "/kb/\(nonsense)").status == .notFound, "\(nonsense)")
            }
            let page = try await kbGet(client, "/kb/KB0000001")
            #expect(page.body.contains("KB0000001") && page.body.contains("Latest version"))
        }
    }

    @Test func aViewCountsOncePerReaderPerDay() async throws {
        let world = try await KnowledgeBaseWorld()
        try await world.test { client in
            let first = try await kbGet(client, "/kb/\(world.published)")
            #expect(first.body.contains("id=\"kb-views\">1 view<"))
            let cookie = try #require(first.headers[values: .setCookie].first { $0.hasPrefix("kbv=") }?.split(separator: ";").first.map(String.init))
            let again = try await kbGet(client, "/kb/\(world.published)", cookies: [cookie])
            #expect(again.body.contains("id=\"kb-views\">1 view<"), "the same visitor the same day")
            let other = try await kbGet(client, "/kb/\(world.published)")
            #expect(other.body.contains("id=\"kb-views\">2 views<"), "another visitor")
            _ = try await kbGet(client, "/kb/\(world.published)", session: world.fixture.member.session)
            let member = try await kbGet(client, "/kb/\(world.published)", session: world.fixture.member.session)
            #expect(member.body.contains("id=\"kb-views\">3 views<"), "a signed-in user once")
        }
        world.fixture.clock.advance(by: 86_400)
        try await world.test { client in
            let tomorrow = try await kbGet(client, "/kb/\(world.published)", session: world.fixture.member.session)
            #expect(tomorrow.body.contains("id=\"kb-views\">4 views<"), "the next day counts again")
        }
    }

    @Test func eachSignedInUserRatesOnceAndMayChangeTheirRating() async throws {
        let world = try await KnowledgeBaseWorld()
        let member = world.fixture.member, admin = world.fixture.admin
        try await world.test { client in
            let anonymous = try await kbGet(client, "/kb/\(world.published)")
            #expect(!anonymous.body.contains("id=\"kb-rating-form\""))
            #expect(anonymous.body.contains("Sign in to rate this article."))
            let rated = try await kbPost(client, "/kb/\(world.published)/rating", session: member.session, "csrf=\(member.csrf)&stars=2")
            #expect(rated.status == .seeOther)
            _ = try await kbPost(client, "/kb/\(world.published)/rating", session: member.session, "csrf=\(member.csrf)&stars=4")
            _ = try await kbPost(client, "/kb/\(world.published)/rating", session: admin.session, "csrf=\(admin.csrf)&stars=5")
            let page = try await kbGet(client, "/kb/\(world.published)?rated=1", session: member.session)
            #expect(page.body.contains("4.5 out of 5 (2 ratings)"), "one rating each, the member's changed from 2 to 4")
            #expect(page.body.contains("id=\"stars-4\" checked"))
            #expect(page.body.contains("Thank you, your rating is saved."))
            let refused = try await kbPost(client, "/kb/\(world.published)/rating", session: member.session, "csrf=\(member.csrf)&stars=9")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("<p class=\"field-error\" id=\"stars-error\">Choose 1 to 5 stars.</p>"))
            #expect(try await kbPost(client, "/kb/\(world.published)/rating", session: member.session, "stars=1").status == .forbidden)
            #expect(try await kbPost(client, "/kb/\(world.draft)/rating", session: member.session, "csrf=\(member.csrf)&stars=1").status == .notFound)
            let unchanged = try await kbGet(client, "/kb/\(world.published)", session: admin.session)
            #expect(unchanged.body.contains("4.5 out of 5 (2 ratings)"))
        }
    }

    @Test func badParametersAnswerThePageWithDefaults() async throws {
        let world = try await KnowledgeBaseWorld()
        try await world.test { client in
            for query in ["page=-1", "page=0", "page=99999999999999999999", "page=9223372036854775807", "page=abc", "sort=zzz", "language=xx",
                          "category=inconnue", "product=nope", "q=%22%2A-%3A(NEAR", "q=)", "q=" + String(repeating: "facture+", count: 300),
                          "q=factures&page=-9223372036854775808&sort=views&language=EN"] {
                let page = try await kbGet(client, "/kb?\(query)")
                #expect(page.status == .ok, "\(query)")
                #expect(page.body.contains("id=\"kb-search\""), "\(query)")
            }
            for query in ["page=-1", "page=99999999999999999999", "sort=zzz", "language=xx", "per_page=0", "per_page=1000"] {
                let answer = try await kbGet(client, "/api/v1/kb/articles?\(query)")
                #expect(answer.status == .badRequest, "\(query)")
                #expect(answer.body.contains(#""invalid_parameter""#), "\(query)")
            }
            #expect(try await kbGet(client, "/api/v1/kb/articles?q=%22%2A-%3A(NEAR").status == .ok)
        }
    }

    /// An article about products the reader may not see (or no longer in the catalog) names
    /// none of them, and shows no empty slot in its line of details.
    @Test func productsTheReaderMayNotSeeLeaveNoEmptySlot() async throws {
        let world = try await KnowledgeBaseWorld()
        let article = try await world.store.createArticle(
            ArticleDraft(title: "Clôture annuelle", body: "Les étapes de la clôture.", category: "Portail", productIDs: ["gone-product"], language: .fr),
            state: .published, authorID: nil, at: SiteFixture.now)
        try await world.test { client in
            for path in ["/kb?q=cl%C3%B4ture", "/kb/\(article.number)"] {
                let page = try await kbGet(client, path)
                #expect(page.status == .ok)
                #expect(page.body.contains("annuelle"), "\(path)")  // the search marks "Clôture"
                #expect(!page.body.contains("class=\"kb-products\"></span>"), "\(path)")
                #expect(!page.body.contains("gone-product"), "\(path)")
            }
        }
    }

    @Test func filtersSortsAndChips() async throws {
        let world = try await KnowledgeBaseWorld()
        let store = world.store
        _ = try await store.createArticle(ArticleDraft(title: "Invoices in English", body: "How invoices work.", category: "Portail",
                                                       productIDs: ["stream"], language: .en), state: .published, authorID: nil, at: SiteFixture.now)
        try await world.test { client in
            let filtered = try await kbGet(client, "/kb?q=invoices&language=en&product=stream")
            #expect(filtered.body.contains("Applied filters:"))
            #expect(filtered.body.contains("Language: English"))
            #expect(filtered.body.contains("Your search is about: Cegid Stream"))
            #expect(filtered.body.contains("id=\"kb-clear-all\""))
            #expect(filtered.body.contains("href=\"/kb?q=invoices&amp;product=stream\""), "the language chip removes only the language")
            for sort in ["Relevance", "Views", "Newest", "Alphabetical"] { #expect(filtered.body.contains(sort)) }
            let home = try await kbGet(client, "/kb")
            #expect(home.body.contains("id=\"kb-categories\""))
        }
    }
}
