import Foundation
import Logging
import ServiceLifecycle
import StatusModel

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

    public init(events: any EventStore & ProductStore, subscriptions: SubscriptionService, calendar: DayCalendar,
                pollInterval: Duration = .seconds(1), now: @escaping @Sendable () -> Date = { Date() },
                queued: @escaping @Sendable () -> Void = {}, logger: Logger) {
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
        let products = try await events.products()
        let names = Dictionary(products.filter { $0.visibility == .public }.map { ($0.slug, $0.name) }) { first, _ in first }
        let key = try await subscriptions.linkKey()
        var total = 0
        for event in pending {
            // Hidden products are not news for customers.
            let slugs = event.productSlugs.filter { names[$0] != nil }
            let followers = slugs.isEmpty ? [] : try await subscriptions.store.followers(of: slugs)
            var mails: [Mail] = []
            var webhooks: [Webhook] = []
            mails.reserveCapacity(followers.count)
            for follower in followers {
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
}
