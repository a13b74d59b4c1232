import Foundation

/// One execution of a check. A failed probe is data, not an error.
public struct CheckResult: Sendable, Hashable, Codable {
    /// What one execution saw.
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        case up, degraded, down
    }

    public var checkID: String
    public var productSlug: String
    public var time: Date
    public var region: String
    public var outcome: Outcome
    /// Total duration of the probe, in milliseconds; nil when it never connected.
    public var durationMilliseconds: Double?
    /// A sentence a person understands ("statut 503, attendu 200"); nil when up.
    public var reason: String?

    public init(
        checkID: String, productSlug: String, time: Date, region: String = "default",
        outcome: Outcome, durationMilliseconds: Double? = nil, reason: String? = nil
    ) {
        self.checkID = checkID
        self.productSlug = productSlug
        self.time = time
        self.region = region
        self.outcome = outcome
        self.durationMilliseconds = durationMilliseconds
        self.reason = reason
    }
}
