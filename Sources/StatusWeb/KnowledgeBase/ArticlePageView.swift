import Foundation
import Portal

/// The article page's view: number and "Dernière version", title, dates, views, the body as
/// safe HTML, attachments, related and citing articles, the rating and the translation.
struct ArticlePageView {
    struct Attachment {
        let name: String
        let href: String
        let size: String
    }
    struct Rating {
        struct Choice {
            let value: Int
            let label: String
            let checked: Bool
        }
        let signedIn: Bool
        let csrf: String
        let choices: [Choice]
        let error: String?
        let justRated: Bool
        let mine: String?

        init(signedIn: Bool, csrf: String, mine: Int?, error: String?, justRated: Bool, presenter: ArticlePresenter) {
            self.signedIn = signedIn
            self.csrf = csrf
            self.error = error
            self.justRated = justRated
            choices = (1...5).map { Choice(value: $0, label: presenter.text("kb_rating_choice", $0), checked: $0 == mine) }
            self.mine = mine.map { presenter.text("kb_rating_mine", $0) }
        }
    }

    let page: PageChrome
    let number: String
    let versionLabel: String
    let stateLabel: String?
    let title: String
    let updated: String
    let views: String
    let category: String
    let products: String
    let hasProducts: Bool
    let stars: StarsView
    /// Rendered by `ArticleMarkdown`: the one value of these templates in triple braces.
    let body: SafeHTML
    let attachments: [Attachment]
    let hasAttachments: Bool
    let related: [ArticleItemView]
    let hasRelated: Bool
    let citing: [ArticleItemView]
    let hasCiting: Bool
    let translation: ArticleItemView?
    /// "Lire en anglais :", in the translation's language's name.
    let translationLabel: String
    let rating: Rating
    let editHref: String?

    init(article: Article, attachments: [ArticleAttachment], related: [ArticleSummary], citing: [ArticleSummary], translation: Article?,
         presenter: ArticlePresenter, page: PageChrome, rating: Rating, isStaff: Bool) {
        self.page = page
        number = article.number.description
        versionLabel = presenter.text("kb_latest_version", article.version)
        stateLabel = article.state == .published ? nil : presenter.text("kb_state_\(article.state.rawValue)")
        title = article.content.title
        updated = presenter.text("kb_updated_on", presenter.date(article.updatedAt))
        views = presenter.views(article.views)
        category = article.content.category
        products = presenter.products(article.content.productIDs)
        hasProducts = !products.isEmpty  // the products the reader may see: none of them, no empty slot
        stars = presenter.stars(article.rating)
        body = ArticleMarkdown(number: article.number, attachments: attachments).render(article.content.body)
        self.attachments = attachments.map {
            Attachment(name: $0.fileName, href: "/kb/\(article.number)/attachments/\($0.id)",
                       size: FileSize.text($0.blob.size, presenter.language))
        }
        hasAttachments = !attachments.isEmpty
        self.related = related.map(presenter.item)
        hasRelated = !related.isEmpty
        self.citing = citing.map(presenter.item)
        hasCiting = !citing.isEmpty
        self.translation = translation.map { translated in
            presenter.item(ArticleSummary(number: translated.number, title: translated.content.title, category: translated.content.category,
                                          productIDs: translated.content.productIDs, language: translated.content.language,
                                          updatedAt: translated.updatedAt, views: translated.views, rating: translated.rating))
        }
        translationLabel = presenter.text("kb_translation_\(translation?.content.language.rawValue ?? "en")")
        self.rating = rating
        editHref = isStaff ? "/staff/kb/\(article.number)" : nil
    }
}
