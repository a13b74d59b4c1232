import Hummingbird
import HummingbirdAuth
import NIOCore
import Portal
import StatusModel

/// The request context of every route: who is asking (read once by the authenticators) and
/// the client's address (for login throttling).
public struct StatusRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `SessionAuthenticator` on pages and by `BearerKeyAuthenticator` on `/api/v1`.
    public var identity: Identity?
    /// Which products the caller may see, from the identity (`AudienceMiddleware`): every
    /// surface filters through it. Anonymous until the middleware says otherwise.
    public var audience: ProductAudience = .anonymous
    /// The socket's peer ("unknown" when there is none, as in the router tests).
    public let peerAddress: String
    /// The client as far as we can tell: the peer, or the `X-Forwarded-For` a trusted proxy
    /// wrote (`ClientAddressMiddleware`).
    public var clientAddress: String

    /// Handlers answer JSON as `ResponseEncodable` values; this writes them the API's way.
    public var responseEncoder: StatusJSONEncoder { StatusJSONEncoder() }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        clientAddress = peerAddress
    }

    /// The signed-in user; a route behind a `.signedIn` (or stronger) guard always has one.
    func requireUser() throws -> SignedInUser {
        guard let user = identity?.user else { throw HTTPError(.unauthorized) }
        return user
    }

    /// The signed-in user in the session's customer account; a user without one (staff) gets 403.
    func requireTenant() throws -> TenantCaller {
        let signedIn = try requireUser()
        guard let tenant = signedIn.tenant, let role = signedIn.role else { throw HTTPError(.forbidden) }
        return TenantCaller(session: signedIn.session, user: signedIn.user, tenant: tenant, role: role, audience: audience)
    }
}

/// Who asks, in which tenant: the signed-in user of the session's tenant and their role there.
struct TenantCaller {
    let session: Session
    let user: User
    let tenant: Tenant
    let role: Membership.Role
    /// The products they see (the request's audience): what their forms offer.
    var audience: ProductAudience = .anonymous

    var tenantID: Int64 { tenant.id }
}
