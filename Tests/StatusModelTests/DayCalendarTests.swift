import Foundation
import StatusModel
import Testing

/// Local days in the deployment's time zone, daylight saving included.
@Suite("Day calendar")
struct DayCalendarTests {
    let calendar = Paris.calendar

    @Test("An ordinary day is 24 hours long and starts at local midnight")
    func ordinaryDay() {
        let interval = calendar.interval(of: Paris.day(2026, 11, 18))
        #expect(interval.duration == hours(24))
        #expect(interval.start == Paris.at(2026, 11, 18))
    }

    @Test("The day clocks go forward is 23 hours long")
    func springForwardDay() {
        let interval = calendar.interval(of: Paris.day(2026, 3, 29))
        #expect(interval.duration == hours(23))
        #expect(calendar.interval(of: Paris.day(2026, 3, 28)).duration == hours(24))
        #expect(calendar.interval(of: Paris.day(2026, 3, 30)).duration == hours(24))
    }

    @Test("The day clocks go back is 25 hours long")
    func fallBackDay() {
        #expect(calendar.interval(of: Paris.day(2026, 10, 25)).duration == hours(25))
        #expect(calendar.interval(of: Paris.day(2026, 10, 26)).duration == hours(24))
    }

    @Test("23:30 local time lands on its own day when the clock changes", arguments: [
        Paris.day(2026, 3, 29), Paris.day(2026, 10, 25),
    ])
    func lateEveningOnClockChangeDays(day: LocalDay) {
        let lateEvening = Paris.at(day.year, day.month, day.day, 23, 30)
        #expect(calendar.day(containing: lateEvening) == day)
        let night = episode(.outage, .probe, from: lateEvening, to: lateEvening.addingTimeInterval(900))
        let later = Paris.at(2026, 12, 1)
        let summary = DayStateRule.summary(of: [night], during: calendar.interval(of: day), now: later)
        #expect(summary.outageSeconds == 900)
        let nextDay = calendar.adding(1, to: day)
        #expect(DayStateRule.summary(of: [night], during: calendar.interval(of: nextDay), now: later) == .quiet)
        // Half an hour later it is already the next day.
        #expect(calendar.day(containing: lateEvening.addingTimeInterval(1800)) == nextDay)
    }

    @Test("A whole clock-change day overlaps only itself")
    func clockChangeDayOverlapsOnlyItself() {
        for day in [Paris.day(2026, 3, 29), Paris.day(2026, 10, 25)] {
            #expect(calendar.days(overlapping: calendar.interval(of: day)) == [day])
        }
    }

    @Test("The last N days, oldest first, across a month boundary")
    func daysEndingWithAcrossMonths() {
        let days = calendar.days(endingWith: Paris.day(2026, 3, 2), count: 4)
        #expect(days.map(\.description) == ["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"])
        #expect(calendar.days(endingWith: Paris.day(2026, 1, 1), count: 2).map(\.description) == ["2025-12-31", "2026-01-01"])
        #expect(calendar.days(endingWith: Paris.day(2026, 3, 30), count: 3).map(\.description) == ["2026-03-28", "2026-03-29", "2026-03-30"])
    }

    @Test("The 25-day grid has 25 distinct days ending today")
    func gridDays() {
        let days = calendar.days(endingWith: Paris.day(2026, 11, 20), count: 25)
        #expect(days.count == 25)
        #expect(Set(days).count == 25)
        #expect(days.first == Paris.day(2026, 10, 27))
        #expect(days.last == Paris.day(2026, 11, 20))
        #expect(days == days.sorted())
        #expect(calendar.days(endingWith: Paris.day(2026, 11, 20), count: 0).isEmpty)
    }
}

/// `LocalDay` as read from and written to URLs and the store.
@Suite("Local day")
struct LocalDayTests {
    @Test("Reads YYYY-MM-DD")
    func parses() {
        #expect(LocalDay("2026-03-29") == LocalDay(year: 2026, month: 3, day: 29))
        #expect(LocalDay("2024-02-29") == LocalDay(year: 2024, month: 2, day: 29))
    }

    @Test("Prints YYYY-MM-DD with zeros, and reads back what it prints")
    func prints() {
        let day = LocalDay(year: 2026, month: 1, day: 5)
        #expect(day.description == "2026-01-05")
        #expect(LocalDay(day.description) == day)
    }

    @Test("Refuses anything that is not a real date", arguments: [
        "", "2026", "2026-3-29", "26-03-29", "20260329", "2026/03/29", "2026-13-01", "2026-00-10", "2026-01-32",
        "2026-01-00", "2026-02-30", "2025-02-29", "2026-04-31", "2026-03-29-01", "abcd-ef-gh",
    ])
    func refusesGarbage(text: String) {
        #expect(LocalDay(text) == nil)
    }

    @Test("Days sort in calendar order")
    func ordering() {
        #expect(LocalDay(year: 2025, month: 12, day: 31) < LocalDay(year: 2026, month: 1, day: 1))
        #expect(LocalDay(year: 2026, month: 2, day: 28) < LocalDay(year: 2026, month: 3, day: 1))
        #expect(!(LocalDay(year: 2026, month: 3, day: 1) < LocalDay(year: 2026, month: 3, day: 1)))
    }
}
