import Foundation
import Portal
import StatusModel

/// The request form as `help_form.mustache` shows it, every text already in the reader's
/// language and every value as typed. Without JavaScript the lists are one select of paths and
/// "Continuer" shows the rest; portal.js turns it into three dependent selects and shows the
/// rest at once.
struct HelpFormView {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct OptionGroup {
        let label: String
        let options: [Option]
    }

    struct Field {
        let id: String
        let name: String
        let label: String
        let help: String?
        let required: Bool
        let isText: Bool
        let isTextarea: Bool
        let isChoice: Bool
        let value: String
        let choices: [Option]
        let error: String?
    }

    /// An unresolved incident or an in-progress maintenance of a product, shown before the form.
    struct Notice {
        let product: String
        let productName: String
        let kind: String
        /// "Incident en cours", "Maintenance en cours".
        let kindLabel: String
        let title: String
        let latest: String
        let latestAt: String
        /// The product's page, for the whole timeline.
        let href: String
        /// Shown when its product is the one chosen.
        let shown: Bool
        let subscribed: Bool
    }

    struct Suggestion {
        let number: String
        let title: String
        let href: String
        let checked: Bool
    }

    let page: PageChrome
    let csrf: String
    let typeKey: String
    let typeLabel: String
    let action: String
    let listsChosen: Bool
    var hasThemes = false
    var pathGroups: [OptionGroup] = []
    /// The tree for portal.js: [{k, l, c: [...]}] in the reader's language.
    var tree = ""
    var subject = ""
    var asksProduct = false
    var products: [Option] = []
    var notices: [Notice] = []
    var asksImpact = false
    var impacts: [Option] = []
    var fields: [Field] = []
    var asksProject = false
    var projectYes = false
    var projectNo = false
    var projects: [Option] = []
    var hasProjects = false
    /// The project typed when the tenant keeps no list.
    var projectValue = ""
    var isAdmin = false
    var description = ""
    var followUps = ""
    var errors: [String: String] = [:]
    var hasErrors = false
    var errorList: [String] = []
    /// Files were sent with a form that came back: they must be chosen again.
    var filesAgain = false
    var maxFileSize = ""
    var searched = false
    var suggestions: [Suggestion] = []
    var hasSuggestions = false

    init(page: PageChrome, csrf: String, type: RequestType, values: HelpFormValues, language: Language) {
        self.page = page
        self.csrf = csrf
        typeKey = type.key
        typeLabel = type.label.text(language.rawValue)
        action = "/help/new/\(type.key)"
        listsChosen = values.listsChosen(type)
        let lang = language.rawValue
        hasThemes = !type.themes.isEmpty
        pathGroups = Self.groups(type.themes, chosen: values.path, language: lang)
        tree = Self.treeJSON(type.themes, language: lang)
        subject = type.subject(theme: values.theme, subTheme: values.subTheme, precision: values.precision, language: lang) ?? ""
        asksProduct = type.asksProduct
        asksImpact = type.asksImpact
        asksProject = type.asksProject
        projectYes = values.concernsProject == "yes"
        projectNo = values.concernsProject == "no"
        description = values.description
        projectValue = values.project
        followUps = values.followUps
    }

    /// Each theme (› sub-theme) is a group of the select; its options are the last level.
    static func groups(_ themes: [TicketChoice], chosen: String, language: String) -> [OptionGroup] {
        var groups: [OptionGroup] = []
        for theme in themes {
            let themeLabel = theme.label.text(language)
            guard !theme.children.isEmpty else {
                groups.append(OptionGroup(label: themeLabel, options: [Option(value: theme.key, label: themeLabel, selected: chosen == theme.key)]))
                continue
            }
            for sub in theme.children {
                let base = "\(theme.key)/\(sub.key)"
                let label = "\(themeLabel) › \(sub.label.text(language))"
                let options = sub.children.isEmpty
                    ? [Option(value: base, label: sub.label.text(language), selected: chosen == base)]
                    : sub.children.map { Option(value: "\(base)/\($0.key)", label: $0.label.text(language), selected: chosen == "\(base)/\($0.key)") }
                groups.append(OptionGroup(label: label, options: options))
            }
        }
        return groups
    }

    static func treeJSON(_ choices: [TicketChoice], language: String) -> String {
        func node(_ choice: TicketChoice) -> [String: Any] {
            var entry: [String: Any] = ["k": choice.key, "l": choice.label.text(language)]
            if !choice.children.isEmpty { entry["c"] = choice.children.map(node) }
            return entry
        }
        guard let data = try? JSONSerialization.data(withJSONObject: choices.map(node), options: [.sortedKeys]) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }
}
