import Foundation
import StatusModel
import Testing

/// How every store kind reads a product's days, without a database: stored rollups for settled
/// days, episodes for today and for days an open episode touches, no data before monitoring.
@Suite("Day readings")
struct DayReadingsTests {
    typealias F = Fixture
    let rule = DayReadings(calendar: Paris.calendar)

    @Test("Settled days come from their rollups; today from its episodes, up to now")
    func settledFromRollupsTodayLive() {
        let days = F.lastFiveDays
        let stored = [
            Paris.day(2026, 11, 17).description: StoredDay(observed: true, summary: DaySummary(conditions: [.outage], outageSeconds: 600)),
            Paris.day(2026, 11, 18).description: StoredDay(observed: true, summary: .quiet),
            // A stale rollup for today is not read: today comes from the episodes.
            F.today.description: StoredDay(observed: true, summary: DaySummary(conditions: [.outage], outageSeconds: 60)),
        ]
        let degraded = Episode(productSlug: "loop", condition: .degraded, cause: .incident, source: "i1",
                               start: Paris.at(2026, 11, 20, 9), end: Paris.at(2026, 11, 20, 10))
        let live = rule.liveDays(days, openSince: nil, now: F.now)
        #expect(live == [F.today])
        #expect(rule.liveSpan(of: live, now: F.now) == DateInterval(start: Paris.at(2026, 11, 20), end: F.now))
        let readings = rule.readings(product: F.loop, days: days, stored: stored, liveDays: live, liveEpisodes: [degraded], now: F.now)
        #expect(readings.map(\.state) == [.noData, .incident, .ok, .noData, .degraded])
        #expect(readings[4].summary.degradedSeconds == 3600)
    }

    @Test("An episode still open makes every day since it began live")
    func anOpenEpisodeMakesItsDaysLive() {
        let live = rule.liveDays(F.lastFiveDays, openSince: Paris.at(2026, 11, 18, 23), now: F.now)
        #expect(live == [Paris.day(2026, 11, 18), Paris.day(2026, 11, 19), F.today])
    }

    @Test("Days before monitoring and days to come show no data; a product without checks is observed once it exists")
    func noDataBeforeAndAfter() {
        let manual = Product(slug: "desk", name: "Desk", family: "", position: 0, monitoredSince: Paris.at(2026, 11, 18, 12), hasChecks: false)
        let days = Paris.calendar.days(endingWith: Paris.day(2026, 11, 21), count: 5)
        let readings = rule.readings(product: manual, days: days, stored: [:], liveDays: [F.today], liveEpisodes: [], now: F.now)
        #expect(readings.map(\.state) == [.noData, .ok, .ok, .ok, .noData])
        #expect(readings[1].observedSeconds == 12 * 3600, "half of its first day was monitored")
        #expect(readings[4].observedSeconds == 0)
    }
}
