import Foundation

/// One line of a user's own trail ("Activités" on the profile): what they did and what was
/// decided about their requests, with the date. Written when it happens, never edited.
public struct ActivityEntry: Sendable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case signedIn, passwordChanged, passwordReset, profileChanged
        case serviceRequested, serviceAccepted, serviceRefused, serviceSuspended, serviceReactivated
        /// The user gave the service up.
        case serviceGivenUp
        /// A tenant administrator subscribed the user, or took the service away.
        case serviceGranted, serviceWithdrawn
        case ticketOpened, ticketSolutionAccepted, ticketSolutionRefused, ticketCancelled
    }

    public var id: Int64
    public var userID: Int64
    /// The customer account it happened in; nil for what concerns the person (a sign-in).
    public var tenantID: Int64?
    public var kind: Kind
    /// What it is about, as shown: a service's name, a ticket's number. May be empty.
    public var subject: String
    /// A refusal's reason, a provider's name. May be empty.
    public var detail: String
    /// A path of this site to open it (`/requests/CS0000001`), when there is one.
    public var link: String?
    public var at: Date

    public init(id: Int64 = 0, userID: Int64, tenantID: Int64? = nil, kind: Kind, subject: String = "", detail: String = "",
                link: String? = nil, at: Date) {
        self.id = id
        self.userID = userID
        self.tenantID = tenantID
        self.kind = kind
        self.subject = subject
        self.detail = detail
        self.link = link
        self.at = at
    }
}

/// Where the trail is kept.
public protocol ActivityStore: Sendable {
    func record(_ entry: ActivityEntry) async throws
    /// The user's entries, newest first; `before` pages on (entries strictly older).
    func activity(userID: Int64, limit: Int, before: Date?) async throws -> [ActivityEntry]
}
