import StatusModel

/// A page's link to its Atom feed: in the head for feed readers, and in the page for people.
struct FeedLink {
    let href: String
    let title: String
    let label: String

    init(scope: StatusFeed.Scope, language: Language, catalog: MessageCatalog) {
        href = "\(StatusFeed.path(for: scope))?lang=\(language.rawValue)"
        title = catalog.text("feed_link_title", language)
        label = catalog.text("feed_link", language)
    }
}
