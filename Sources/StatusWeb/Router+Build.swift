import Hummingbird
import StatusModel

/// Builds the router of the whole site; the executable wraps it in an Application.
public func buildRouter<Store: StatusStore>(site: StatusSite<Store>) -> Router<StatusRequestContext> {
    let router = Router(context: StatusRequestContext.self)
    router.add(middleware: ErrorPageMiddleware(site: site))
    site.addPublicRoutes(to: router)
    site.addProbeRoutes(to: router)
    site.addStatuspageRoutes(to: router)
    site.addFeedRoutes(to: router)
    site.addBadgeRoutes(to: router)
    site.addAPIv1Routes(to: router)
    if let accounts = site.accounts {
        site.addAccountRoutes(to: router, accounts: accounts)
        site.addIncidentConsoleRoutes(to: router, accounts: accounts)
        site.addMaintenanceConsoleRoutes(to: router, accounts: accounts)
        site.addProductConsoleRoutes(to: router, accounts: accounts)
        site.addConsoleCheckRoutes(to: router, accounts: accounts)
    }
    if let accounts = site.accounts, let services = site.serviceCatalog { site.addServiceRoutes(to: router, accounts: accounts, services: services) }
    if let subscriptions = site.subscriptions {
        site.addSubscriptionRoutes(to: router, subscriptions: subscriptions)
        if site.accounts != nil { site.addAccountSubscriptionRoutes(to: router, subscriptions: subscriptions) }
    }
    return router
}
