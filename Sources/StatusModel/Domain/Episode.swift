import Foundation

/// A span of time during which a product was not operational, with its cause.
public struct Episode: Sendable, Hashable, Codable {
    /// Where the episode comes from; decides how maintenance masks it.
    public enum Cause: String, Sendable, Hashable, Codable, CaseIterable {
        case probe, incident, maintenance
    }

    public var productSlug: String
    public var condition: Condition
    public var cause: Cause
    /// What the episode is about: a check id, an incident id or a maintenance id.
    public var source: String
    public var start: Date
    /// Nil while the episode goes on.
    public var end: Date?

    public init(productSlug: String, condition: Condition, cause: Cause, source: String, start: Date, end: Date? = nil) {
        self.productSlug = productSlug
        self.condition = condition
        self.cause = cause
        self.source = source
        self.start = start
        self.end = end
    }

    /// The span the episode covers, an ongoing one counted up to `now`.
    public func interval(now: Date) -> DateInterval? {
        let until = end ?? now
        guard until > start else { return nil }
        return DateInterval(start: start, end: until)
    }
}
