import Foundation
import Notify
import Portal
import StatusModel
import Testing

/// The news store on a real SQLite database, and the rule that checks what an operator typed.
@Suite struct NewsStoreTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func store() throws -> SQLiteNewsStore {
        SQLiteNewsStore(database: try SQLiteDatabase.inMemory(migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()]))
    }

    @Test func readersGetWhatIsPublishedInTheirLanguageNewestFirst() async throws {
        let store = try Self.store()
        let both = try await store.create(News(title: "Les deux", body: "b", languages: .both, publishedAt: Self.now.addingTimeInterval(-300), createdAt: Self.now))
        let french = try await store.create(News(title: "Français", body: "f", languages: .fr, publishedAt: Self.now.addingTimeInterval(-60), createdAt: Self.now))
        let english = try await store.create(News(title: "English", body: "e", link: "https://example.com", languages: .en,
                                                  publishedAt: Self.now.addingTimeInterval(-120), createdAt: Self.now))
        let later = try await store.create(News(title: "Plus tard", body: "l", publishedAt: Self.now.addingTimeInterval(60), createdAt: Self.now))
        #expect(try await store.published(language: "fr", at: Self.now, limit: 10).map(\.id) == [french.id, both.id])
        #expect(try await store.published(language: "en", at: Self.now, limit: 10).map(\.id) == [english.id, both.id])
        #expect(try await store.published(language: "en", at: Self.now, limit: 1).map(\.id) == [english.id])
        #expect(try await store.published(language: "fr", at: Self.now.addingTimeInterval(120), limit: 10).first?.id == later.id, "shown once its date comes")
        #expect(try await store.all().map(\.id) == [later.id, french.id, english.id, both.id])
        #expect(try await store.news(id: english.id) == english)
    }

    @Test func changingAndDeleting() async throws {
        let store = try Self.store()
        var piece = try await store.create(News(title: "Avant", body: "b", publishedAt: Self.now, createdAt: Self.now))
        piece.title = "Après"
        piece.link = "https://example.com/apres"
        #expect(try await store.update(piece))
        #expect(try await store.news(id: piece.id) == piece)
        #expect(try await store.delete(id: piece.id))
        #expect(try await store.news(id: piece.id) == nil)
        #expect(!(try await store.delete(id: piece.id)))
        #expect(!(try await store.update(piece)), "no row to change")
    }

    @Test func theDraftRule() {
        func errors(title: String = "Titre", body: String = "Texte", link: String = "", languages: String = "both", date: Date? = nil,
                    unreadable: Bool = false) -> [String: String] {
            switch NewsDraft(title: title, body: body, link: link, languages: languages, publishedAt: date, unreadableDate: unreadable).news(now: Self.now) {
            case .success: return [:]
            case .failure(let errors): return errors.fields
            }
        }
        #expect(errors().isEmpty)
        #expect(errors(title: "  ") == ["title": "news_error_title_required"])
        #expect(errors(title: String(repeating: "x", count: 201)) == ["title": "news_error_title_long"])
        #expect(errors(body: "") == ["body": "news_error_body_required"])
        #expect(errors(languages: "de") == ["languages": "news_error_languages"])
        #expect(errors(unreadable: true) == ["publishedAt": "news_error_date"])
        for bad in ["javascript:alert(1)", "ftp://example.com", "/relative", "https://", "http://exa mple.com", "data:text/html,x", "example.com"] {
            #expect(errors(link: bad) == ["link": "news_error_link"], "\(bad)")
        }
        for good in ["https://example.com", "http://example.com/a?b=c#d", "  https://example.com/x  "] {
            #expect(errors(link: good).isEmpty, "\(good)")
        }
        // "Publish now" without a date; a date kept as typed otherwise.
        guard case .success(let now) = NewsDraft(title: "T", body: "B", link: "", languages: "fr", publishedAt: nil).news(now: Self.now),
              case .success(let later) = NewsDraft(title: "T", body: "B", link: "", languages: "fr", publishedAt: Self.now.addingTimeInterval(3600))
                .news(now: Self.now) else {
            Issue.record("a good draft was refused")
            return
        }
        #expect(now.publishedAt == Self.now && now.link == nil && now.languages == .fr)
        #expect(later.publishedAt == Self.now.addingTimeInterval(3600))
    }
}
