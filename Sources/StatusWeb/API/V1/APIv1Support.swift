import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Portal
import StatusModel

/// What the `/api/v1` controllers share: the store, the deployment's calendar and clock, and
/// the checks every resource makes on what a request names.
struct APIv1Support<Store: StatusStore>: Sendable {
    let store: Store
    let calendar: DayCalendar
    let clock: @Sendable () -> Date


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

}

/// Reading what an `/api/v1` request brings, the same way on every resource.
enum APIv1Input {
    /// For the one route open to anyone whose one branch needs a staff key (webhook subscriptions).
    static func requireStaffKey(_ context: StatusRequestContext) throws {
        switch context.identity {
        case .staffKey: return
        case nil, .user: throw APIError.unauthorized
        case .tenantKey: throw APIError.forbidden
        }
    }

    /// An integer query parameter within `range`, or `fallback` when absent; anything else is 400.
    static func queryInt(_ request: Request, _ name: String, in range: ClosedRange<Int>, fallback: Int) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError(.badRequest, "out_of_range", "The parameter \(name) must be a whole number from \(range.lowerBound) to \(range.upperBound).",
                           field: name)
        }
        return value
    }
}

/// `GET /api/v1/openapi.yaml`, and `GET /api/v1/tenant`: a customer account's key asks who it is.
struct APIv1DocumentController: Sendable {
    let accounts: AccountService?

    func addRoutes(to routes: SiteRoutes) {
        routes.api(.anyone).get("openapi.yaml") { _, _ in try OpenAPIDocument.response() }
        guard let accounts else { return }
        routes.api(.tenantKey).get("tenant") { _, context in
            guard case .tenantKey(let key) = context.identity, let tenant = try await accounts.tenant(id: key.tenantID) else {
                throw APIError.unauthorized
            }
            return APIv1.TenantView(code: tenant.code, name: tenant.name, key: key.name)
        }
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
