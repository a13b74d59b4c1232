import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Portal
import StatusModel
import StatusWeb
import Testing

/// The operators' news console (`/staff/news`): refused input comes back next to its field
/// with what was typed; what is published reaches the customers' home page; changing and
/// deleting (after a confirmation page) too; nobody but an operator may write.
@Suite struct NewsConsoleTests {
    @Test func aRefusedFormKeepsTheInputWithEachErrorNextToItsField() async throws {
        let world = try await ShellWorld()
        let ops = world.fixture.operatorLogin
        try await world.test { client in
            let empty = try await world.get(client, "/staff/news", session: ops.session)
            #expect(empty.status == .ok && empty.body.contains("id=\"no-news\""))
            let refused = try await world.post(client, "/staff/news", session: ops.session,
                                               "csrf=\(ops.csrf)&title=&body=\(urlEncoded("Le texte tapé"))&link=\(urlEncoded("javascript:alert(1)"))&languages=en&publishedAt=demain")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.showsError("Give the news a title.", nextTo: "news-title"))
            #expect(refused.body.showsError("The link must be a full web address starting with http:// or https://.", nextTo: "news-link"))
            #expect(refused.body.showsError("This date cannot be read: choose a day and a time.", nextTo: "news-published"))
            #expect(refused.body.keeps("Le texte tapé", in: "news-body"))
            #expect(refused.body.keeps("javascript:alert(1)", in: "news-link"))
            #expect(refused.body.contains("<option value=\"en\" selected>English</option>"))
            #expect(try await SQLiteNewsStore(database: world.fixture.database).all().isEmpty)
        }
    }

    @Test func publishedChangedAndDeletedNewsReachTheHomePage() async throws {
        let world = try await ShellWorld()
        let fixture = world.fixture
        let ops = fixture.operatorLogin
        try await world.test { client in
            let created = try await world.post(client, "/staff/news", session: ops.session,
                                               "csrf=\(ops.csrf)&title=\(urlEncoded("Nouvelle version"))&body=\(urlEncoded("Elle est *là*."))&link=\(urlEncoded("https://example.com/v2"))&languages=both&publishedAt=")
            #expect(created.status == .seeOther && created.headers[.location] == "/staff/news?notice=news_saved")
            _ = try await world.post(client, "/staff/news", session: ops.session,
                                     "csrf=\(ops.csrf)&title=Demain&body=Bientot&link=&languages=both&publishedAt=2026-11-21T09:00")
            let list = try await world.get(client, "/staff/news?notice=news_saved", session: ops.session).body
            #expect(list.contains("The news is saved."))
            #expect(list.contains("Demain</a> <span class=\"tag\">Scheduled</span>"))
            let id = try #require(try await SQLiteNewsStore(database: fixture.database).all().first { $0.title == "Nouvelle version" }?.id)

            var home = try await world.get(client, "/home", session: fixture.member.session).body
            #expect(home.contains("Nouvelle version") && home.contains("<em>là</em>"))
            #expect(!home.contains("Demain"), "scheduled for tomorrow")

            let edit = try await world.get(client, "/staff/news/\(id)", session: ops.session).body
            #expect(edit.keeps("Nouvelle version", in: "news-title") && edit.keeps("https://example.com/v2", in: "news-link"))
            let badEdit = try await world.post(client, "/staff/news/\(id)", session: ops.session,
                                               "csrf=\(ops.csrf)&title=\(urlEncoded("Version 2"))&body=&link=&languages=both&publishedAt=2026-11-20T08:00")
            #expect(badEdit.status == .unprocessableContent && badEdit.body.showsError("Write the text of the news.", nextTo: "news-body"))
            #expect(badEdit.body.keeps("Version 2", in: "news-title"))
            let saved = try await world.post(client, "/staff/news/\(id)", session: ops.session,
                                              "csrf=\(ops.csrf)&title=\(urlEncoded("Version 2"))&body=Disponible&link=&languages=both&publishedAt=2026-11-20T08:00")
            #expect(saved.status == .seeOther)
            home = try await world.get(client, "/home", session: fixture.member.session).body
            #expect(home.contains("Version 2") && !home.contains("Nouvelle version") && !home.contains("news-link"))

            // Deleting asks first, with a button that says what it does.
            let confirm = try await world.get(client, "/staff/news/\(id)/delete", session: ops.session).body
            #expect(confirm.contains("<strong id=\"delete-title\">Version 2</strong>"))
            #expect(confirm.contains("<button type=\"submit\" class=\"danger\" id=\"confirm-delete-news\">Delete for good</button>"))
            #expect(try await world.get(client, "/home", session: fixture.member.session).body.contains("Version 2"), "asking deletes nothing")
            let deleted = try await world.post(client, "/staff/news/\(id)/delete", session: ops.session, "csrf=\(ops.csrf)")
            #expect(deleted.status == .seeOther && deleted.headers[.location] == "/staff/news?notice=news_deleted")
            #expect(!(try await world.get(client, "/home", session: fixture.member.session).body.contains("Version 2")))
            #expect(try await world.get(client, "/staff/news/\(id)", session: ops.session).status == .notFound)
            #expect(try await world.get(client, "/staff/news/abc", session: ops.session).status == .notFound)
            #expect(try await world.get(client, "/staff/news/99999999999999999999", session: ops.session).status == .notFound)
        }
    }

    @Test func onlyOperatorsWriteNews() async throws {
        let world = try await ShellWorld()
        let fixture = world.fixture
        let store = SQLiteNewsStore(database: fixture.database)
        let kept = try await store.create(News(title: "Gardée", body: "Texte", publishedAt: fixture.clock.now, createdAt: fixture.clock.now))
        try await world.test { client in
            for login in [fixture.member, fixture.admin, fixture.agent] {
                let body = "csrf=\(login.csrf)&title=Pirate&body=Texte&link=&languages=both&publishedAt="
                #expect(try await world.post(client, "/staff/news", session: login.session, body).status == .forbidden)
                #expect(try await world.post(client, "/staff/news/\(kept.id)", session: login.session, body).status == .forbidden)
                #expect(try await world.post(client, "/staff/news/\(kept.id)/delete", session: login.session, "csrf=\(login.csrf)").status == .forbidden)
                #expect(try await world.get(client, "/staff/news", session: login.session).status == .forbidden)
            }
            let anonymous = try await world.post(client, "/staff/news", session: nil, "title=Pirate&body=Texte&languages=both")
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login")
            // The operator's own form without its token changes nothing either.
            let forged = try await world.post(client, "/staff/news/\(kept.id)/delete", session: fixture.operatorLogin.session, "csrf=wrong")
            #expect(forged.status == .forbidden)
        }
        #expect(try await store.all() == [kept], "nothing written, nothing deleted")
    }
}
