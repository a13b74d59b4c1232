import Foundation
import StatusModel

/// Instants and days in Europe/Paris, the default deployment time zone.
enum Paris {
    static let timeZone = TimeZone(identifier: "Europe/Paris")!
    static let calendar = DayCalendar(timeZone: timeZone)

    /// The instant a Paris wall clock shows at that date and time.
    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = timeZone
        return gregorian.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    static func day(_ year: Int, _ month: Int, _ day: Int) -> LocalDay {
        LocalDay(year: year, month: month, day: day)
    }

    static func interval(of day: LocalDay) -> DateInterval {
        calendar.interval(of: day)
    }
}

func episode(
    _ condition: Condition, _ cause: Episode.Cause, from start: Date, to end: Date?,
    product: String = "loop", source: String = "loop/http"
) -> Episode {
    Episode(productSlug: product, condition: condition, cause: cause, source: source, start: start, end: end)
}

func isClose(_ value: Double?, to expected: Double, tolerance: Double = 1e-9) -> Bool {
    guard let value else { return false }
    return abs(value - expected) < tolerance
}

func hours(_ count: Double) -> Double { count * 3600 }
