/// A product's state at one moment.
public enum Condition: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case operational, maintenance, degraded, outage

    /// How bad a condition is, to pick the worst of several at one moment.
    var severity: Int {
        switch self {
        case .operational: 0
        case .maintenance: 1
        case .degraded: 2
        case .outage: 3
        }
    }

    public static func < (lhs: Condition, rhs: Condition) -> Bool { lhs.severity < rhs.severity }
}
