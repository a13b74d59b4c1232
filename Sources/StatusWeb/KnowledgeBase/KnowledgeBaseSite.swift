import Foundation
import Portal

/// What the knowledge-base pages, the agents' authoring and the API need: the article store
/// and the config's categories. Attachments go through the site's `AttachmentServices`.
public struct KnowledgeBaseSite: Sendable {
    public let store: any KnowledgeBaseStore
    /// The categories of the config, in its order ("Aide à l'utilisation", "Portail"…).
    public let categories: [String]

    public init(store: any KnowledgeBaseStore, categories: [String]) {
        self.store = store
        self.categories = categories
    }
}

extension KnowledgeBaseReader {
    /// The reader a request's identity makes: agents and operators (and staff keys) are staff;
    /// a signed-in customer reads with every tenant they belong to; a tenant's API key reads as
    /// that tenant's users do; nobody signed in is anonymous.
    init(_ identity: Identity?) {
        switch identity {
        case nil:
            self = .anonymous
        case .staffKey:
            self = .staff
        case .tenantKey(let key):
            self.init(signedIn: true, tenantIDs: [key.tenantID])
        case .user(let signedIn):
            if signedIn.user.staffRole != nil {
                self = .staff
            } else {
                self.init(signedIn: true, tenantIDs: signedIn.memberships.map(\.tenant.id))
            }
        }
    }
}
