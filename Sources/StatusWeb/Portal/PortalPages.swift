import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// What every portal form page shows: texts, the CSRF token, the values typed (never a
/// password) and the errors next to their fields, already in the reader's language.
struct PortalFormView {
    let page: PageChrome
    let csrf: String
    let values: [String: String]
    let errors: [String: String]
    let hasErrors: Bool
    let message: String
    let policy: [PolicyRule]
    var extra: [String: String] = [:]
    /// Rows of a table (the tenant's users), each a map of column to text.
    var items: [[String: String]] = []
    var keys: [[String: String]] = []
    var groups: [[String: String]] = []
    /// "Continuer avec …" buttons: one per configured OpenID provider.
    var providers: [Provider] = []
    /// Stored, not computed: templates see stored properties only (swift-mustache reads them by reflection).
    var hasProviders = false
    /// The knowledge base's home blocks, on the signed-in landing page.
    var knowledgeBase: ArticleHomeBlocks.View?

    struct Provider {
        let id: String
        let label: String
    }

    struct PolicyRule {
        let rule: String
        let text: String
    }
}

extension Pages {
    /// Renders a portal page; `titleKey` names its title in the catalogs.
    func portal(_ request: Request, template: String, titleKey: String, csrf: String, values: [String: String] = [:],
                errors: FormErrors = FormErrors(), message: String = "", extra: [String: String] = [:], items: [[String: String]] = [],
                groups: [[String: String]] = [], keys: [[String: String]] = [], providers: [OpenIDProvider] = [],
                status: HTTPResponse.Status = .ok, cookies: [Cookie] = [], knowledgeBase: ArticleHomeBlocks.View? = nil) throws -> Response {
        let language = language(of: request)
        var translated: [String: String] = [:]
        // Every message of a field, next to it: a refused password lists each rule it misses.
        for (field, keys) in errors.messages { translated[field] = keys.map { catalog.text($0, language) }.joined(separator: ", ") }
        var view = PortalFormView(
            page: chrome(request, titleKey: titleKey),
            csrf: csrf, values: Self.dropEmpty(values), errors: translated, hasErrors: !errors.isEmpty,
            message: message.isEmpty ? "" : catalog.text(message, language),
            policy: PasswordPolicy.Rule.allCases.map { .init(rule: $0.rawValue, text: catalog.text($0.rawValue, language)) },
            extra: Self.dropEmpty(extra), items: items.map(Self.dropEmpty), keys: keys.map(Self.dropEmpty), groups: groups.map(Self.dropEmpty))
        view.providers = providers.map { .init(id: $0.id, label: catalog.text("oidc_continue_with", language, $0.name)) }
        view.hasProviders = !providers.isEmpty
        view.knowledgeBase = knowledgeBase
        return try render(view, template: template, request: request, status: status, cookies: cookies)
    }

    /// A portal form shown to anyone: it carries the anonymous CSRF token (and sets its cookie).
    func anonymousForm(_ request: Request, template: String, titleKey: String, values: [String: String] = [:],
                       providers: [OpenIDProvider] = []) throws -> Response {
        let csrf = Forms.anonymousCSRF(request, secure: secureCookies)
        return try portal(request, template: template, titleKey: titleKey, csrf: csrf.token, values: values, providers: providers,
                          cookies: csrf.cookie.map { [$0] } ?? [])
    }

    /// A link that no longer works (used, expired, or never issued): the same page for each.
    func invalidLink(_ request: Request, _ key: String) throws -> Response {
        try portal(request, template: "done", titleKey: "link_invalid_title", csrf: "", message: key, status: .notFound)
    }

    /// swift-mustache renders a `{{#key}}` section for an empty string as for any other value:
    /// only a missing key is false. Empty texts are left out, so "no notice" and "not an
    /// administrator" hide their sections; `{{key}}` still reads a missing key as empty.
    static func dropEmpty(_ values: [String: String]) -> [String: String] {
        values.filter { !$0.value.isEmpty }
    }
}
