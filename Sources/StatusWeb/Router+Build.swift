import Hummingbird
import StatusModel

/// Builds the router of the whole site; the executable wraps it in an Application.
public func buildRouter<Store: StatusStore>(site: StatusSite<Store>) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorPageMiddleware(site: site))
    site.addPublicRoutes(to: router)
    site.addProbeRoutes(to: router)
    return router
}
