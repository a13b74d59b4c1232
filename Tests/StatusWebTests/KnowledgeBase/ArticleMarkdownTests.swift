import Foundation
import Portal
@testable import StatusWeb
import Testing

/// An article's body as a reader's browser gets it: Markdown rendered, whatever the author
/// typed never becomes markup of its own, script or a dangerous link.
@Suite struct ArticleMarkdownTests {
    static let number = ArticleNumber(7)
    static let attachments = [
        ArticleAttachment(id: 3, number: number, fileName: "schema.png", blob: BlobReference(sha256: String(repeating: "a", count: 64), size: 10, contentType: "image/png"), addedAt: Date()),
        ArticleAttachment(id: 4, number: number, fileName: "logo.svg", blob: BlobReference(sha256: String(repeating: "b", count: 64), size: 10, contentType: "image/svg+xml"), addedAt: Date()),
    ]

    func html(_ markdown: String) -> String {
        ArticleMarkdown(number: Self.number, attachments: Self.attachments).render(markdown).html
    }

    @Test func markdownBecomesHTML() {
        let out = html("# Titre\n\nUn **mot** et *un autre*, `code`.\n\n- un\n- deux\n\n[Aide](https://example.com/aide)")
        #expect(out.contains("<h1>Titre</h1>"))
        #expect(out.contains("<strong>mot</strong>"))
        #expect(out.contains("<em>un autre</em>"))
        #expect(out.contains("<code>code</code>"))
        #expect(out.contains("<li>un</li>"))
        #expect(out.contains("<a href=\"https://example.com/aide\">Aide</a>"))
    }

    @Test func rawHTMLOfTheAuthorIsShownAsText() {
        for raw in ["<script>alert(1)</script>", "Texte <img src=x onerror=alert(1)> fin", "<div onclick=\"alert(1)\">clic</div>",
                    "\"><img src=x onerror=alert(1)>", "<iframe src=\"https://evil.test\"></iframe>", "<svg onload=alert(1)>"] {
            let out = html(raw)
            #expect(!out.contains("<script"), "\(raw) → \(out)")
            #expect(!out.contains("<img"), "\(raw) → \(out)")
            #expect(!out.contains("<div"), "\(raw) → \(out)")
            #expect(!out.contains("<iframe"), "\(raw) → \(out)")
            #expect(!out.contains("<svg"), "\(raw) → \(out)")
        }
        #expect(html("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func linksGoOnlyToHttpHttpsMailtoAndRelativeAddresses() {
        #expect(html("[a](http://x.test/)").contains("href=\"http://x.test/\""))
        #expect(html("[a](mailto:aide@x.test)").contains("href=\"mailto:aide@x.test\""))
        #expect(html("[a](/kb/KB0000002)").contains("href=\"/kb/KB0000002\""))
        #expect(html("[a](guide#etape-2)").contains("href=\"guide#etape-2\""))
        for hostile in ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                        "javascript&#58;alert(1)", "javascript&#x3A;alert(1)", "data:text/html,<script>alert(1)</script>",
                        "vbscript:msgbox(1)", "&#106;avascript:alert(1)"] {
            let out = html("[cliquez](\(hostile))")
            #expect(!out.contains("<a"), "\(hostile) → \(out)")
            #expect(out.contains("cliquez"), "the text stays: \(out)")
        }
    }

    @Test func anAddressCannotBreakOutOfItsAttribute() {
        let out = html("[x](https://x.test/\" onmouseover=\"alert(1))")
        #expect(!out.contains("onmouseover=\""), "\(out)")
        let code = html("```\" onclick=\"alert(1)\nlet a = 1\n```")
        #expect(!code.contains("onclick"), "\(code)")
        #expect(code.contains("let a = 1"))
    }

    @Test func imagesComeOnlyFromTheArticlesOwnImageAttachments() {
        #expect(html("![Schéma](schema.png)").contains("<img src=\"/kb/KB0000007/attachments/3\" alt=\"Schéma\""))
        #expect(html("![Schéma](attachments/3)").contains("src=\"/kb/KB0000007/attachments/3\""))
        let elsewhere = html("![pixel](https://tracker.test/p.gif)")
        #expect(!elsewhere.contains("<img"), "\(elsewhere)")
        #expect(elsewhere.contains("pixel"))
        #expect(!html("![logo](logo.svg)").contains("<img"), "SVG may hold script: never shown")
        #expect(!html("![x](/kb/KB0000008/attachments/3)").contains("<img"), "another article's address")
    }

    @Test func articleNumbersLinkToTheirArticles() {
        let out = html("Voir KB0000123 et kb0000045, pas KB12345678 ni XKB0000001.")
        #expect(out.contains("<a href=\"/kb/KB0000123\" class=\"kb-ref\">KB0000123</a>"))
        #expect(out.contains("<a href=\"/kb/KB0000045\" class=\"kb-ref\">KB0000045</a>"))
        #expect(!out.contains("KB12345678</a>"))
        #expect(!out.contains("/kb/KB0000001"))
        // Inside code a number stays text.
        #expect(!html("`KB0000123`").contains("<a"))
    }
}
