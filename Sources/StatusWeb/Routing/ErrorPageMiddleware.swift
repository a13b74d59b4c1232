import Foundation
import HTTPTypes
import Hummingbird
import Logging
import StatusModel

/// Turns errors into pages a person can read, in their language: 404 for what does not exist,
/// and a logged, plain 500 page for anything unexpected (a corrupt row included: that one
/// request fails, the server goes on). No error text reaches the page. Under `/api/` the
/// answer is the API's JSON error instead.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = StatusRequestContext
    let pages: Pages
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            if request.uri.path.hasPrefix("/api/") { return APIError(error).response }
            switch error.status {
            case .notFound: return page(request, status: .notFound, titleKey: "not_found_title", textKey: "not_found_text")
            case .unauthorized:
                // A page asked for by GET comes back after sign-in (a form's POST cannot be replayed).
                let path = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                return Forms.redirect(to: request.method == .get ? PageChrome.signInHref(returningTo: path) : "/login")
            case .forbidden: return page(request, status: .forbidden, titleKey: "forbidden_title", textKey: "forbidden_text")
            case .badRequest: return page(request, status: .badRequest, titleKey: "bad_request_title", textKey: "bad_request_text")
            default: return try error.response(from: request, context: context)
            }
        } catch {
            logger.error("request failed", metadata: ["path": "\(Self.loggable(request.uri.path))", "error": "\(error)"])
            if request.uri.path.hasPrefix("/api/") { return APIError.internal.response }
            return page(request, status: .internalServerError, titleKey: "error_title", textKey: "error_text")
        }
    }

    private struct ErrorView {
        let page: PageChrome
        let heading: String
        let text: String
    }

    private func page(_ request: Request, status: HTTPResponse.Status, titleKey: String, textKey: String) -> Response {
        let language = pages.language(of: request)
        let title = pages.catalog.text(titleKey, language)
        let view = ErrorView(page: PageChrome(language: language, catalog: pages.catalog, title: title),
                             heading: title, text: pages.catalog.text(textKey, language))
        return Pages.html((try? pages.renderer.render(view, template: "error")) ?? title, status: status)
    }

    /// The path without the secrets some paths carry (subscription settings and confirmation
    /// tokens, activation and reset links): logs are read by more people than mail is.
    static func loggable(_ path: String) -> String {
        for prefix in ["/subscriptions/", "/activate/", "/password/reset/", "/api/v1/push/"] where path.hasPrefix(prefix) {
            return prefix + "…"
        }
        return path
    }
}
