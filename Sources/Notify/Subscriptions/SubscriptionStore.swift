import Foundation
import StatusModel

/// What happened to a request to follow updates by email.
public enum SubscriptionRequestOutcome: Sendable, Equatable {
    /// A new or renewed request, waiting for its confirmation.
    case awaitingConfirmation(id: Int64)
    /// The address already follows updates: it gets a link to its settings instead.
    case alreadyConfirmed(id: Int64)
}

/// Status subscriptions and the announcements made to them.
public protocol SubscriptionStore: Sendable {
    /// Records an anonymous request for `address` (pending, with the hash of its confirmation
    /// token) and queues the mail `mail` makes for the outcome, in one transaction. A request
    /// for an address that already confirmed changes nothing but the mail.
    func request(address: String, language: String, productSlugs: [String], confirmationHash: String, now: Date,
                 mail: @Sendable (SubscriptionRequestOutcome) -> Mail) async throws -> SubscriptionRequestOutcome
    /// Confirms the pending request whose token hashes to `confirmationHash`, if it is younger
    /// than 48 hours; nil otherwise. The link works once.
    func confirm(confirmationHash: String, now: Date) async throws -> StatusSubscription?
    /// A logged-in user's subscription, confirmed at once (their address is known).
    func subscribeUser(userID: Int64, address: String, language: String, productSlugs: [String], now: Date) async throws -> StatusSubscription
    /// A webhook subscription, confirmed at once (an operator or the API made it).
    func subscribeWebhook(url: String, secret: String, language: String, productSlugs: [String], now: Date) async throws -> StatusSubscription
    func subscription(id: Int64) async throws -> StatusSubscription?
    func subscription(userID: Int64) async throws -> StatusSubscription?
    func subscriptions(limit: Int) async throws -> [StatusSubscription]
    func changeProducts(id: Int64, productSlugs: [String]) async throws
    /// True when it existed.
    @discardableResult
    func delete(id: Int64) async throws -> Bool
    /// Confirmed subscriptions that follow any of `productSlugs`.
    func followers(of productSlugs: [String]) async throws -> [StatusSubscription]
    /// The last event announced, so each is announced once.
    func announcedThrough() async throws -> Int64
    /// Queues the messages of event `eventID` and moves the cursor past it, in one
    /// transaction; does nothing when another process announced it already.
    func recordAnnouncement(eventID: Int64, mails: [Mail], webhooks: [Webhook], now: Date) async throws
    /// Drops requests never confirmed within their lifetime.
    @discardableResult
    func pruneUnconfirmed(now: Date) async throws -> Int
    /// The installation's secret for the links in mails (made once, kept in the database).
    func linkSecret() async throws -> [UInt8]
}
