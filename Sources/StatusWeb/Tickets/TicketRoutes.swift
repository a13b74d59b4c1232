import Foundation
import Portal
import StatusModel

extension TicketSite {
    /// The customer's side of tickets: "Besoin d'aide ?", "Suivi de vos demandes" and each
    /// ticket's page, and the tenant administrators' project list. One call from `buildRouter`.
    func addCustomerRoutes<Store: StatusStore>(to routes: SiteRoutes, site: SiteDependencies<Store>, accounts: AccountService,
                                               attachments: AttachmentServices) {
        HelpController(tickets: self, attachments: attachments, knowledgeBase: site.knowledgeBase, subscriptions: site.subscriptions,
                       store: site.store, pages: site.pages, calendar: site.calendar, clock: site.clock).addRoutes(to: routes)
        RequestsController(tickets: self, attachments: attachments, accounts: accounts, store: site.store, pages: site.pages,
                           calendar: site.calendar, clock: site.clock).addRoutes(to: routes)
        TenantProjectsController(tickets: self, pages: site.pages, servesServices: site.serviceCatalog != nil).addRoutes(to: routes)
    }
}
