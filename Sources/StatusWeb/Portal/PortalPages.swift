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

    struct PolicyRule {
        let rule: String
        let text: String
    }
}

extension StatusSite {
    /// Renders a portal page; `titleKey` names its title in the catalogs.
    func portalPage(_ request: Request, template: String, titleKey: String, csrf: String, values: [String: String] = [:],
                    errors: FormErrors = FormErrors(), message: String = "", extra: [String: String] = [:], items: [[String: String]] = [], groups: [[String: String]] = [], keys: [[String: String]] = [],
                    status: HTTPResponse.Status = .ok, cookies: [Cookie] = []) throws -> Response {
        let language = language(of: request)
        var translated: [String: String] = [:]
        for (field, key) in errors.fields { translated[field] = catalog.text(key, language) }
        let view = PortalFormView(
            page: PageChrome(language: language, catalog: catalog, title: catalog.text(titleKey, language), path: request.uri.path),
            csrf: csrf, values: Self.dropEmpty(values), errors: translated, hasErrors: !errors.isEmpty,
            message: message.isEmpty ? "" : catalog.text(message, language),
            policy: PasswordPolicy.Rule.allCases.map { .init(rule: $0.rawValue, text: catalog.text($0.rawValue, language)) },
            extra: Self.dropEmpty(extra), items: items.map(Self.dropEmpty), keys: keys.map(Self.dropEmpty), groups: groups.map(Self.dropEmpty))
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        var response = Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try renderer.render(view, template: template))))
        for cookie in cookies { response.setCookie(cookie) }
        rememberLanguage(request, in: &response)
        return response
    }

    /// swift-mustache renders a `{{#key}}` section for an empty string as for any other value:
    /// only a missing key is false. Empty texts are left out, so "no notice" and "not an
    /// administrator" hide their sections; `{{key}}` still reads a missing key as empty.
    static func dropEmpty(_ values: [String: String]) -> [String: String] {
        values.filter { !$0.value.isEmpty }
    }

    /// The anonymous forms' CSRF token: a random cookie the form must echo (double submit).
    func anonymousCSRF(_ request: Request) -> (token: String, cookie: Cookie?) {
        if let existing = request.cookies[FormSupport.csrfCookie]?.value, existing.count >= 32 { return (existing, nil) }
        let token = Secrets.token()
        return (token, FormSupport.cookie(FormSupport.csrfCookie, token, secure: secureCookies))
    }

    /// Refuses a form whose CSRF field does not match (403: nothing changes).
    func checkAnonymousCSRF(_ request: Request, _ fields: [String: String]) throws {
        guard let cookie = request.cookies[FormSupport.csrfCookie]?.value, FormSupport.same(cookie, fields["csrf"] ?? "") else {
            throw HTTPError(.forbidden, message: "The form expired: reload the page and try again.")
        }
    }

    /// The logged-in user of a request, or nil.
    func currentSession(_ request: Request, accounts: AccountService) async throws -> (id: String, session: Session, user: User)? {
        guard let id = request.cookies[FormSupport.sessionCookie]?.value,
              let found = try await accounts.session(id: id) else { return nil }
        return (id, found.session, found.user)
    }

    func checkSessionCSRF(_ session: Session, _ fields: [String: String]) throws {
        guard FormSupport.same(session.csrfToken, fields["csrf"] ?? "") else {
            throw HTTPError(.forbidden, message: "The form expired: reload the page and try again.")
        }
    }
}
