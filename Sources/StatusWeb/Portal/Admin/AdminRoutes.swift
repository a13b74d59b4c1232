import Foundation
import Portal
import StatusModel

/// The tenant administration ("Gestion des comptes"), one controller per page of its side
/// menu; the catalog's pages only when the catalog is served.
func addAdministrationRoutes<Store: StatusStore>(site: SiteDependencies<Store>, accounts: AccountService, to routes: SiteRoutes) {
    let admin = AdminPages(pages: site.pages, servesServices: site.serviceCatalog != nil)
    AdminDashboardController(accounts: accounts, serviceCatalog: site.serviceCatalog, admin: admin).addRoutes(to: routes)
    AdminUsersController(accounts: accounts, admin: admin).addRoutes(to: routes)
    AdminGroupsController(accounts: accounts, admin: admin).addRoutes(to: routes)
    AdminKeysController(accounts: accounts, admin: admin).addRoutes(to: routes)
    guard let services = site.serviceCatalog else { return }
    AdminServicesController(services: services, accounts: accounts, admin: admin).addRoutes(to: routes)
    AdminRequestsController(services: services, admin: admin, calendar: site.calendar).addRoutes(to: routes)
    AdminNotificationsController(services: services, accounts: accounts, admin: admin).addRoutes(to: routes)
}
