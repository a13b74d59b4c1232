import Foundation
import StatusModel

/// The Atom feed of incidents and maintenance windows, for every product its reader sees or
/// for one: what the pages say, laid out for feed readers.
struct StatusFeed {
    /// The products a feed covers.
    enum Scope {
        case allProducts
        case product(Product)
    }

    /// Feed readers fetch often; the latest entries are enough to notice what changed.
    static let entryLimit = 50

    let scope: Scope
    /// The products the reader sees (hidden ones never): an item shows with these only.
    let products: [Product]
    let language: Language
    let catalog: MessageCatalog
    let calendar: DayCalendar
    /// The configured public address, without a trailing slash: links never come from the Host header.
    let baseURL: String

    init(scope: Scope, products: [Product], language: Language, catalog: MessageCatalog, calendar: DayCalendar, baseURL: String) {
        self.scope = scope
        self.products = products.filter { $0.visibility != .hidden }.sorted { $0.position < $1.position }
        self.language = language
        self.catalog = catalog
        self.calendar = calendar
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// The feed's path on the site, for the pages' links and the feed's own `rel="self"`.
    static func path(for scope: Scope) -> String {
        switch scope {
        case .allProducts: "/feed.atom"
        case .product(let product): "/products/\(product.slug)/feed.atom"
        }
    }

    func feed(incidents: [Incident], maintenances: [Maintenance], now: Date) -> AtomFeed {
        let formatter = DayFormatter(language: language, calendar: calendar)
        var seen = Set<String>()
        let incidentEntries = incidents.filter { seen.insert($0.id).inserted }
            .compactMap { incident in covered(incident.productSlugs).map { entry(for: incident, on: $0, formatter: formatter) } }
        let maintenanceEntries = maintenances
            .compactMap { window in covered(window.productSlugs).map { entry(for: window, on: $0, now: now, formatter: formatter) } }
        let entries = (incidentEntries + maintenanceEntries)
            .sorted { ($0.updated, $0.id) > ($1.updated, $1.id) }
            .prefix(Self.entryLimit)
        let siteName = catalog.text("site_name", language)
        let scopeName: String
        let pagePath: String
        switch scope {
        case .allProducts: (scopeName, pagePath) = (siteName, "/")
        case .product(let product): (scopeName, pagePath) = ("\(product.name) · \(siteName)", "/products/\(product.slug)")
        }
        return AtomFeed(
            id: tag("\(Self.path(for: scope).dropFirst())/\(language.rawValue)"),
            title: catalog.text("feed_title", language, scopeName),
            subtitle: catalog.text("feed_subtitle", language),
            updated: feedUpdated(entries: Array(entries), now: now),
            language: language.rawValue,
            selfURL: absolute(Self.path(for: scope)),
            alternateURL: absolute(pagePath),
            author: siteName,
            entries: Array(entries)
        )
    }

    // MARK: Entries

    private func entry(for incident: Incident, on affected: [Product], formatter: DayFormatter) -> AtomFeed.Entry {
        let lastChange = ([incident.startedAt] + [incident.resolvedAt].compactMap { $0 } + incident.updates.map(\.at)).max()
            ?? incident.startedAt
        var html = affectedParagraph(affected)
        for update in incident.updates.sorted(by: { $0.at > $1.at }) {
            html += "<p><strong>\(Self.html(catalog.text("incident_status_\(update.status.rawValue)", language)))</strong>"
                + " · <em>\(Self.html(formatter.instant(update.at)))</em><br>\(Self.htmlLines(update.message))</p>"
        }
        return AtomFeed.Entry(
            id: tag("incident/\(Self.tagSafe(incident.id))"),
            title: incident.title,
            updated: lastChange,
            published: incident.startedAt,
            link: productLink(affected),
            category: .init(term: "incident", label: catalog.text("feed_category_incident", language)),
            contentHTML: html
        )
    }

    private func entry(for window: Maintenance, on affected: [Product], now: Date, formatter: DayFormatter) -> AtomFeed.Entry {
        let status = window.status(at: now)
        let statusWord = catalog.text("maintenance_status_\(status.rawValue)", language)
        let schedule = catalog.text("feed_maintenance_schedule", language, formatter.instant(window.start), formatter.instant(window.end))
        var html = "<p><strong>\(Self.html(statusWord))</strong> · \(Self.html(schedule))</p>"
        if !window.message.isEmpty { html += "<p>\(Self.htmlLines(window.message))</p>" }
        html += affectedParagraph(affected)
        // A window changes when it begins and when it ends; when it was announced is not stored,
        // so an upcoming window carries its start.
        let updated = status == .completed ? window.end : window.start
        return AtomFeed.Entry(
            id: tag("maintenance/\(Self.tagSafe(window.id))"),
            title: catalog.text("feed_maintenance_title", language, window.title),
            updated: updated,
            published: nil,
            link: productLink(affected),
            category: .init(term: "maintenance", label: catalog.text("feed_category_maintenance", language)),
            contentHTML: html
        )
    }

    /// The reader's products among `slugs`, in grid order; nil when the feed must not show the
    /// item (it touches none they see, or not the feed's product).
    private func covered(_ slugs: [String]) -> [Product]? {
        let affected = products.filter { slugs.contains($0.slug) }
        switch scope {
        case .allProducts: return affected.isEmpty ? nil : affected
        case .product(let product): return affected.contains { $0.slug == product.slug } ? affected : nil
        }
    }

    private func affectedParagraph(_ affected: [Product]) -> String {
        "<p>\(Self.html(catalog.text("feed_affected_products", language))) "
            + affected.map { "<a href=\"\(Self.html(absolute("/products/\($0.slug)")))\">\(Self.html($0.name))</a>" }
            .joined(separator: ", ") + "</p>"
    }

    /// The feed's own product page, or the first affected product's page in the site-wide feed.
    private func productLink(_ affected: [Product]) -> String {
        switch scope {
        case .product(let product): absolute("/products/\(product.slug)")
        case .allProducts: affected.first.map { absolute("/products/\($0.slug)") } ?? absolute("/")
        }
    }

    /// The newest entry's change that already happened: an upcoming window's start is not a change yet.
    /// With no entry, the start of monitoring: a stable value, so the ETag does not move for nothing.
    private func feedUpdated(entries: [AtomFeed.Entry], now: Date) -> Date {
        entries.map(\.updated).filter { $0 <= now }.max()
            ?? products.map(\.monitoredSince).filter { $0 <= now }.max()
            ?? Date(timeIntervalSince1970: 0)
    }

    // MARK: Identifiers and text

    private func absolute(_ path: String) -> String { "\(baseURL)\(path)?lang=\(language.rawValue)" }

    /// A `tag:` URI (RFC 4151) on the site's host: stable per incident or window whatever the
    /// language or the product feed it shows in, so readers never see one item twice.
    private func tag(_ specific: String) -> String {
        let host = URLComponents(string: baseURL)?.host.flatMap { $0.isEmpty ? nil : $0 } ?? "statusd"
        return "tag:\(host),2026:\(specific)"
    }

    private static func tagSafe(_ identifier: String) -> String {
        identifier.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? identifier
    }

    /// User text as HTML text: escaped, so `<script>` or `{{x}}` show as written.
    static func html(_ text: String) -> String { XMLEscaping.escape(text) }

    /// Like `html(_:)`, keeping the operator's line breaks.
    static func htmlLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { html(String($0)) }.joined(separator: "<br>")
    }
}
