import Foundation
import Logging
import Notify
import ServiceLifecycle
import StatusModel

/// Follows the status journal: each incident opened, updated or resolved, and each maintenance
/// scheduled or started, on a product of a user's own accepted services ("Mes services"), gives
/// that user one notification (and the mail, when they chose mail for status events). Every
/// second, and at once when woken.
///
/// Once per user and event: the cursor moves after an event is handled, and each user's
/// notification carries the event's key (kept in the notification's transaction), so an event
/// read again after a crash, or by two processes at once, tells nobody twice.
public final class StatusEventFollower: ServiceLifecycle.Service, Sendable {
    private let events: any EventStore
    private let audience: any StatusEventAudience
    private let notifier: Notifier
    /// Product names by slug, read once per batch of events.
    private let productNames: @Sendable () async throws -> [String: String]
    private let notices: StatusEventNotices
    private let pollInterval: Duration
    /// Called after mails were queued: wakes mail delivery.
    private let queued: @Sendable () -> Void
    private let logger: Logger
    private let doorbell = Doorbell()

    public init(events: any EventStore, audience: any StatusEventAudience, notifier: Notifier, baseURL: String,
                siteName: StatusConfig.Branding.Text = StatusConfig.Branding.defaultName,
                productNames: @escaping @Sendable () async throws -> [String: String], pollInterval: Duration = .seconds(1),
                queued: @escaping @Sendable () -> Void = {}, logger: Logger) {
        self.events = events
        self.audience = audience
        self.notifier = notifier
        self.productNames = productNames
        self.notices = StatusEventNotices(baseURL: baseURL, names: siteName)
        self.pollInterval = pollInterval
        self.queued = queued
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.loop() }
        logger.info("status event follower stopped")
    }

    /// Looks at the journal at once (after an operator's change).
    public func wake() {
        doorbell.ring()
    }

    private func loop() async {
        while !Task.isCancelled {
            do {
                if try await followPending() == 0 { await doorbell.wait(upTo: pollInterval) }
            } catch {
                if Task.isCancelled { return }
                logger.error("could not follow status events for notifications", metadata: ["error": "\(error)"])
                await doorbell.wait(upTo: pollInterval)
            }
        }
    }

    /// Handles up to 100 new journal events; returns how many were read.
    @discardableResult
    public func followPending() async throws -> Int {
        let pending = try await events.events(after: try await audience.statusEventCursor(), limit: 100)
        guard !pending.isEmpty else { return 0 }
        let names = try await productNames()
        var told = 0
        for event in pending {
            if StatusEventNotices.concerns(event.kind) { told += try await tell(event, names: names) }
            try await audience.moveStatusEventCursor(to: event.id)
        }
        if told > 0 { queued() }
        return pending.count
    }

    /// One notification per user of the event's products; returns how many were written.
    private func tell(_ event: StatusEvent, names: [String: String]) async throws -> Int {
        var told = 0
        for user in try await audience.usersFollowing(productSlugs: event.productSlugs) {
            // Only the user's own products are named: another product of the same incident may be
            // one they cannot see. A product without a name is off the grid (hidden): not news.
            let mine = try await audience.products(ofUser: user.id, among: event.productSlugs).filter { names[$0] != nil }
            guard let first = mine.first else { continue }
            let products = mine.map { names[$0] ?? $0 }.joined(separator: ", ")
            let title = notices.title(event, products: products, language: user.language)
            let body = event.message.trimmingCharacters(in: .whitespacesAndNewlines)
            let link = "/products/\(first)"
            let key = "status-event:\(event.id):\(user.id)"
            do {
                if try await notifier.notify(userID: user.id, kind: .statusEvent, title: title, body: body, link: link,
                                             mail: notices.mail(to: user, title: title, body: body, link: link), once: key) {
                    told += 1
                }
            } catch let error as MailError {
                // An address no mail server would take must not hold the journal up: the notification goes without it.
                logger.warning("status event mail refused", metadata: ["user": "\(user.id)", "error": "\(error)"])
                if try await notifier.notify(userID: user.id, kind: .statusEvent, title: title, body: body, link: link, mail: nil, once: key) {
                    told += 1
                }
            }
        }
        return told
    }
}
