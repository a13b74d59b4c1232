import Foundation
import Portal

/// What the request pages (`/help`, `/requests`), the agents' queue (`/staff/tickets`) and the
/// tickets API need: the ticket rules and the forms file. Attachments go through the site's
/// `AttachmentServices`; the knowledge base's search through `SiteDependencies.knowledgeBase`.
public struct TicketSite: Sendable {
    public let service: TicketService

    public init(service: TicketService) {
        self.service = service
    }

    public var forms: TicketForms { service.forms }
}

extension TicketReader {
    /// The reader a request's identity makes: agents and operators (and staff keys) see every
    /// ticket; a customer sees their own and, in tenants they administer, all the tenant's; a
    /// tenant's API key sees its tenant's.
    init(_ identity: Identity?) {
        switch identity {
        case nil:
            self.init(userID: nil)
        case .staffKey:
            self = .staff
        case .tenantKey(let key):
            self = .tenantKey(key.tenantID)
        case .user(let signedIn):
            if signedIn.user.staffRole != nil {
                self.init(userID: signedIn.user.id, isStaff: true)
            } else {
                self.init(userID: signedIn.user.id,
                          adminTenantIDs: signedIn.memberships.filter { $0.role == .admin }.map(\.tenant.id))
            }
        }
    }
}
