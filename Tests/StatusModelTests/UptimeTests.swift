import Foundation
import StatusModel
import Testing

/// `DayStateRule.uptime(of:)`: the percentage on the product page.
@Suite("Uptime")
struct UptimeTests {
    @Test("Maintenance time is taken out of the observed time")
    func maintenanceIsExcluded() {
        let day = DaySummary(conditions: [.maintenance, .outage], outageSeconds: 8280, maintenanceSeconds: 3600)
        let uptime = DayStateRule.uptime(of: [(observedSeconds: 86400, summary: day)])
        #expect(isClose(uptime, to: 1 - 8280.0 / 82800.0))
        #expect(isClose(uptime, to: 0.9))
    }

    @Test("A window without trouble is 100 %")
    func quietWindowIsFull() {
        let days = Array(repeating: (observedSeconds: 86400.0, summary: DaySummary.quiet), count: 25)
        #expect(DayStateRule.uptime(of: days) == 1)
    }

    @Test("Several days add up; days nothing observed do not count")
    func severalDaysAddUp() {
        let days: [(observedSeconds: Double, summary: DaySummary)] = [
            (0, DaySummary(conditions: [.outage], outageSeconds: 86400)),
            (86400, .quiet),
            (86400, DaySummary(conditions: [.outage], outageSeconds: 17280)),
        ]
        #expect(isClose(DayStateRule.uptime(of: days), to: 0.9))
    }

    @Test("Degraded time is not down time")
    func degradedIsUp() {
        let day = DaySummary(conditions: [.degraded], degradedSeconds: 7200)
        #expect(DayStateRule.uptime(of: [(observedSeconds: 86400, summary: day)]) == 1)
    }

    @Test("Nothing observed: no uptime at all, rather than 0 % or 100 %")
    func nothingObservedIsNil() {
        #expect(DayStateRule.uptime(of: []) == nil)
        #expect(DayStateRule.uptime(of: [(observedSeconds: 0, summary: .quiet)]) == nil)
        // A day spent entirely in maintenance leaves nothing to judge.
        #expect(DayStateRule.uptime(of: [(observedSeconds: 86400, summary: DaySummary(conditions: [.maintenance], maintenanceSeconds: 86400))]) == nil)
    }
}
