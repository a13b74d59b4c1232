import Foundation

/// A scheduled window of work on some products.
public struct Maintenance: Sendable, Hashable, Codable, Identifiable {
    /// Where the window stands at a given moment.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case scheduled, inProgress, completed
    }

    public var id: String
    public var title: String
    public var message: String
    public var productSlugs: [String]
    public var start: Date
    public var end: Date
    /// A weekly window: when one completes, the same window a week later is scheduled.
    public var repeatsWeekly: Bool

    public init(id: String, title: String, message: String = "", productSlugs: [String], start: Date, end: Date,
                repeatsWeekly: Bool = false) {
        self.repeatsWeekly = repeatsWeekly
        self.id = id
        self.title = title
        self.message = message
        self.productSlugs = productSlugs
        self.start = start
        self.end = end
    }

    public func status(at now: Date) -> Status {
        if now < start { return .scheduled }
        if now < end { return .inProgress }
        return .completed
    }

    /// The same window a week later, for a weekly one, in the deployment's time zone: a window
    /// at 22:00 stays at 22:00 across a change of daylight saving time.
    public func nextOccurrence(id: String, calendar: DayCalendar) -> Maintenance? {
        guard repeatsWeekly else { return nil }
        var next = self
        next.id = id
        next.start = calendar.sameTimeNextWeek(start)
        next.end = calendar.sameTimeNextWeek(end)
        return next
    }

    /// The episodes the window puts on each affected product.
    public var episodes: [Episode] {
        productSlugs.map {
            Episode(productSlug: $0, condition: .maintenance, cause: .maintenance, source: id, start: start, end: end)
        }
    }
}
