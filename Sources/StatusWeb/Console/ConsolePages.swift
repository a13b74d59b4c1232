import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The console's shared page parts, which its controllers call: chrome, the kept input, the
/// errors in the reader's language, the product checkboxes, and a notice named by `?notice=`
/// after a redirect.
struct ConsolePages<Store: StatusStore>: Sendable {
    let store: Store
    let pages: Pages
    let calendar: DayCalendar

    /// `values`: the form's text fields as typed (or as saved); `chosen`: the product boxes to tick.
    func view(_ request: Request, titleKey: String, csrf: String, values: [String: String], chosen: [String] = [],
              errors: [String: String]) async throws -> ConsoleView {
        let language = pages.language(of: request)
        var view = ConsoleView(page: pages.chrome(request, titleKey: titleKey), csrf: csrf)
        view.values = values
        // A key of the catalogs, or a sentence already (the config reader's, for a check).
        view.errors = errors.mapValues { pages.catalog.text($0, language) }
        let chosen = Set(chosen)
        view.products = try await store.products().map { .init(value: $0.slug, label: $0.name, selected: chosen.contains($0.slug)) }
        if let notice = request.uri.queryParameters.get("notice"), ConsoleView.notices.contains(notice) {
            view.notice = pages.catalog.text("notice_\(notice)", language)
        }
        return view
    }

    func page(_ view: ConsoleView, template: String, status: HTTPResponse.Status) throws -> Response {
        Pages.html(try pages.renderer.render(view, template: template), status: status)
    }

    func productSlugs() async throws -> Set<String> {
        Set(try await store.products().map(\.slug))
    }

    func productNames() async throws -> [String: String] {
        Dictionary(try await store.products().map { ($0.slug, $0.name) }) { first, _ in first }
    }
}
