import HTTPTypes
import Hummingbird

/// Headers every answer carries, error pages included: no framing (the console cannot be
/// framed), no content sniffing, no referrer to other sites, and a policy that lets pages
/// load only the site's own script, styles and images.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = StatusRequestContext

    let pagePolicy: String

    /// - Parameter formTargets: origins a form may lead to besides the site: the OpenID
    ///   providers, since browsers hold a form's redirect to `form-action` too.
    init(formTargets: [String] = []) {
        let targets = (["'self'"] + formTargets).joined(separator: " ")
        pagePolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action \(targets); frame-ancestors 'none'"
    }
    /// SVG images (badges, charts) style themselves inline and run nothing.
    static let imagePolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let isImage = response.headers[.contentType]?.hasPrefix("image/") == true
        // A route may ask for stricter (a page with a secret in its address sends no referrer).
        for (name, value) in [(HTTPField.Name.contentSecurityPolicy, isImage ? Self.imagePolicy : pagePolicy),
                              (.xContentTypeOptions, "nosniff"), (.referrerPolicy, "same-origin"), (.xFrameOptions, "DENY")]
        where response.headers[name] == nil {
            response.headers[name] = value
        }
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!  // not among swift-http-types' names
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
