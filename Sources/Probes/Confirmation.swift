import Foundation
import StatusModel

/// Turns raw results into confirmed states: down after `failAfter` failures in a row, up
/// again after `recoverAfter` successes, so one lost packet never paints a day red.
public struct StateConfirmation: Sendable, Hashable {
    public private(set) var confirmed: CheckResult.Outcome
    /// When the streak that led (or may lead) to the next change began.
    public private(set) var streakStart: Date?
    private var downStreak = 0
    private var badStreak = 0
    private var upStreak = 0
    private var notDownStreak = 0

    public init(confirmed: CheckResult.Outcome = .up) {
        self.confirmed = confirmed
    }

    /// True while results disagree with the confirmed state: the check runs at its retry interval.
    public var isConfirming: Bool {
        switch confirmed {
        case .up: badStreak > 0
        case .degraded: downStreak > 0 || upStreak > 0
        case .down: notDownStreak > 0
        }
    }

    /// Takes one result; returns the new confirmed outcome when it changes.
    public mutating func observe(_ outcome: CheckResult.Outcome, at time: Date, failAfter: Int, recoverAfter: Int) -> CheckResult.Outcome? {
        let wasConfirming = isConfirming
        switch outcome {
        case .up:
            upStreak += 1; notDownStreak += 1; downStreak = 0; badStreak = 0
        case .degraded:
            badStreak += 1; notDownStreak += 1; downStreak = 0; upStreak = 0
        case .down:
            downStreak += 1; badStreak += 1; upStreak = 0; notDownStreak = 0
        }
        if !wasConfirming && isConfirming { streakStart = time }

        let next: CheckResult.Outcome
        if downStreak >= failAfter {
            next = .down
        } else if upStreak >= recoverAfter {
            next = .up
        } else if confirmed == .up && badStreak >= failAfter {
            next = .degraded
        } else if confirmed == .down && notDownStreak >= recoverAfter {
            next = .degraded
        } else {
            if !isConfirming { streakStart = nil }
            return nil
        }
        guard next != confirmed else {
            if !isConfirming { streakStart = nil }
            return nil
        }
        confirmed = next
        return next
    }

    /// Called once a change was acted upon: the next streak starts afresh.
    public mutating func settle() {
        streakStart = nil
    }
}

/// How regions combine: down in at least `quorum` regions is an outage; down in fewer, or
/// degraded anywhere, is degraded.
public enum RegionQuorum {
    public static func condition(of states: [CheckResult.Outcome], quorum: Int) -> Condition {
        let down = states.filter { $0 == .down }.count
        if down >= max(1, quorum) { return .outage }
        if down > 0 || states.contains(.degraded) { return .degraded }
        return .operational
    }
}
