import Foundation
import Portal

/// "Articles récents", "Articles les mieux notés" and "Recommandés en ce moment" (the most
/// viewed over 30 days), as the reader may see them: on `/kb` without a query and on the
/// portal's signed-in landing page.
struct ArticleHomeBlocks: Sendable {
    let store: any KnowledgeBaseStore
    static let perBlock = 5
    static let recommendationWindow: TimeInterval = 30 * 86_400

    struct View {
        struct Block {
            let id: String
            let title: String
            let items: [ArticleItemView]
            let hasItems: Bool
        }
        let blocks: [Block]
        let hasArticles: Bool
    }

    func view(for reader: KnowledgeBaseReader, now: Date, presenter: ArticlePresenter) async throws -> View {
        async let recent = store.recent(for: reader, limit: Self.perBlock)
        async let rated = store.topRated(for: reader, limit: Self.perBlock)
        async let viewed = store.mostViewed(since: now.addingTimeInterval(-Self.recommendationWindow), for: reader, limit: Self.perBlock)
        let blocks = [("kb-recent", "kb_block_recent", try await recent), ("kb-top-rated", "kb_block_top_rated", try await rated),
                      ("kb-recommended", "kb_block_recommended", try await viewed)]
            .map { id, key, summaries in
                View.Block(id: id, title: presenter.text(key), items: summaries.map(presenter.item), hasItems: !summaries.isEmpty)
            }
        return View(blocks: blocks, hasArticles: blocks.contains { $0.hasItems })
    }
}
