import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

extension StatusSite {
    /// The console's shared part: chrome, the kept input, the errors in the reader's language,
    /// the product checkboxes, and a notice named by `?notice=` after a redirect.
    func consoleView(_ request: Request, titleKey: String, csrf: String, form: FormValues, errors: [String: String]) async throws -> ConsoleView {
        let language = language(of: request)
        var view = ConsoleView(page: PageChrome(language: language, catalog: catalog, title: catalog.text(titleKey, language), path: request.uri.path),
                               csrf: csrf)
        view.values = form.single
        // A key of the catalogs, or a sentence already (the config reader's, for a check).
        view.errors = errors.mapValues { catalog.text($0, language) }
        let chosen = Set(form.all("products"))
        view.products = try await store.products().map { .init(value: $0.slug, label: $0.name, selected: chosen.contains($0.slug)) }
        if let notice = request.uri.queryParameters.get("notice"), ConsoleView.notices.contains(notice) {
            view.notice = catalog.text("notice_\(notice)", language)
        }
        return view
    }

    func console(_ view: ConsoleView, template: String, status: HTTPResponse.Status) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try renderer.render(view, template: template))))
    }

    /// The public products and the slugs readers may see.
    func publicProducts() async throws -> (products: [Product], slugs: Set<String>) {
        let products = try await store.products().filter { $0.visibility == .public }
        return (products, Set(products.map(\.slug)))
    }

    func productNames() async throws -> [String: String] {
        Dictionary(try await store.products().map { ($0.slug, $0.name) }) { first, _ in first }
    }
}
