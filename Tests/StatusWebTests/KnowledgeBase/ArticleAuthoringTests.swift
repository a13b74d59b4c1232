import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Portal
import StatusWeb
import Testing

/// `/staff/kb` as an agent uses it: create, preview, edit (a published edit is a new version),
/// publish and retire, attach and remove files, read and restore versions; bad input shows the
/// form again with the message next to the field; every form needs its CSRF token.
@Suite struct ArticleAuthoringTests {
    static func form(_ csrf: String, title: String = "Relancer une facture", body: String = "Depuis **le portail**.",
                     category: String = "Portail", language: String = "fr", extra: String = "") -> String {
        "csrf=\(csrf)&title=\(urlEncoded(title))&body=\(urlEncoded(body))&category=\(urlEncoded(category))&language=\(language)"
            + "&products%5B%5D=loop&visibility=everyone" + extra
    }

    @Test func anAgentCreatesPreviewsEditsAndRestores() async throws {
        let world = try await KnowledgeBaseWorld()
        let agent = world.fixture.agent
        try await world.test { client in
            let list = try await kbGet(client, "/staff/kb", session: agent.session)
            #expect(list.status == .ok)
            for title in [KnowledgeBaseWorld.draftTitle, KnowledgeBaseWorld.retiredTitle] { #expect(list.body.contains(title.htmlEscaped)) }
            let drafts = try await kbGet(client, "/staff/kb?state=draft", session: agent.session)
            #expect(drafts.body.contains(KnowledgeBaseWorld.draftTitle.htmlEscaped) && !drafts.body.contains(KnowledgeBaseWorld.retiredTitle.htmlEscaped))

            let preview = try await kbPost(client, "/staff/kb", session: agent.session,
                                           Self.form(agent.csrf, body: "Un **aperçu** <script>alert(1)</script>", extra: "&action=preview"))
            #expect(preview.status == .ok)
            #expect(preview.body.contains("<strong>aperçu</strong>"))
            #expect(preview.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !preview.body.contains("<script>alert"))
            #expect(try await world.store.allArticles().count == 5, "a preview saves nothing")

            let created = try await kbPost(client, "/staff/kb", session: agent.session, Self.form(agent.csrf, extra: "&action=publish"))
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            #expect(location.hasPrefix("/staff/kb/KB0000006"))
            let number = try #require(ArticleNumber("KB0000006"))
            #expect(try await kbGet(client, "/kb/KB0000006").body.contains("Version 1 · Latest version"))

            let edited = try await kbPost(client, "/staff/kb/KB0000006", session: agent.session,
                                          Self.form(agent.csrf, title: "Relancer une facture impayée", extra: "&action=save"))
            #expect(edited.status == .seeOther)
            let page = try await kbGet(client, "/kb/KB0000006")
            #expect(page.body.contains("Relancer une facture impayée") && page.body.contains("Version 2 · Latest version"))
            let editPage = try await kbGet(client, "/staff/kb/KB0000006", session: agent.session)
            #expect(editPage.body.contains("href=\"/staff/kb/KB0000006/versions/1\""))
            let old = try await kbGet(client, "/staff/kb/KB0000006/versions/1", session: agent.session)
            #expect(old.status == .ok && old.body.contains("Relancer une facture<") && old.body.contains("Version 1<"))
            #expect(try await kbGet(client, "/staff/kb/KB0000006/versions/1", session: world.fixture.member.session).status == .forbidden)
            #expect(try await kbGet(client, "/staff/kb/KB0000006/versions/99", session: agent.session).status == .notFound)

            let restored = try await kbPost(client, "/staff/kb/KB0000006/versions/1/restore", session: agent.session, "csrf=\(agent.csrf)")
            #expect(restored.status == .seeOther)
            let article = try #require(try await world.store.article(number, for: .anonymous))
            #expect(article.content.title == "Relancer une facture")
            #expect(article.version == 3)

            let retired = try await kbPost(client, "/staff/kb/KB0000006/state", session: agent.session, "csrf=\(agent.csrf)&state=retired")
            #expect(retired.status == .seeOther)
            #expect(try await kbGet(client, "/kb/KB0000006").status == .notFound)
            _ = try await kbPost(client, "/staff/kb/KB0000006/state", session: agent.session, "csrf=\(agent.csrf)&state=published")
            #expect(try await kbGet(client, "/kb/KB0000006").status == .ok)
        }
    }

    @Test func badInputShowsTheFormAgainWithTheMessageNextToTheField() async throws {
        let world = try await KnowledgeBaseWorld()
        let agent = world.fixture.agent
        try await world.test { client in
            let untitled = try await kbPost(client, "/staff/kb", session: agent.session,
                                            Self.form(agent.csrf, title: " ", body: "Le texte gardé", extra: "&related=KB12+zut&action=save"))
            #expect(untitled.status == .unprocessableContent)
            #expect(untitled.body.showsError("Give a title.", nextTo: "title"))
            #expect(untitled.body.showsError("Write article numbers such as KB0000123.", nextTo: "related"))
            #expect(untitled.body.keeps("Le texte gardé", in: "body"))
            #expect(untitled.body.keeps("KB12 zut", in: "related"))
            let badCategory = try await kbPost(client, "/staff/kb", session: agent.session, Self.form(agent.csrf, category: "Inventée", extra: "&action=save"))
            #expect(badCategory.status == .unprocessableContent)
            #expect(badCategory.body.showsError("Choose a category from the list.", nextTo: "category"))
            #expect(badCategory.body.keeps("Relancer une facture", in: "title"))
            #expect(try await world.store.allArticles().count == 5, "nothing stored")
        }
    }

    @Test func uploadsOverTheLimitOrOfARefusedTypeStoreNothing() async throws {
        let world = try await KnowledgeBaseWorld()
        let agent = world.fixture.agent
        func upload(_ name: String, _ bytes: [UInt8], csrf: String) async throws -> (HTTPResponse.Status, String) {
            let boundary = "----kbtest\(UUID().uuidString.prefix(8))"
            var body = ByteBuffer()
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n")
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/pdf\r\n\r\n")
            body.writeBytes(bytes)
            body.writeString("\r\n--\(boundary)--\r\n")
            var headers = pageHeaders(session: agent.session)
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            let sentHeaders = headers, sentBody = body
            let result = ResultBox()
            try await world.test { client in
                try await client.execute(uri: "/staff/kb/\(world.published)/attachments", method: .post, headers: sentHeaders, body: sentBody) {
                    result.set($0.status, String(buffer: $0.body))
                }
            }
            return result.value
        }
        let html = try await upload("guide.pdf", Array("<!DOCTYPE html><html><script>alert(1)</script></html>".utf8), csrf: agent.csrf)
        #expect(html.0 == .unprocessableContent)
        #expect(html.1.showsError("guide.pdf was not added: this type of file (text/html) is not accepted.", nextTo: "file"))
        let large = try await upload("gros.txt", [UInt8](repeating: 65, count: Int(TestKnowledgeBase.uploadLimit) + 10), csrf: agent.csrf)
        #expect(large.0 == .unprocessableContent)
        #expect(large.1.contains("gros.txt was not added: it is larger than"), "\(large.1)")
        #expect(large.1.contains("<p class=\"field-error\">gros.txt was not added"))
        #expect(try await world.store.attachments(of: world.published).isEmpty, "nothing stored")
        #expect(try await upload("notes.txt", Array("bonjour".utf8), csrf: "wrong").0 == .forbidden)
        let stored = try await upload("../../etc/notes.txt", Array("bonjour".utf8), csrf: agent.csrf)
        #expect(stored.0 == .seeOther)
        let attachments = try await world.store.attachments(of: world.published)
        #expect(attachments.map(\.fileName) == ["notes.txt"], "the name has no folder")
    }

    /// Every state-changing form of the knowledge base refuses a request without its token.
    @Test func everyFormNeedsItsCSRFToken() async throws {
        let world = try await KnowledgeBaseWorld()
        let agent = world.fixture.agent
        let number = world.published
        try await world.test { client in
            // The upload form's token is refused by `uploadsOverTheLimitOrOfARefusedTypeStoreNothing` (a multipart body).
            for uri in ["/staff/kb", "/staff/kb/\(number)", "/staff/kb/\(number)/state", "/staff/kb/\(number)/attachments/1/remove", "/staff/kb/\(number)/versions/1/restore", "/kb/\(number)/rating"] {
                for token in ["", "csrf=not-the-token&"] {
                    let answer = try await kbPost(client, uri, session: agent.session, token + Self.form("x").replacingOccurrences(of: "csrf=x&", with: "")
                                                  + "&state=retired&stars=3")
                    #expect(answer.status == .forbidden, "\(uri) \(token)")
                }
            }
            #expect(try await world.store.article(number, for: .anonymous)?.state == .published, "nothing changed")
        }
    }
}

/// Carries what a test client's closure saw out of it.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (HTTPResponse.Status, String) = (.ok, "")
    func set(_ status: HTTPResponse.Status, _ body: String) { lock.withLock { stored = (status, body) } }
    var value: (HTTPResponse.Status, String) { lock.withLock { stored } }
}
