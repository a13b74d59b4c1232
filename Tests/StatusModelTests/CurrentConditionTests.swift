import Foundation
import StatusModel
import Testing

/// `DayStateRule.condition(of:at:)`: what the product page says right now.
@Suite("Current condition")
struct CurrentConditionTests {
    let now = Paris.at(2026, 11, 20, 12)

    @Test("Nothing going on: operational")
    func nothingIsOperational() {
        #expect(DayStateRule.condition(of: [], at: now) == .operational)
    }

    @Test("The worst condition going on wins")
    func worstConditionWins() {
        let episodes = [
            episode(.degraded, .probe, from: Paris.at(2026, 11, 20, 9), to: nil, source: "loop/api"),
            episode(.outage, .incident, from: Paris.at(2026, 11, 20, 11), to: nil, source: "INC1"),
            episode(.maintenance, .maintenance, from: Paris.at(2026, 11, 20, 10), to: Paris.at(2026, 11, 20, 14), source: "m1"),
        ]
        #expect(DayStateRule.condition(of: episodes, at: now) == .outage)
    }

    @Test("Degraded beats maintenance")
    func degradedBeatsMaintenance() {
        let episodes = [
            episode(.maintenance, .maintenance, from: Paris.at(2026, 11, 20, 10), to: Paris.at(2026, 11, 20, 14), source: "m1"),
            episode(.degraded, .incident, from: Paris.at(2026, 11, 20, 11), to: nil, source: "INC1"),
        ]
        #expect(DayStateRule.condition(of: episodes, at: now) == .degraded)
    }

    @Test("Ended episodes, and ones not started yet, are ignored")
    func endedAndFutureEpisodesAreIgnored() {
        let episodes = [
            episode(.outage, .probe, from: Paris.at(2026, 11, 20, 9), to: Paris.at(2026, 11, 20, 10)),
            episode(.outage, .incident, from: Paris.at(2026, 11, 20, 10), to: now, source: "INC1"),
            episode(.maintenance, .maintenance, from: Paris.at(2026, 11, 20, 22), to: Paris.at(2026, 11, 20, 23), source: "m1"),
        ]
        #expect(DayStateRule.condition(of: episodes, at: now) == .operational)
    }

    @Test("An episode that starts right now already counts")
    func episodeStartingNowCounts() {
        #expect(DayStateRule.condition(of: [episode(.outage, .probe, from: now, to: nil)], at: now) == .outage)
    }

    @Test("A probe failure during maintenance reads as maintenance")
    func probeFailureDuringMaintenanceIsMaintenance() {
        let episodes = [
            episode(.maintenance, .maintenance, from: Paris.at(2026, 11, 20, 10), to: Paris.at(2026, 11, 20, 14), source: "m1"),
            episode(.outage, .probe, from: Paris.at(2026, 11, 20, 11), to: nil),
        ]
        #expect(DayStateRule.condition(of: episodes, at: now) == .maintenance)
        // Once the window is over, the probe failure shows again.
        #expect(DayStateRule.condition(of: episodes, at: Paris.at(2026, 11, 20, 15)) == .outage)
    }

    @Test("A declared incident during maintenance still reads as outage")
    func incidentDuringMaintenanceIsOutage() {
        let episodes = [
            episode(.maintenance, .maintenance, from: Paris.at(2026, 11, 20, 10), to: Paris.at(2026, 11, 20, 14), source: "m1"),
            episode(.outage, .incident, from: Paris.at(2026, 11, 20, 11), to: nil, source: "INC1"),
        ]
        #expect(DayStateRule.condition(of: episodes, at: now) == .outage)
    }
}
