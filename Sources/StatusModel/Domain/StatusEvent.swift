import Foundation

/// Something subscribers hear about: a step of an incident or of a maintenance window. The
/// store journals one in the same transaction as the change it tells of, so an announcement
/// exists if and only if the change happened, and Notify turns each into mail exactly once.
public struct StatusEvent: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case incidentCreated, incidentUpdated, incidentResolved
        /// An incident opened by probes when they confirmed an outage, and its resolution when they confirmed the recovery.
        case outageConfirmed, recoveryConfirmed
        case maintenanceScheduled, maintenanceStarted, maintenanceCompleted
        /// A window called off before it ended: subscribers told it was coming hear it is not.
        case maintenanceCancelled
        /// A window announced before whose start or end changed.
        case maintenanceRescheduled

        public var isMaintenance: Bool {
            switch self {
            case .maintenanceScheduled, .maintenanceStarted, .maintenanceCompleted, .maintenanceCancelled, .maintenanceRescheduled: true
            default: false
            }
        }
    }

    /// Increasing in journal order: readers keep the last one they handled.
    public var id: Int64
    public var kind: Kind
    /// The incident's or the maintenance window's id.
    public var subjectID: String
    public var productSlugs: [String]
    public var at: Date
    /// The title and message as they were when it happened: a later edit does not rewrite what was sent.
    public var title: String
    public var message: String
    /// The incident's status word (investigating...) or the window's (scheduled...).
    public var status: String
    /// For a maintenance window: its start and end.
    public var windowStart: Date?
    public var windowEnd: Date?
    /// For an outage the probes confirmed: the failure's code (`ProbeFailure`), so each
    /// follower reads the reason in their own language rather than in the stored title's.
    public var probeReason: String?

    public init(id: Int64 = 0, kind: Kind, subjectID: String, productSlugs: [String], at: Date, title: String,
                message: String, status: String, windowStart: Date? = nil, windowEnd: Date? = nil, probeReason: String? = nil) {
        self.probeReason = probeReason
        self.id = id
        self.kind = kind
        self.subjectID = subjectID
        self.productSlugs = productSlugs
        self.at = at
        self.title = title
        self.message = message
        self.status = status
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }
}
