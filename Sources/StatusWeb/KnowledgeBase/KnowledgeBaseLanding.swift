import Foundation
import Hummingbird
import Portal
import StatusModel

/// The knowledge base's home blocks on the portal's signed-in landing page (`/account`), as
/// the signed-in reader may see them.
struct KnowledgeBaseLanding: Sendable {
    let knowledgeBase: KnowledgeBaseSite
    let calendar: DayCalendar
    let clock: @Sendable () -> Date
    let products: @Sendable () async throws -> [Product]

    func blocks(_ request: Request, identity: Identity?, audience: ProductAudience, pages: Pages) async throws -> ArticleHomeBlocks.View {
        // Only the products the reader may see name an article's products.
        let presenter = ArticlePresenter(language: pages.language(of: request), catalog: pages.catalog, calendar: calendar,
                                         products: audience.visible(try await products()))
        return try await ArticleHomeBlocks(store: knowledgeBase.store).view(for: KnowledgeBaseReader(identity), now: clock(), presenter: presenter)
    }
}
