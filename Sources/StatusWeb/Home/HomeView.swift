import Foundation
import Portal
import StatusModel

/// What `/home` shows, already in the reader's language. Every list is stored with its
/// "has" flag: templates see stored properties only, and an empty list must show its sentence.
struct HomeView {
    struct NewsItem {
        let id: String
        let title: String
        /// Markdown made safe by the knowledge base's renderer (no raw HTML, http/https/mailto links only).
        let body: String
        let date: String
        let link: String?
    }

    struct EventItem {
        let id: String
        let kind: String
        let href: String
        let title: String
        let word: String
        let when: String
        let products: String
    }

    struct RequestItem {
        let number: String
        let href: String
        let subject: String
        let state: String
        let stateWord: String
        let updated: String
    }

    /// What the store says is going on, before it is put in words.
    struct Events {
        var products: [String: String]
        var incidents: [Incident] = []
        var maintenances: [Maintenance] = []
        var now = Date()
    }

    /// Formats and texts of one language.
    struct Words {
        let pages: Pages
        let language: Language
        let format: DayFormatter

        init(pages: Pages, language: Language, calendar: DayCalendar) {
            self.pages = pages
            self.language = language
            format = DayFormatter(language: language, calendar: calendar)
        }

        func text(_ key: String) -> String { pages.catalog.text(key, language) }

        func news(_ news: News) -> NewsItem {
            NewsItem(id: String(news.id), title: news.title, body: ArticleMarkdown(number: nil, attachments: []).render(news.body).html,
                     date: format.instant(news.publishedAt), link: news.link)
        }
    }

    let page: PageChrome
    let words: Words
    var servesNews = false
    var news: [NewsItem] = [] { didSet { hasNews = !news.isEmpty } }
    private(set) var hasNews = false
    var events: [EventItem] = []
    private(set) var hasEvents = false
    /// The reader has no accepted service yet: the page says so and leads to "Mes services".
    private(set) var noServices = false
    var servesRequests = false
    var requests: [RequestItem] = []
    private(set) var hasRequests = false
    /// "3 demandes en cours" when there are more than the page lists.
    private(set) var moreRequests: String?
    var articles: ArticleHomeBlocks.View.Block?

    init(page: PageChrome, words: Words) {
        self.page = page
        self.words = words
    }

    mutating func events(_ facts: Events, hasServices: Bool) {
        noServices = !hasServices
        let names = { (slugs: [String]) in slugs.compactMap { facts.products[$0] }.joined(separator: ", ") }
        // There is no page per incident: each leads to the page of its first product the reader sees.
        let href = { (slugs: [String]) in slugs.first { facts.products[$0] != nil }.map { "/products/\($0)" } ?? "/" }
        events = facts.incidents.map { incident in
            EventItem(id: incident.id, kind: "incident", href: href(incident.productSlugs), title: incident.title,
                      word: words.text("shell_home_incident_\(incident.impact == .none ? "none" : incident.impact == .minor ? "minor" : "major")"),
                      when: words.pages.catalog.text("shell_home_since", words.language, words.format.instant(incident.startedAt)),
                      products: names(incident.productSlugs))
        } + facts.maintenances.map { window in
            let running = window.status(at: facts.now) == .inProgress
            return EventItem(id: window.id, kind: "maintenance", href: href(window.productSlugs), title: window.title,
                             word: words.text(running ? "shell_home_maintenance_running" : "shell_home_maintenance_planned"),
                             when: "\(words.format.instant(window.start)) → \(words.format.instant(window.end))", products: names(window.productSlugs))
        }
        hasEvents = !events.isEmpty
    }

    mutating func requests(_ tickets: [Ticket], total: Int) {
        servesRequests = true
        requests = tickets.map { ticket in
            RequestItem(number: ticket.number.description, href: "/requests/\(ticket.number)", subject: ticket.subject, state: ticket.state.rawValue,
                        stateWord: words.text("ticket_state_\(ticket.state.rawValue)"), updated: words.format.instant(ticket.updatedAt))
        }
        hasRequests = !requests.isEmpty
        moreRequests = total > requests.count ? words.pages.catalog.text("shell_home_more_requests", words.language, total) : nil
    }
}
