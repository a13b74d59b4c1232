import Foundation
import StatusModel

/// What every page shares: language, texts, title, the link to the other language, the
/// vendor's branding, the site's menu, and the header's "Se connecter" or the signed-in user's menu.
struct PageChrome {
    let lang: String
    let t: [String: String]
    let title: String
    let switchLanguageHref: String
    let switchLanguageLabel: String
    let switchLanguageCode: String
    let stylesheet: String
    let brandName: String
    /// The logo's path, when the config names one.
    let logo: String?
    let footerLinks: [SiteBrand.FooterLink]
    let hasFooterLinks: Bool
    let phone: String?
    let phoneHref: String?
    /// The signed-in reader's menu; nil shows "Se connecter".
    let account: AccountMenu?
    /// The login page, told to come back here.
    let signInHref: String
    let servesKnowledgeBase: Bool
    let servesTickets: Bool
    let servesNews: Bool
    /// The menu of every page, as this reader may use it.
    let navigation: [SiteNavigation.Entry]

    init(language: Language, catalog: MessageCatalog, title: String) {
        let brand = catalog.brand
        brandName = brand.name.text(language.rawValue)
        logo = brand.logo?.path
        servesKnowledgeBase = brand.servesKnowledgeBase
        servesTickets = brand.servesTickets
        servesNews = brand.servesNews
        footerLinks = brand.footerLinks(language)
        hasFooterLinks = !footerLinks.isEmpty
        phone = brand.phone
        phoneHref = brand.phoneDial.map { "tel:\($0)" }
        let visitor = PageVisitor.current
        let text = { (key: String) in catalog.text(key, language) }
        let menu = SiteNavigation(brand: brand, visitor: visitor, text: text)
        navigation = menu.entries
        account = visitor?.user.map { AccountMenu($0, section: menu.section, text: text) }
        signInHref = Self.signInHref(returningTo: visitor?.path)
        let other = language == .fr ? Language.en : .fr
        self.lang = language.rawValue
        self.t = catalog.table(language)
        self.title = title
        // A query alone: it stays on this page of this site whatever the path holds (the 404 of
        // `//evil.test/` once linked to `//evil.test/?lang=en`, another host).
        self.switchLanguageHref = "?lang=\(other.rawValue)"
        self.switchLanguageLabel = catalog.text("switch_language", language)
        self.switchLanguageCode = other.rawValue
        self.stylesheet = StaticAssets.stylesheetPath
    }

    /// "/login?next=/products/loop": the login flow comes back to a path of this site only (it
    /// checks `next` again); the sign-in and password pages themselves link to plain "/login".
    static func signInHref(returningTo path: String?) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), path != "/login",
              !["/login/", "/logout", "/password/", "/activate/"].contains(where: path.hasPrefix) else { return "/login" }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?&#+=")
        return "/login?next=" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/")
    }
}

/// One day of one product, as a grid cell or a bar segment shows it.
struct DayCell {
    /// The state's name: its class, and its icon's symbol (`#i-ok`) in `icons.mustache`.
    let state: String
    let stateLabel: String
    /// Date and state in words, for screen readers and the tooltip.
    let label: String
    let date: String
    /// What touched the product that day, for the bar's day panel (the grid leaves it empty).
    var events: [DayEvent] = [] { didSet { hasEvents = !events.isEmpty } }
    private(set) var hasEvents = false
    var eventsTitle = ""
}

/// Local formats for the days and instants of one page.
struct DayFormatter {
    private let calendar: DayCalendar
    private let month: DateFormatter
    private let long: DateFormatter
    private let dateTime: DateFormatter
    private let shortDateTime: DateFormatter
    private let clock: DateFormatter
    private let stampFormatter: DateFormatter

    init(language: Language, calendar: DayCalendar) {
        self.calendar = calendar
        func formatter(_ template: String) -> DateFormatter {
            let formatter = DateFormatter()
            formatter.locale = language.locale
            formatter.timeZone = calendar.timeZone
            formatter.setLocalizedDateFormatFromTemplate(template)
            return formatter
        }
        month = formatter("MMM")
        long = formatter("EEEEdMMMMyyyy")
        dateTime = formatter("dMMMMyyyyHHmm")
        shortDateTime = formatter("dMMMHHmm")
        clock = formatter("HHmm")
        let stamp = DateFormatter()
        stamp.locale = Locale(identifier: "en_US_POSIX")
        stamp.timeZone = calendar.timeZone
        stamp.dateFormat = "yyyy-MM-dd HH:mm:ss"
        stampFormatter = stamp
    }

    func monthLabel(_ day: LocalDay) -> String { month.string(from: middle(of: day)) }
    func longLabel(_ day: LocalDay) -> String { long.string(from: middle(of: day)) }
    func instant(_ date: Date) -> String { dateTime.string(from: date) }
    /// "20 nov. à 14:05": an instant near the day it is shown on.
    func shortInstant(_ date: Date) -> String { shortDateTime.string(from: date) }
    /// "14:05", on the day being shown.
    func time(_ date: Date) -> String { clock.string(from: date) }
    /// "2020-06-04 08:00:00", as the vendor's portal writes the start of a window.
    func stamp(_ date: Date) -> String { stampFormatter.string(from: date) }

    private func middle(of day: LocalDay) -> Date {
        let interval = calendar.interval(of: day)
        return interval.start.addingTimeInterval(interval.duration / 2)
    }

    func cell(_ day: LocalDay, state: DayState, language: Language, catalog: MessageCatalog) -> DayCell {
        let stateLabel = catalog.text("state_\(state.rawValue)", language)
        return DayCell(state: state.rawValue, stateLabel: stateLabel,
                       label: language == .fr ? "\(longLabel(day)) : \(stateLabel)" : "\(longLabel(day)): \(stateLabel)",
                       date: day.description)
    }
}
