import Foundation

/// Something going wrong on some products, declared by an operator or opened by probes.
public struct Incident: Sendable, Hashable, Codable, Identifiable {
    /// How badly the incident hurts the affected products.
    public enum Impact: String, Sendable, Hashable, Codable, CaseIterable {
        case none, minor, major, critical

        /// The condition the impact puts the affected products in; nil when it changes nothing.
        public var condition: Condition? {
            switch self {
            case .none: nil
            case .minor: .degraded
            case .major, .critical: .outage
            }
        }
    }

    /// A step of an incident's timeline.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case investigating, identified, monitoring, resolved
    }

    /// One entry of the timeline: what operators said, and when.
    public struct Update: Sendable, Hashable, Codable {
        public var status: Status
        public var message: String
        public var at: Date

        public init(status: Status, message: String, at: Date) {
            self.status = status
            self.message = message
            self.at = at
        }
    }

    /// Who opened it: an operator, or the probes when they confirmed an outage.
    public enum Origin: String, Sendable, Hashable, Codable, CaseIterable {
        case `operator`, probes
    }

    public var id: String
    public var title: String
    public var impact: Impact
    public var origin: Origin
    /// When probes open it: the failure's code, journalled with the outage (not stored with the incident).
    public var probeReason: String?
    public var productSlugs: [String]
    public var startedAt: Date
    public var resolvedAt: Date?
    public var updates: [Update]

    public init(
        id: String, title: String, impact: Impact, productSlugs: [String],
        startedAt: Date, resolvedAt: Date? = nil, updates: [Update] = [], origin: Origin = .operator
    ) {
        self.origin = origin
        self.id = id
        self.title = title
        self.impact = impact
        self.productSlugs = productSlugs
        self.startedAt = startedAt
        self.resolvedAt = resolvedAt
        self.updates = updates
    }

    public var isResolved: Bool { resolvedAt != nil }

    /// Where the timeline stands: its last update's status.
    public var status: Status { updates.last?.status ?? (isResolved ? .resolved : .investigating) }

    /// Adds a step to the timeline. A `resolved` step resolves the incident at its time; any
    /// other step after a resolution opens it again.
    public mutating func post(_ update: Update) {
        updates.append(update)
        resolvedAt = update.status == .resolved ? update.at : nil
    }

    /// The episodes the incident puts on each affected product.
    public var episodes: [Episode] {
        guard let condition = impact.condition else { return [] }
        return productSlugs.map {
            Episode(productSlug: $0, condition: condition, cause: .incident, source: id, start: startedAt, end: resolvedAt)
        }
    }
}
