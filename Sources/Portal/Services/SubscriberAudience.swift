import Notify
import StatusModel

extension ServiceCatalog {
    /// What the user behind an account-linked status subscription sees, for the update mails
    /// (`AnnouncementService`, which cannot ask the portal itself): the site's rule
    /// (`ProductAudience`) over every customer account the user belongs to, since they may
    /// switch to any of them and read its products there. Staff see every product on the grid;
    /// a disabled or deleted account, the public ones only.
    public func subscriberAudience(accounts: any AccountStore) -> SubscriberAudience {
        { userID in
            guard let user = try await accounts.user(id: userID), user.state == .active else { return .anonymous }
            if user.staffRole != nil { return .staff }
            let memberships = try await accounts.memberships(userID: userID)
            guard !memberships.isEmpty else { return .anonymous }
            var entitled = Set<String>()
            for membership in memberships {
                entitled.formUnion(try await productAccess(tenantID: membership.tenant.id, userID: userID).tenantProducts)
            }
            return ProductAudience(reader: .customer, entitled: entitled)
        }
    }
}
