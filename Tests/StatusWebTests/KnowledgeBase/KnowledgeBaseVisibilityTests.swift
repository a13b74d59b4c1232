import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Portal
import StatusWeb
import Testing

/// Drafts, retired articles, customers-only and service-restricted articles are invisible to
/// who may not see them, on every surface: search (results and counts), the article page, the
/// API, related articles, the home blocks and attachment downloads.
@Suite struct KnowledgeBaseVisibilityTests {
    static let hiddenTitles = [KnowledgeBaseWorld.customersTitle, KnowledgeBaseWorld.serviceTitle, KnowledgeBaseWorld.draftTitle,
                               KnowledgeBaseWorld.retiredTitle]

    /// Who asks, and the hidden titles they may see.
    static func readers(_ world: KnowledgeBaseWorld) -> [(name: String, session: String?, sees: Set<String>)] {
        [("anonymous", nil, []),
         ("tenant B's member", world.tenantBMember.session, [KnowledgeBaseWorld.customersTitle]),
         ("tenant A's member", world.fixture.member.session, [KnowledgeBaseWorld.customersTitle, KnowledgeBaseWorld.serviceTitle]),
         ("an agent", world.fixture.agent.session, Set(hiddenTitles))]
    }

    @Test func searchShowsAndCountsOnlyWhatTheReaderMaySee() async throws {
        let world = try await KnowledgeBaseWorld()
        try await world.test { client in
            for reader in Self.readers(world) {
                let page = try await kbGet(client, "/kb?q=factures", session: reader.session)
                #expect(page.status == .ok)
                // Titles come with their matched words marked: each result is found by its number.
                for (title, number) in world.hiddenNumbers {
                    #expect(page.body.contains("data-number=\"\(number)\"") == reader.sees.contains(title), "\(reader.name): \(title)")
                }
                let total = 1 + reader.sees.count
                #expect(page.body.contains("\(total) result\(total == 1 ? "" : "s") for “factures”"), "\(reader.name)")
                // The category's count is the number of articles this reader may see.
                #expect(page.body.contains("Aide à l&#39;utilisation <span class=\"count\">(\(total))</span>")
                        || page.body.contains("Aide à l'utilisation <span class=\"count\">(\(total))</span>"), "\(reader.name)")
            }
        }
    }

    @Test func anArticleTheReaderMayNotSeeIsNotFound() async throws {
        let world = try await KnowledgeBaseWorld()
        let numbers = [KnowledgeBaseWorld.customersTitle: world.customersOnly, KnowledgeBaseWorld.serviceTitle: world.serviceOnly,
                       KnowledgeBaseWorld.draftTitle: world.draft, KnowledgeBaseWorld.retiredTitle: world.retired]
        try await world.test { client in
            #expect(try await kbGet(client, "/kb/\(world.published)").status == .ok)
            for reader in Self.readers(world) {
                for (title, number) in numbers {
                    let page = try await kbGet(client, "/kb/\(number)", session: reader.session)
                    #expect(page.status == (reader.sees.contains(title) ? .ok : .notFound), "\(reader.name): \(title)")
                    if page.status == .notFound { #expect(!page.body.contains(title.htmlEscaped)) }
                }
            }
        }
    }

    @Test func theAPIAnswersWhatTheKeysTenantSees() async throws {
        let world = try await KnowledgeBaseWorld()
        try await world.test { client in
            let keys: [(String, String?, Set<String>)] = [
                ("no key", nil, []), ("tenant B's key", world.tenantBKey, [KnowledgeBaseWorld.customersTitle]),
                ("tenant A's key", world.tenantAKey, [KnowledgeBaseWorld.customersTitle, KnowledgeBaseWorld.serviceTitle]),
                ("a staff key", world.staffKey, Set(Self.hiddenTitles)),
            ]
            for (name, key, sees) in keys {
                let list = try await kbGet(client, "/api/v1/kb/articles?q=factures", bearer: key)
                #expect(list.status == .ok)
                #expect(list.headers[.contentType]?.hasPrefix("application/json") == true)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [String: Any])
                let pagination = try #require(json["pagination"] as? [String: Any])
                #expect(pagination["total"] as? Int == 1 + sees.count, "\(name)")
                for title in Self.hiddenTitles { #expect(list.body.contains(title) == sees.contains(title), "\(name): \(title)") }
                let serviceArticle = try await kbGet(client, "/api/v1/kb/articles/\(world.serviceOnly)", bearer: key)
                #expect(serviceArticle.status == (sees.contains(KnowledgeBaseWorld.serviceTitle) ? .ok : .notFound), "\(name)")
                let draft = try await kbGet(client, "/api/v1/kb/articles/\(world.draft)", bearer: key)
                #expect(draft.status == (sees.contains(KnowledgeBaseWorld.draftTitle) ? .ok : .notFound), "\(name)")
                if draft.status == .notFound { #expect(draft.body.contains(#""not_found""#)) }
            }
        }
    }

    @Test func relatedArticlesAndHomeBlocksListOnlyWhatTheReaderMaySee() async throws {
        let world = try await KnowledgeBaseWorld()
        // Everything was rated and viewed, so each block would list every article it could.
        for number in [world.published, world.customersOnly, world.serviceOnly, world.draft, world.retired] {
            try await world.store.rate(number, userID: world.fixture.agent.user.id, stars: 5, at: SiteFixture.now)
            _ = try await world.store.recordView(number, viewer: "user:\(world.fixture.agent.user.id)", day: "2026-11-20")
        }
        try await world.test { client in
            for reader in Self.readers(world) {
                let article = try await kbGet(client, "/kb/\(world.published)", session: reader.session)
                let home = try await kbGet(client, "/kb", session: reader.session)
                #expect(home.body.contains("Recent articles") && home.body.contains("Top rated articles") && home.body.contains("Recommended right now"))
                for title in Self.hiddenTitles {
                    #expect(article.body.contains(title.htmlEscaped) == reader.sees.contains(title), "related, \(reader.name): \(title)")
                    #expect(home.body.contains(title.htmlEscaped) == reader.sees.contains(title), "/kb, \(reader.name): \(title)")
                }
                guard let session = reader.session else { continue }
                let landing = try await kbGet(client, "/account", session: session)
                #expect(landing.status == .ok)
                #expect(landing.body.contains("Gérer les échéances des factures"), "\(reader.name)'s landing page")
                for title in Self.hiddenTitles {
                    #expect(landing.body.contains(title.htmlEscaped) == reader.sees.contains(title), "/account, \(reader.name): \(title)")
                }
            }
        }
    }

    @Test func attachmentsDownloadOnlyForWhoMaySeeTheirArticle() async throws {
        let world = try await KnowledgeBaseWorld()
        let numbers = [KnowledgeBaseWorld.customersTitle: world.customersOnly, KnowledgeBaseWorld.serviceTitle: world.serviceOnly,
                       KnowledgeBaseWorld.draftTitle: world.draft, KnowledgeBaseWorld.retiredTitle: world.retired, "public": world.published]
        var attachments: [String: ArticleAttachment] = [:]
        for (title, number) in numbers { attachments[title] = try await attach("notes de \(title)", named: "notes.txt", to: number, world) }
        let attached = attachments
        try await world.test { client in
            for reader in Self.readers(world) {
                for (title, attachment) in attached {
                    let download = try await kbGet(client, "/kb/\(attachment.number)/attachments/\(attachment.id)", session: reader.session)
                    let allowed = title == "public" || reader.sees.contains(title)
                    #expect(download.status == (allowed ? .ok : .notFound), "\(reader.name): \(title)")
                    if allowed {
                        #expect(download.body == "notes de \(title)")
                        #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
                        #expect(download.headers[.xContentTypeOptions] == "nosniff")
                    }
                }
            }
            // An attachment asked for under another article's number is not found either.
            let other = try #require(attached["public"])
            #expect(try await kbGet(client, "/kb/\(world.draft)/attachments/\(other.id)", session: world.fixture.agent.session).status == .notFound)
        }
    }

    /// Attaches a text file through the real intake and blob store.
    func attach(_ text: String, named name: String, to number: ArticleNumber, _ world: KnowledgeBaseWorld) async throws -> ArticleAttachment {
        let attachments = world.fixture.attachments
        let file = attachments.store.uploadsFolder.appendingPathComponent(UUID().uuidString)
        try Data(text.utf8).write(to: file)
        let taken = try await attachments.intake.take(file: file, fileName: name)
        return try await world.store.addAttachment(ArticleAttachment(number: number, fileName: taken.fileName, blob: taken.blob, addedAt: SiteFixture.now),
                                                text: taken.text)
    }
}

extension String {
    /// As a template writes it.
    var htmlEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
