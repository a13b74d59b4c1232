import Foundation
import Logging
import ServiceLifecycle
import StatusModel

/// Which products the user behind an account-linked subscription sees (`ProductAudience`):
/// resolved by the composition root from the portal's services, which Notify cannot import.
public typealias SubscriberAudience = @Sendable (_ userID: Int64) async throws -> ProductAudience

/// Turns the status journal into messages: every second (and at once when woken) it journals
/// the windows that started or ended, then queues one mail per follower for each new event, in
/// the follower's language, and moves its cursor in the same transaction, so each follower
/// gets each event once, whichever process announces it. Publishing never waits for it: the
/// operator's change only writes the journal.
public final class AnnouncementService: Service, Sendable {
    private let events: any EventStore & ProductStore
    private let subscriptions: SubscriptionService
    private let calendar: DayCalendar
    private let pollInterval: Duration
    private let now: @Sendable () -> Date
    /// Called after messages were queued: wakes mail delivery.
    private let queued: @Sendable () -> Void
    private let logger: Logger
    private let doorbell = Doorbell()
    /// Nil: every subscriber is treated as anonymous (public products only).
    private let subscriberAudience: SubscriberAudience?

    /// - Parameter subscriberAudience: what an account-linked subscription's user sees; an address
    ///   or a webhook nobody signed in for gets public products only, whatever this says.
    public init(events: any EventStore & ProductStore, subscriptions: SubscriptionService, calendar: DayCalendar,
                pollInterval: Duration = .seconds(1), now: @escaping @Sendable () -> Date = { Date() },
                queued: @escaping @Sendable () -> Void = {}, subscriberAudience: SubscriberAudience? = nil, logger: Logger) {
        self.subscriberAudience = subscriberAudience
        self.events = events
        self.subscriptions = subscriptions
        self.calendar = calendar
        self.pollInterval = pollInterval
        self.now = now
        self.queued = queued
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.loop() }
        logger.info("announcements stopped")
    }

    /// Looks at the journal at once (after an operator's change).
    public func wake() {
        doorbell.ring()
    }

    private func loop() async {
        var lastPrune = Date.distantPast
        while !Task.isCancelled {
            do {
                let announced = try await announcePending()
                if announced == 0 { await doorbell.wait(upTo: pollInterval) }
                if now().timeIntervalSince(lastPrune) > 3600 {
                    lastPrune = now()
                    try await subscriptions.store.pruneUnconfirmed(now: lastPrune)
                    try await events.pruneEvents(before: lastPrune.addingTimeInterval(-90 * 86_400))
                }
            } catch {
                if Task.isCancelled { return }
                logger.error("could not announce status events", metadata: ["error": "\(error)"])
                await doorbell.wait(upTo: pollInterval)
            }
        }
    }

    /// Journals due window transitions, then announces up to 100 new events; returns how many.
    @discardableResult
    public func announcePending() async throws -> Int {
        let date = now()
        try await events.recordMaintenanceTransitions(now: date)
        let pending = try await events.events(after: try await subscriptions.store.announcedThrough(), limit: 100)
        guard !pending.isEmpty else { return 0 }
        let products = Dictionary(try await events.products().map { ($0.slug, $0) }) { first, _ in first }
        let names = products.mapValues(\.name)
        let key = try await subscriptions.linkKey()
        // One read of each user's access per batch, however many events they follow.
        var audiences: [Int64: ProductAudience] = [:]
        var total = 0
        for event in pending {
            // Hidden products are nobody's news; the others only for those who see them.
            let candidates = event.productSlugs.filter { products[$0].map { $0.visibility != .hidden } ?? false }
            let followers = candidates.isEmpty ? [] : try await subscriptions.store.followers(of: candidates)
            var mails: [Mail] = []
            var webhooks: [Webhook] = []
            mails.reserveCapacity(followers.count)
            for follower in followers {
                let reader = try await audience(of: follower, known: &audiences)
                // Nobody hears of a product they cannot see: the update names theirs only, and
                // does not reach them when it touches none they follow and see.
                let slugs = candidates.filter { slug in products[slug].map(reader.sees) ?? false }
                guard !slugs.isEmpty, follower.follows(any: slugs) else { continue }
                switch follower.channel {
                case .email:
                    let token = SubscriptionService.manageToken(id: follower.id, key: key)
                    let manage = "\(subscriptions.baseURL)/subscriptions/\(token)"
                    mails.append(subscriptions.mails.update(event, to: follower.address, language: follower.language,
                                                            productNames: slugs.compactMap { names[$0] }, manageLink: manage,
                                                            unsubscribeLink: "\(manage)/unsubscribe", calendar: calendar))
                case .webhook:
                    guard let secret = follower.webhookSecret else { continue }
                    webhooks.append(Webhook(url: follower.address, secret: secret, event: WebhookPayload.eventName(event.kind),
                                            body: WebhookPayload.body(event, productSlugs: slugs, names: names, baseURL: subscriptions.baseURL)))
                }
            }
            try await subscriptions.store.recordAnnouncement(eventID: event.id, mails: mails, webhooks: webhooks, now: date)
            total += mails.count + webhooks.count
            if !mails.isEmpty || !webhooks.isEmpty {
                logger.info("status event announced", metadata: ["event": "\(event.kind.rawValue)", "subject": "\(event.subjectID)",
                                                                 "mails": "\(mails.count)", "webhooks": "\(webhooks.count)"])
            }
        }
        if total > 0 { queued() }
        return pending.count
    }

    /// An address or a webhook is anonymous; a user's subscription sees what the user sees.
    private func audience(of follower: StatusSubscription, known: inout [Int64: ProductAudience]) async throws -> ProductAudience {
        guard let userID = follower.userID, let subscriberAudience else { return .anonymous }
        if let audience = known[userID] { return audience }
        let audience = try await subscriberAudience(userID)
        known[userID] = audience
        return audience
    }
}
