import Foundation
import Portal
import StatusModel

/// The agents' ticket pages and the tickets API, as `buildRouter` adds them when the site
/// serves tickets: kept here so the router's file names them in one line.
func addStaffTicketRoutes<Store: StatusStore>(_ tickets: TicketSite, accounts: AccountService, site: SiteDependencies<Store>, to routes: SiteRoutes) {
    TicketQueueController(tickets: tickets, accounts: accounts, store: site.store, pages: site.pages, calendar: site.calendar, clock: site.clock)
        .addRoutes(to: routes)
    TicketStaffController(tickets: tickets, accounts: accounts, store: site.store, knowledgeBase: site.knowledgeBase, attachments: site.attachments,
                          pages: site.pages, calendar: site.calendar, clock: site.clock)
        .addRoutes(to: routes)
    APIv1TicketsController(tickets: tickets, accounts: accounts, store: site.store, catalog: site.pages.catalog, calendar: site.calendar)
        .addRoutes(to: routes)
}
