import Foundation
import Logging
import Notify
import ServiceLifecycle
import StatusModel

/// Where the incident follower stands in the status journal (kept with the tickets).
public protocol TicketJournalCursor: Sendable {
    /// The id of the last journal event handled.
    func incidentJournalCursor() async throws -> Int64
    /// Moves the cursor forward (never back).
    func moveIncidentJournalCursor(to eventID: Int64) async throws
}

/// Follows the status journal: each incident resolved (by an operator, or by the probes when
/// they confirmed the recovery) proposes its resolution message on the tickets linked to it,
/// through `TicketService.incidentResolved`. Every second, and at once when woken.
///
/// Exactly once per event: the cursor moves after an event is handled, and a proposal is
/// written at most once per ticket and resolution (its key, in the proposal's transaction), so
/// an event handled again after a crash, or by two processes at once, proposes and mails
/// nothing twice.
public final class TicketIncidentFollower: ServiceLifecycle.Service, Sendable {
    private let events: any EventStore
    private let tickets: TicketService
    private let cursor: any TicketJournalCursor
    private let pollInterval: Duration
    /// Called after proposals were written: wakes mail delivery.
    private let queued: @Sendable () -> Void
    private let logger: Logger
    private let doorbell = Doorbell()

    public init(events: any EventStore, tickets: TicketService, cursor: any TicketJournalCursor, pollInterval: Duration = .seconds(1),
                queued: @escaping @Sendable () -> Void = {}, logger: Logger) {
        self.events = events
        self.tickets = tickets
        self.cursor = cursor
        self.pollInterval = pollInterval
        self.queued = queued
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.loop() }
        logger.info("ticket incident follower stopped")
    }

    /// Looks at the journal at once (after an operator resolved an incident).
    public func wake() {
        doorbell.ring()
    }

    private func loop() async {
        while !Task.isCancelled {
            do {
                if try await followPending() == 0 { await doorbell.wait(upTo: pollInterval) }
            } catch {
                if Task.isCancelled { return }
                logger.error("could not follow incidents for tickets", metadata: ["error": "\(error)"])
                await doorbell.wait(upTo: pollInterval)
            }
        }
    }

    /// Handles up to 100 new journal events; returns how many were read.
    @discardableResult
    public func followPending() async throws -> Int {
        let pending = try await events.events(after: try await cursor.incidentJournalCursor(), limit: 100)
        var proposed = 0
        for event in pending {
            if event.kind == .incidentResolved || event.kind == .recoveryConfirmed {
                let count = try await tickets.incidentResolved(event.subjectID, message: event.message, at: event.at)
                proposed += count
                if count > 0 {
                    logger.info("incident resolution proposed on tickets", metadata: ["incident": "\(event.subjectID)", "tickets": "\(count)"])
                }
            }
            try await cursor.moveIncidentJournalCursor(to: event.id)
        }
        if proposed > 0 { queued() }
        return pending.count
    }
}
