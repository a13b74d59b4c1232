import Foundation
import HTTPTypes
import Hummingbird
import Logging
import StatusModel

/// Turns errors into pages a person can read, in their language: 404 for what does not exist,
/// and a logged, plain 500 page for anything unexpected. No error text reaches the page.
struct ErrorPageMiddleware<Store: StatusStore>: RouterMiddleware {
    typealias Context = StatusRequestContext
    let site: StatusSite<Store>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status.code < 500 {
            if request.uri.path.hasPrefix("/api/") {
                return site.json(error.status, #"{"error":{"code":"\#(error.status.code)","message":"\#(error.status.reasonPhrase)"}}"#)
            }
            switch error.status {
            case .notFound: return page(request, status: .notFound, titleKey: "not_found_title", textKey: "not_found_text")
            case .unauthorized: return FormSupport.redirect(to: "/login")
            case .forbidden: return page(request, status: .forbidden, titleKey: "forbidden_title", textKey: "forbidden_text")
            default: throw error
            }
        } catch {
            site.logger.error("request failed", metadata: ["path": "\(Self.loggable(request.uri.path))", "error": "\(error)"])
            if request.uri.path.hasPrefix("/api/") {
                return site.json(.internalServerError, #"{"error":{"code":"internal","message":"The request could not be completed."}}"#)
            }
            return page(request, status: .internalServerError, titleKey: "error_title", textKey: "error_text")
        }
    }

    private struct ErrorView {
        let page: PageChrome
        let heading: String
        let text: String
    }

    private func page(_ request: Request, status: HTTPResponse.Status, titleKey: String, textKey: String) -> Response {
        let language = site.language(of: request)
        let title = site.catalog.text(titleKey, language)
        let view = ErrorView(page: PageChrome(language: language, catalog: site.catalog, title: title, path: request.uri.path),
                             heading: title, text: site.catalog.text(textKey, language))
        let html = (try? site.renderer.render(view, template: "error")) ?? title
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The path without the secrets some paths carry (subscription settings and confirmation
    /// tokens, activation and reset links): logs are read by more people than mail is.
    static func loggable(_ path: String) -> String {
        for prefix in ["/subscriptions/", "/activate/", "/password/reset/"] where path.hasPrefix(prefix) {
            return prefix + "…"
        }
        return path
    }
}
