import Foundation
import HTTPTypes
import Hummingbird
import StatusModel

/// The page plumbing every controller calls: the reader's language, templates rendered into
/// HTML answers, and conditional GET. Controllers hold one; none extends it.
struct Pages: Sendable {
    let catalog: MessageCatalog
    let renderer: PageRenderer
    /// Cookies get `Secure` when the site is served over https.
    let secureCookies: Bool

    /// The language of a request: `?lang=`, then the `lang` cookie, then Accept-Language.
    func language(of request: Request) -> Language {
        Language.negotiate(query: request.uri.queryParameters.get("lang"), cookie: request.cookies["lang"]?.value,
                           acceptLanguage: request.headers[.acceptLanguage])
    }

    /// A language chosen with `?lang=` is kept in a cookie for the next pages.
    func rememberLanguage(_ request: Request, in response: inout Response) {
        guard let chosen = request.uri.queryParameters.get("lang"), let language = Language(rawValue: chosen.lowercased()) else { return }
        response.setCookie(Cookie(name: "lang", value: language.rawValue, maxAge: 365 * 86_400, path: "/",
                                  secure: secureCookies, httpOnly: true, sameSite: .lax))
    }

    func chrome(_ request: Request, titleKey: String) -> PageChrome {
        let language = language(of: request)
        return PageChrome(language: language, catalog: catalog, title: catalog.text(titleKey, language))
    }

    func text(_ key: String, _ request: Request) -> String { catalog.text(key, language(of: request)) }

    /// A page of its own (not cached): rendered now, never stored by the browser.
    func render(_ view: Any, template: String, request: Request, status: HTTPResponse.Status = .ok, cookies: [Cookie] = []) throws -> Response {
        var response = Self.html(try renderer.render(view, template: template), status: status)
        for cookie in cookies { response.setCookie(cookie) }
        rememberLanguage(request, in: &response)
        return response
    }

    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The one place answers carry an ETag: a 304 without a body when the browser holds this
    /// version (`If-None-Match`, `*` included), the body otherwise.
    static func conditional(_ request: Request, body: String, etag: String, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.eTag] = etag
        let held = request.headers[.ifNoneMatch]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        if held.contains(etag) || held.contains("*") { return Response(status: .notModified, headers: headers) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
