import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Portal
import StatusModel

extension StatusSite {
    /// statusd's own API: public reads of products, days, incidents and maintenance; writes
    /// for operators with a staff API key; the OpenAPI document describing all of it.
    func addAPIv1Routes(to router: Router<StatusRequestContext>) {
        let api = router.group("/api/v1").add(middleware: APIv1ErrorMiddleware())
        api.get("openapi.yaml") { _, _ in try OpenAPIDocument.response() }
        addAPIv1ProductRoutes(to: api)
        addAPIv1IncidentRoutes(to: api)
        addAPIv1MaintenanceRoutes(to: api)
        if let subscriptions { addAPIv1SubscriptionRoutes(to: api, subscriptions: subscriptions) }
    }

    /// The operator behind the request's bearer key. No key or an unknown one is 401; a
    /// tenant's key is 403: it is valid, but not for this.
    func requireStaffKey(_ request: Request) async throws -> StaffKey {
        let header = request.headers[.authorization] ?? ""
        guard let accounts, header.hasPrefix("Bearer ") else { throw APIError.unauthorized }
        let bearer = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        do {
            if let key = try await accounts.authenticateStaff(bearer: bearer) { return key }
        } catch StaffKeyError.unavailable {
            throw APIError.unauthorized
        }
        if try await accounts.authenticate(bearer: bearer) != nil { throw APIError.forbidden }
        throw APIError.unauthorized
    }

    /// Every slug of `slugs` names a product (hidden ones included: operators may write about
    /// them), duplicates dropped in order; otherwise 422 naming the first unknown one.
    func knownProductSlugs(_ slugs: [String], field: String = "products") async throws -> [String] {
        let known = Set(try await store.products().map(\.slug))
        var seen = Set<String>()
        var result: [String] = []
        for slug in slugs where seen.insert(slug).inserted {
            guard known.contains(slug) else {
                throw APIError(.unprocessableContent, "unknown_product", "No product has the slug \"\(slug)\".", field: field)
            }
            result.append(slug)
        }
        return result
    }

    /// An integer query parameter within `range`, or `fallback` when absent; anything else is 400.
    func queryInt(_ request: Request, _ name: String, in range: ClosedRange<Int>, fallback: Int) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError(.badRequest, "out_of_range", "The parameter \(name) must be a whole number from \(range.lowerBound) to \(range.upperBound).",
                           field: name)
        }
        return value
    }
}

/// The hand-written OpenAPI 3.1 document, shipped as a resource and read once.
enum OpenAPIDocument {
    static let text: String? = Bundle.module.url(forResource: "openapi", withExtension: "yaml")
        .flatMap { try? String(contentsOf: $0, encoding: .utf8) }

    static func response() throws -> Response {
        guard let text else { throw APIError(.notFound, "not_found", "The OpenAPI document is not installed.") }
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml; charset=utf-8"
        headers[.cacheControl] = "max-age=300"
        headers[.accessControlAllowOrigin] = "*"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
