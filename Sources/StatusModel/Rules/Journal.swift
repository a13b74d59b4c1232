import Foundation

/// Which events an incident's change makes: pure, so the rule is tested without a database.
public enum IncidentJournal {
    /// A new incident is announced once, as created; each step added to its timeline since
    /// `before` is announced as an update, or as the resolution. An edit that adds no step
    /// (a corrected title) announces nothing.
    public static func events(from before: Incident?, to after: Incident) -> [StatusEvent] {
        let probes = after.origin == .probes
        guard let before else {
            let first = after.updates.first
            var created = event(probes ? .outageConfirmed : .incidentCreated, after, first, at: first?.at ?? after.startedAt)
            created.probeReason = after.probeReason
            return [created]
        }
        return after.updates.dropFirst(before.updates.count).map { update in
            let kind: StatusEvent.Kind = update.status == .resolved ? (probes ? .recoveryConfirmed : .incidentResolved) : .incidentUpdated
            return event(kind, after, update, at: update.at)
        }
    }

    private static func event(_ kind: StatusEvent.Kind, _ incident: Incident, _ update: Incident.Update?, at: Date) -> StatusEvent {
        StatusEvent(kind: kind, subjectID: incident.id, productSlugs: incident.productSlugs.sorted(), at: at, title: incident.title,
                    message: update?.message ?? "", status: (update?.status ?? .investigating).rawValue)
    }
}

/// The events of a maintenance window's life.
public enum MaintenanceJournal {
    public static func event(_ kind: StatusEvent.Kind, of window: Maintenance, at: Date) -> StatusEvent {
        let status = switch kind {
        case .maintenanceStarted: Maintenance.Status.inProgress.rawValue
        case .maintenanceCompleted: Maintenance.Status.completed.rawValue
        case .maintenanceCancelled: "cancelled"
        default: Maintenance.Status.scheduled.rawValue
        }
        return StatusEvent(kind: kind, subjectID: window.id, productSlugs: window.productSlugs.sorted(), at: at, title: window.title,
                           message: window.message, status: status, windowStart: window.start, windowEnd: window.end)
    }
}

/// Ids for incidents and windows made in statusd: short, random, safe in URLs.
public enum IncidentID {
    public static func make() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }
}
