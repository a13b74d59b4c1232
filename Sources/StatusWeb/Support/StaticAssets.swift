import Foundation

/// The stylesheet, read once; its path carries a hash so browsers may cache it for long.
struct StaticAssets: Sendable {
    static let stylesheetPath = "/static/style.css"

    let stylesheet: String
    let stylesheetETag: String

    static func bundled() throws -> StaticAssets {
        guard let url = Bundle.module.url(forResource: "Public/style", withExtension: "css")
            ?? Bundle.module.url(forResource: "style", withExtension: "css", subdirectory: "Public")
        else { throw PageRenderer.RenderError(template: "Public/style.css", message: "missing from the bundle") }
        let css = try String(contentsOf: url, encoding: .utf8)
        return StaticAssets(stylesheet: css, stylesheetETag: PageCache.etag(for: css))
    }
}
