import Foundation

/// A calendar day in the deployment's time zone, such as 2026-03-29.
public struct LocalDay: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads "YYYY-MM-DD"; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...LocalDay.dayCount(year: year, month: month)).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Days in a month of the Gregorian calendar, so "2026-02-30" is refused rather than read as 2 March.
    static func dayCount(year: Int, month: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// "YYYY-MM-DD", also the day's key in the store.
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (lhs: LocalDay, rhs: LocalDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// Turns instants into local days and back, in one time zone, daylight saving included.
public struct DayCalendar: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    public func day(containing date: Date) -> LocalDay {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return LocalDay(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// The instants of a local day: 23 or 25 hours long on the days the clock changes.
    public func interval(of day: LocalDay) -> DateInterval {
        let start = startOfDay(day)
        let next = startOfDay(adding(1, to: day))
        return DateInterval(start: start, end: next)
    }

    public func adding(_ count: Int, to day: LocalDay) -> LocalDay {
        var parts = DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)
        parts.timeZone = timeZone
        let noon = calendar.date(from: parts) ?? Date(timeIntervalSince1970: 0)
        let moved = calendar.date(byAdding: .day, value: count, to: noon) ?? noon
        return self.day(containing: moved)
    }

    /// The `count` days ending with `last`, oldest first.
    public func days(endingWith last: LocalDay, count: Int) -> [LocalDay] {
        guard count > 0 else { return [] }
        return (0..<count).reversed().map { adding(-$0, to: last) }
    }

    /// Every local day that shares at least an instant with `interval`, oldest first.
    public func days(overlapping interval: DateInterval) -> [LocalDay] {
        let first = day(containing: interval.start)
        // An interval ending exactly at midnight does not touch the next day.
        let lastInstant = interval.duration > 0 ? interval.end.addingTimeInterval(-0.001) : interval.end
        let last = day(containing: lastInstant)
        var result: [LocalDay] = []
        var current = first
        while current <= last {
            result.append(current)
            current = adding(1, to: current)
        }
        return result
    }

    private func startOfDay(_ day: LocalDay) -> Date {
        var parts = DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)
        parts.timeZone = timeZone
        let noon = calendar.date(from: parts) ?? Date(timeIntervalSince1970: 0)
        return calendar.startOfDay(for: noon)
    }

    /// The same wall-clock time seven days later (a week is not always 604,800 seconds).
    public func sameTimeNextWeek(_ date: Date) -> Date {
        calendar.date(byAdding: .day, value: 7, to: date) ?? date.addingTimeInterval(7 * 86_400)
    }
}
