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

    public init(id: String, title: String, message: String = "", productSlugs: [String], start: Date, end: Date) {
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

    /// The episodes the window puts on each affected product.
    public var episodes: [Episode] {
        productSlugs.map {
            Episode(productSlug: $0, condition: .maintenance, cause: .maintenance, source: id, start: start, end: end)
        }
    }
}
