import Hummingbird
import StatusModel

/// Builds the router of the whole site; the executable wraps it in an Application.
public func buildRouter<Store: StatusStore>(site: StatusSite<Store>) -> Router<StatusRequestContext> {
    let router = Router(context: StatusRequestContext.self)
    router.add(middleware: ErrorPageMiddleware(site: site))
    site.addPublicRoutes(to: router)
    site.addProbeRoutes(to: router)
    site.addStatuspageRoutes(to: router)
    site.addAPIv1Routes(to: router)
    if let accounts = site.accounts { site.addAccountRoutes(to: router, accounts: accounts) }
    return router
}
