import Foundation
import Portal

/// What the knowledge-base pages, the agents' authoring and the API need: the article store,
/// the blob store and intake for attachments, and the config's categories.
public struct KnowledgeBaseSite: Sendable {
    public let store: any KnowledgeBaseStore
    public let blobs: any BlobStore
    public let intake: any AttachmentIntake
    /// The categories of the config, in its order ("Aide à l'utilisation", "Portail"…).
    public let categories: [String]
    /// The largest upload one request may bring (the intake checks each file again against the config).
    public let uploadLimit: Int64

    public init(store: any KnowledgeBaseStore, blobs: any BlobStore, intake: any AttachmentIntake, categories: [String],
                uploadLimit: Int64 = 20 * 1024 * 1024) {
        self.store = store
        self.blobs = blobs
        self.intake = intake
        self.categories = categories
        self.uploadLimit = uploadLimit
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
