import Foundation
import StatusModel
import Testing

/// The day-state rule of DESIGN.md, on plain values: what one local day of a product shows.
@Suite("Day state rule")
struct DayStateRuleTests {
    let day = Paris.day(2026, 11, 18)
    var window: DateInterval { Paris.interval(of: day) }
    let later = Paris.at(2026, 11, 25, 12)

    private func state(_ episodes: [Episode], observed: Bool = true) -> DayState {
        DayStateRule.dayState(of: DayStateRule.summary(of: episodes, during: window, now: later), observed: observed)
    }

    // MARK: dayState

    @Test("A quiet observed day is ok")
    func quietObservedDayIsOk() {
        #expect(DayStateRule.dayState(of: .quiet, observed: true) == .ok)
    }

    @Test("A day nothing observed shows no data")
    func unobservedDayIsNoData() {
        #expect(DayStateRule.dayState(of: .quiet, observed: false) == .noData)
    }

    @Test("One kind of condition shows as that kind, outage as incident", arguments: [
        (Condition.maintenance, DayState.maintenance),
        (.degraded, .degraded),
        (.outage, .incident),
    ])
    func oneKindShowsAsThatKind(condition: Condition, expected: DayState) {
        #expect(DayStateRule.dayState(of: DaySummary(conditions: [condition]), observed: true) == expected)
        // A declared condition is news even on a day no probe ran.
        #expect(DayStateRule.dayState(of: DaySummary(conditions: [condition]), observed: false) == expected)
    }

    @Test("Two kinds of condition the same day show as multiple")
    func twoKindsAreMultiple() {
        #expect(DayStateRule.dayState(of: DaySummary(conditions: [.degraded, .outage]), observed: true) == .multiple)
        #expect(DayStateRule.dayState(of: DaySummary(conditions: [.maintenance, .degraded, .outage]), observed: true) == .multiple)
    }

    @Test("Every state has its own symbol, so colour is never the only clue")
    func everyStateHasItsOwnIcon() {
        let icons = DayState.allCases.map(\.icon)
        #expect(Set(icons).count == DayState.allCases.count)
        #expect(DayState.incident.icon == "!")
        #expect(DayState.noData.icon == "·")
    }

    // MARK: summary

    @Test("No episode that day: ok")
    func noEpisodeIsOk() {
        let elsewhere = episode(.outage, .probe, from: Paris.at(2026, 11, 17, 10), to: Paris.at(2026, 11, 17, 11))
        #expect(DayStateRule.summary(of: [elsewhere], during: window, now: later) == .quiet)
        #expect(state([elsewhere]) == .ok)
        #expect(state([]) == .ok)
        #expect(state([], observed: false) == .noData)
    }

    @Test("A probe outage shows as an incident and counts its time")
    func outageIsIncident() {
        let outage = episode(.outage, .probe, from: Paris.at(2026, 11, 18, 10), to: Paris.at(2026, 11, 18, 11))
        let summary = DayStateRule.summary(of: [outage], during: window, now: later)
        #expect(summary.conditions == [.outage])
        #expect(summary.outageSeconds == hours(1))
        #expect(state([outage]) == .incident)
    }

    @Test("A degraded spell shows as degraded, and is not counted as down time")
    func degradedIsDegraded() {
        let slow = episode(.degraded, .probe, from: Paris.at(2026, 11, 18, 10), to: Paris.at(2026, 11, 18, 10, 30))
        let summary = DayStateRule.summary(of: [slow], during: window, now: later)
        #expect(summary.degradedSeconds == 1800)
        #expect(summary.outageSeconds == 0)
        #expect(state([slow]) == .degraded)
    }

    @Test("A maintenance window shows as maintenance")
    func maintenanceIsMaintenance() {
        let works = episode(.maintenance, .maintenance, from: Paris.at(2026, 11, 18, 2), to: Paris.at(2026, 11, 18, 4), source: "m1")
        let summary = DayStateRule.summary(of: [works], during: window, now: later)
        #expect(summary.maintenanceSeconds == hours(2))
        #expect(state([works]) == .maintenance)
    }

    @Test("An outage and a degraded spell the same day: multiple")
    func outageAndDegradedAreMultiple() {
        let episodes = [
            episode(.degraded, .probe, from: Paris.at(2026, 11, 18, 8), to: Paris.at(2026, 11, 18, 9)),
            episode(.outage, .incident, from: Paris.at(2026, 11, 18, 15), to: Paris.at(2026, 11, 18, 16), source: "INC1"),
        ]
        #expect(state(episodes) == .multiple)
    }

    @Test("An episode crossing midnight counts on both local days")
    func episodeAcrossMidnightCountsOnBothDays() {
        let night = episode(.outage, .probe, from: Paris.at(2026, 11, 18, 23), to: Paris.at(2026, 11, 19, 1))
        let first = DayStateRule.summary(of: [night], during: Paris.interval(of: Paris.day(2026, 11, 18)), now: later)
        let second = DayStateRule.summary(of: [night], during: Paris.interval(of: Paris.day(2026, 11, 19)), now: later)
        #expect(first.outageSeconds == hours(1))
        #expect(second.outageSeconds == hours(1))
        #expect(DayStateRule.dayState(of: first, observed: true) == .incident)
        #expect(DayStateRule.dayState(of: second, observed: true) == .incident)
        let span = DateInterval(start: night.start, end: night.end!)
        #expect(Paris.calendar.days(overlapping: span) == [Paris.day(2026, 11, 18), Paris.day(2026, 11, 19)])
    }

    @Test("An episode ending exactly at midnight does not touch the next day")
    func episodeEndingAtMidnightStaysOnItsDay() {
        let evening = episode(.outage, .probe, from: Paris.at(2026, 11, 18, 22), to: Paris.at(2026, 11, 19))
        #expect(Paris.calendar.days(overlapping: DateInterval(start: evening.start, end: evening.end!)) == [day])
        let next = DayStateRule.summary(of: [evening], during: Paris.interval(of: Paris.day(2026, 11, 19)), now: later)
        #expect(next == .quiet)
    }

    @Test("Overlapping outages count their union, not their sum")
    func overlappingOutagesCountTheUnion() {
        let episodes = [
            episode(.outage, .probe, from: Paris.at(2026, 11, 18, 10), to: Paris.at(2026, 11, 18, 12), source: "loop/http"),
            episode(.outage, .probe, from: Paris.at(2026, 11, 18, 11), to: Paris.at(2026, 11, 18, 13), source: "loop/api"),
            episode(.outage, .incident, from: Paris.at(2026, 11, 18, 10, 30), to: Paris.at(2026, 11, 18, 11, 30), source: "INC1"),
        ]
        let summary = DayStateRule.summary(of: episodes, during: window, now: later)
        #expect(summary.outageSeconds == hours(3))
        #expect(state(episodes) == .incident)
    }

    @Test("An ongoing episode counts up to now, not to the end of the day")
    func ongoingEpisodeCountsUpToNow() {
        let open = episode(.outage, .probe, from: Paris.at(2026, 11, 18, 10), to: nil)
        let summary = DayStateRule.summary(of: [open], during: window, now: Paris.at(2026, 11, 18, 12, 30))
        #expect(summary.outageSeconds == hours(2.5))
    }

    // MARK: maintenance masking

    @Test("A probe outage inside a maintenance window shows as maintenance only")
    func probeOutageInsideMaintenanceIsMasked() {
        let episodes = [
            episode(.maintenance, .maintenance, from: Paris.at(2026, 11, 18, 2), to: Paris.at(2026, 11, 18, 4), source: "m1"),
            episode(.outage, .probe, from: Paris.at(2026, 11, 18, 2, 30), to: Paris.at(2026, 11, 18, 3)),
        ]
        let summary = DayStateRule.summary(of: episodes, during: window, now: later)
        #expect(summary.conditions == [.maintenance])
        #expect(summary.outageSeconds == 0)
        #expect(state(episodes) == .maintenance)
    }

    @Test("A probe outage running past a maintenance window: multiple, only the part outside counts as down")
    func probeOutagePartlyOutsideMaintenance() {
        let episodes = [
            episode(.maintenance, .maintenance, from: Paris.at(2026, 11, 18, 2), to: Paris.at(2026, 11, 18, 4), source: "m1"),
            episode(.outage, .probe, from: Paris.at(2026, 11, 18, 3), to: Paris.at(2026, 11, 18, 5)),
        ]
        let summary = DayStateRule.summary(of: episodes, during: window, now: later)
        #expect(summary.conditions == [.maintenance, .outage])
        #expect(summary.outageSeconds == hours(1))
        #expect(summary.maintenanceSeconds == hours(2))
        #expect(state(episodes) == .multiple)
    }

    @Test("A declared incident during maintenance is not masked")
    func incidentInsideMaintenanceIsNotMasked() {
        let episodes = [
            episode(.maintenance, .maintenance, from: Paris.at(2026, 11, 18, 2), to: Paris.at(2026, 11, 18, 4), source: "m1"),
            episode(.outage, .incident, from: Paris.at(2026, 11, 18, 2, 30), to: Paris.at(2026, 11, 18, 3), source: "INC1"),
        ]
        let summary = DayStateRule.summary(of: episodes, during: window, now: later)
        #expect(summary.conditions.contains(.outage))
        #expect(state(episodes) == .multiple)
    }

    @Test("Another product's maintenance masks nothing")
    func otherProductsMaintenanceDoesNotMask() {
        let episodes = [
            episode(.maintenance, .maintenance, from: Paris.at(2026, 11, 18, 2), to: Paris.at(2026, 11, 18, 4), product: "stream", source: "m1"),
            episode(.outage, .probe, from: Paris.at(2026, 11, 18, 2, 30), to: Paris.at(2026, 11, 18, 3)),
        ]
        #expect(DayStateRule.condition(of: episodes, at: Paris.at(2026, 11, 18, 2, 45)) == .outage)
    }
}
