import Foundation
import Notify

/// What the service catalog and its subscriptions need from storage. Every tenant read takes
/// the tenant, so another tenant's subscription is never found; a decision's mail is written in
/// the same transaction as the decision.
public protocol ServiceStore: Sendable {
    /// Writes the service and its product ties in one transaction.
    func createService(_ service: Service) async throws -> Service
    /// Replaces name, family, description, active flag, validation flag and product ties (in
    /// one transaction); false when there is no such service.
    func updateService(_ service: Service) async throws -> Bool
    func service(id: Int64) async throws -> Service?
    /// Every service, retired ones included, by family then name.
    func services() async throws -> [Service]
    /// The service with this name (case-insensitive), to keep names unique.
    func service(named name: String) async throws -> Service?

    /// Records a request in the state it carries (pending, or accepted at once with its
    /// `decidedAt`) unless the user already has a pending, accepted or suspended subscription
    /// to the service in this tenant (checked in the same transaction): nil then.
    func requestSubscription(_ subscription: ServiceSubscription) async throws -> ServiceSubscription?
    /// Several requests in one transaction, each as `requestSubscription`; returns those
    /// recorded, in order (duplicates of a live subscription skipped).
    func requestSubscriptions(_ subscriptions: [ServiceSubscription]) async throws -> [ServiceSubscription]
    /// Ends the user's own subscription `id` in `tenantID` if it is still in one of `states`:
    /// the row goes (a pending or accepted one is not history worth keeping; the trail keeps
    /// the fact). Returns the subscription as it was, nil when there is no such subscription
    /// of this user and tenant in those states (nothing changed).
    func giveUp(id: Int64, userID: Int64, tenantID: Int64, states: Set<ServiceSubscription.State>) async throws -> ServiceSubscription?
    /// One subscription of `tenantID` with its service and requester; nil for another tenant's.
    func request(id: Int64, tenantID: Int64) async throws -> ServiceRequest?
    /// The tenant's subscriptions: pending first, then the newest requests.
    func requests(tenantID: Int64) async throws -> [ServiceRequest]
    /// One user's subscriptions in one tenant, newest first.
    func subscriptions(userID: Int64, tenantID: Int64) async throws -> [ServiceSubscription]
    /// Moves a subscription of `tenantID` from `decision.from` to `decision.to` and queues `mail`,
    /// in one transaction; false (nothing written) when it is no longer in `decision.from`.
    func decide(id: Int64, tenantID: Int64, decision: ServiceDecision, reason: String, at: Date, mail: Mail?) async throws -> Bool
    func counts(tenantID: Int64) async throws -> ServiceCounts

    /// Which products a tenant's services open: those covered by a service the tenant has an
    /// accepted subscription to, and among them the ones of `userID`'s own accepted
    /// subscriptions (nil for an API key: no "Mes services"). One read.
    func productAccess(tenantID: Int64, userID: Int64?) async throws -> ProductAccess

    // Grants by the tenant's administrators (`SQLiteServiceStore+Grants.swift`).

    /// Gives the service to each of `userIDs` (members of `tenantID`, checked in the same
    /// transaction) as accepted at `at`: a pending or suspended subscription becomes accepted, a
    /// user without a live one gets a new accepted one; those who already hold it are left as
    /// they are. The ids of the users whose subscription changed.
    func grant(serviceID: Int64, userIDs: [Int64], tenantID: Int64, at: Date) async throws -> Set<Int64>
    /// Takes a held (accepted or suspended) subscription of `tenantID` away; false (nothing
    /// written) when there is no such subscription, or it is not held any more.
    func withdraw(id: Int64, tenantID: Int64) async throws -> Bool
    /// The administrators of `tenantID` who get a mail for each new request.
    func requestMailRecipients(tenantID: Int64) async throws -> Set<Int64>
    /// Turns that mail on or off for an administrator of `tenantID`; false when `userID` is not one.
    func setRequestMail(userID: Int64, tenantID: Int64, enabled: Bool) async throws -> Bool
    /// Queues mails in the outbox, in one transaction.
    func enqueue(_ mails: [Mail], at: Date) async throws
}

/// The products a tenant's accepted services cover, and those of one user's own services.
public struct ProductAccess: Sendable, Hashable {
    public var tenantProducts: Set<String>
    public var userProducts: Set<String>

    public init(tenantProducts: Set<String> = [], userProducts: Set<String> = []) {
        self.tenantProducts = tenantProducts
        self.userProducts = userProducts
    }
}
