import Foundation

/// The stylesheet (with the branding's accent appended) and the portal's script, read once at start.
struct StaticAssets: Sendable {
    static let stylesheetPath = "/static/style.css"

    static let portalScriptPath = "/static/portal.js"

    let stylesheet: String
    let stylesheetETag: String
    let portalScript: String
    let portalScriptETag: String

    static func bundled(brand: SiteBrand = .standard) throws -> StaticAssets {
        let css = try file("style", "css") + brand.stylesheetOverrides
        let script = try file("portal", "js")
        return StaticAssets(stylesheet: css, stylesheetETag: PageCache.etag(for: css),
                            portalScript: script, portalScriptETag: PageCache.etag(for: script))
    }

    private static func file(_ name: String, _ type: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Public/\(name)", withExtension: type)
            ?? Bundle.module.url(forResource: name, withExtension: type, subdirectory: "Public")
        else { throw PageRenderer.RenderError(template: "Public/\(name).\(type)", message: "missing from the bundle") }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
