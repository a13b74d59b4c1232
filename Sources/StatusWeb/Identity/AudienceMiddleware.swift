import Hummingbird
import Portal
import StatusModel

/// Turns the identity the authenticators read into the products it may see: staff see every
/// product on the grid; a customer account's user or key sees the public and customers'
/// products and the private ones its accepted services cover; anybody else, the public ones.
/// One read of the subscriptions per request with an identity; none without.
struct AudienceMiddleware: RouterMiddleware {
    typealias Context = StatusRequestContext
    let services: ServiceCatalog?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.audience = try await audience(of: context.identity)
        return try await next(request, context)
    }

    func audience(of identity: Identity?) async throws -> ProductAudience {
        switch identity {
        case nil: return .anonymous
        case .staffKey: return .staff
        case .tenantKey(let key):
            let access = try await services?.productAccess(tenantID: key.tenantID, userID: nil) ?? ProductAccess()
            return ProductAudience(reader: .customer, entitled: access.tenantProducts)
        case .user(let signedIn):
            if signedIn.user.staffRole != nil { return .staff }
            guard let tenant = signedIn.tenant else { return .anonymous }
            let access = try await services?.productAccess(tenantID: tenant.id, userID: signedIn.user.id) ?? ProductAccess()
            return ProductAudience(reader: .customer, entitled: access.tenantProducts, mine: access.userProducts)
        }
    }
}
