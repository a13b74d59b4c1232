import Foundation
import Probes
import StatusModel
import Testing

@Suite struct ConfirmationTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func feed(_ outcomes: [CheckResult.Outcome], into confirmation: inout StateConfirmation, failAfter: Int = 3, recoverAfter: Int = 2) -> [CheckResult.Outcome?] {
        outcomes.enumerated().map { index, outcome in
            confirmation.observe(outcome, at: t0.addingTimeInterval(Double(index)), failAfter: failAfter, recoverAfter: recoverAfter)
        }
    }

    @Test func oneLostPacketChangesNothing() {
        var confirmation = StateConfirmation()
        #expect(feed([.up, .down, .up, .up, .down, .down, .up], into: &confirmation).allSatisfy { $0 == nil })
        #expect(confirmation.confirmed == .up)
    }

    @Test func downAfterFailAfterFailuresInARowWithTheStreakStart() {
        var confirmation = StateConfirmation()
        let changes = feed([.up, .down, .down, .down], into: &confirmation)
        #expect(changes == [nil, nil, nil, .down])
        #expect(confirmation.streakStart == t0.addingTimeInterval(1), "the outage began with the first failure")
    }

    @Test func upAgainAfterRecoverAfterSuccesses() {
        var confirmation = StateConfirmation(confirmed: .down)
        #expect(confirmation.isConfirming == false)
        let changes = feed([.up, .down, .up, .up], into: &confirmation)
        #expect(changes == [nil, nil, nil, .up])
        #expect(confirmation.streakStart == t0.addingTimeInterval(2))
    }

    @Test func slowAnswersConfirmDegradedThenDownWhenTheyStopAnswering() {
        var confirmation = StateConfirmation()
        #expect(feed([.degraded, .degraded, .degraded], into: &confirmation) == [nil, nil, .degraded])
        confirmation.settle()
        #expect(feed([.down, .down, .down], into: &confirmation) == [nil, nil, .down])
    }

    @Test func whileConfirmingTheCheckRunsAtItsRetryInterval() {
        var confirmation = StateConfirmation()
        _ = feed([.down], into: &confirmation)
        #expect(confirmation.isConfirming)
        _ = feed([.up], into: &confirmation)
        #expect(!confirmation.isConfirming)
    }

    @Test(arguments: [
        ([CheckResult.Outcome.down, .down, .up], 2, Condition.outage),
        ([.down, .up, .up], 2, .degraded),
        ([.up, .up, .up], 2, .operational),
        ([.degraded, .up, .up], 2, .degraded),
        ([.down], 1, .outage),
    ])
    func regionsCombineByQuorum(states: [CheckResult.Outcome], quorum: Int, expected: Condition) {
        #expect(RegionQuorum.condition(of: states, quorum: quorum) == expected)
    }

    @Test func defaultQuorumIsAMajorityAndRetryAThirdOfTheInterval() {
        var check = Check(productSlug: "p", name: "c", kind: .http, target: "http://x/", interval: .seconds(30), regions: ["a", "b", "c"])
        #expect(check.effectiveQuorum == 2)
        #expect(check.effectiveRetryInterval == .seconds(10))
        check.regions = ["a"]
        #expect(check.effectiveQuorum == 1)
    }
}
