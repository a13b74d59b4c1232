import Foundation
import StatusModel

/// The public JSON of Atlassian Statuspage's API v2, so clients and exporters built for it read
/// statusd unchanged: field names, types and nesting as Atlassian documents them. Products are
/// components. Built from domain values; the routes only fetch and encode.
enum StatuspageV2 {
    struct Page: Encodable {
        let id: String
        let name: String
        let url: String
        let time_zone: String
        let updated_at: String
    }

    struct Status: Encodable {
        /// none, minor, major or critical.
        let indicator: String
        let description: String
    }

    struct Component: Encodable {
        let id: String
        let name: String
        /// operational, degraded_performance, partial_outage, major_outage or under_maintenance.
        let status: String
        let created_at: String
        let updated_at: String
        let position: Int
        let description: String?
        let showcase: Bool
        let start_date: String?
        let group_id: String?
        let page_id: String
        let group: Bool
        let only_show_if_degraded: Bool

        enum CodingKeys: String, CodingKey {
            case id, name, status, created_at, updated_at, position, description, showcase, start_date, group_id, page_id, group, only_show_if_degraded
        }

        // Statuspage writes absent values as null rather than leaving the key out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(status, forKey: .status)
            try container.encode(created_at, forKey: .created_at)
            try container.encode(updated_at, forKey: .updated_at)
            try container.encode(position, forKey: .position)
            try container.encodeOrNull(description, forKey: .description)
            try container.encode(showcase, forKey: .showcase)
            try container.encodeOrNull(start_date, forKey: .start_date)
            try container.encodeOrNull(group_id, forKey: .group_id)
            try container.encode(page_id, forKey: .page_id)
            try container.encode(group, forKey: .group)
            try container.encode(only_show_if_degraded, forKey: .only_show_if_degraded)
        }
    }

    struct IncidentUpdate: Encodable {
        let id: String
        let status: String
        let body: String
        let incident_id: String
        let created_at: String
        let updated_at: String
        let display_at: String
        let affected_components: [AffectedComponent]?
        let deliver_notifications: Bool
        let custom_tweet: String?
        let tweet_id: String?

        enum CodingKeys: String, CodingKey {
            case id, status, body, incident_id, created_at, updated_at, display_at, affected_components, deliver_notifications, custom_tweet, tweet_id
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(status, forKey: .status)
            try container.encode(body, forKey: .body)
            try container.encode(incident_id, forKey: .incident_id)
            try container.encode(created_at, forKey: .created_at)
            try container.encode(updated_at, forKey: .updated_at)
            try container.encode(display_at, forKey: .display_at)
            try container.encodeOrNull(affected_components, forKey: .affected_components)
            try container.encode(deliver_notifications, forKey: .deliver_notifications)
            try container.encodeOrNull(custom_tweet, forKey: .custom_tweet)
            try container.encodeOrNull(tweet_id, forKey: .tweet_id)
        }
    }

    struct AffectedComponent: Encodable {
        let code: String
        let name: String
        let old_status: String
        let new_status: String
    }

    struct Incident: Encodable {
        let id: String
        let name: String
        let status: String
        let created_at: String
        let updated_at: String
        let monitoring_at: String?
        let resolved_at: String?
        let impact: String
        let shortlink: String
        let started_at: String
        let page_id: String
        let incident_updates: [IncidentUpdate]
        let components: [Component]
        // Scheduled maintenances only; absent from incidents.
        let scheduled_for: String?
        let scheduled_until: String?

        enum CodingKeys: String, CodingKey {
            case id, name, status, created_at, updated_at, monitoring_at, resolved_at, impact, shortlink, started_at, page_id
            case incident_updates, components, scheduled_for, scheduled_until
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(status, forKey: .status)
            try container.encode(created_at, forKey: .created_at)
            try container.encode(updated_at, forKey: .updated_at)
            try container.encodeOrNull(monitoring_at, forKey: .monitoring_at)
            try container.encodeOrNull(resolved_at, forKey: .resolved_at)
            try container.encode(impact, forKey: .impact)
            try container.encode(shortlink, forKey: .shortlink)
            try container.encode(started_at, forKey: .started_at)
            try container.encode(page_id, forKey: .page_id)
            try container.encode(incident_updates, forKey: .incident_updates)
            try container.encode(components, forKey: .components)
            if let scheduled_for { try container.encode(scheduled_for, forKey: .scheduled_for) }
            if let scheduled_until { try container.encode(scheduled_until, forKey: .scheduled_until) }
        }
    }

    /// What every answer is built from.
    struct Context {
        let pageID: String
        let pageName: String
        let baseURL: String
        let timeZone: TimeZone
        let now: Date
        /// The products the reader sees, and only those: every answer is built from them.
        let products: [Product]
        let conditions: [String: Condition]
        let stateChangedAt: Date
        var audience: ProductAudience = .anonymous

        /// An incident shows when it touches a product the reader sees, with those products only.
        func shows(_ incident: StatusModel.Incident) -> Bool {
            products.contains { incident.productSlugs.contains($0.slug) }
        }

        func shows(_ window: StatusModel.Maintenance) -> Bool {
            products.contains { window.productSlugs.contains($0.slug) }
        }

        var page: Page {
            Page(id: pageID, name: pageName, url: baseURL, time_zone: timeZone.identifier, updated_at: timestamp(stateChangedAt))
        }

        func timestamp(_ date: Date) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            formatter.timeZone = timeZone
            return formatter.string(from: date)
        }

        var components: [Component] {
            products.map(component)
        }

        func component(_ product: Product) -> Component {
            Component(id: product.slug, name: product.name, status: Self.componentStatus(conditions[product.slug] ?? .operational),
                      created_at: timestamp(product.monitoredSince), updated_at: timestamp(stateChangedAt), position: product.position,
                      description: nil, showcase: true, start_date: nil, group_id: nil, page_id: pageID, group: false,
                      only_show_if_degraded: false)
        }

        static func componentStatus(_ condition: Condition) -> String {
            switch condition {
            case .operational: "operational"
            case .degraded: "degraded_performance"
            case .outage: "major_outage"
            case .maintenance: "under_maintenance"
            }
        }

        /// The page's indicator and its words: the worst of the components and of the open incidents.
        func status(unresolved: [StatusModel.Incident]) -> Status {
            let worst = components.map(\.status)
            if unresolved.contains(where: { $0.impact == .critical }) { return Status(indicator: "critical", description: "Major System Outage") }
            if worst.contains("major_outage") { return Status(indicator: "major", description: "Partial System Outage") }
            if worst.contains("degraded_performance") || worst.contains("partial_outage") || !unresolved.isEmpty {
                return Status(indicator: "minor", description: "Minor Service Outage")
            }
            if worst.contains("under_maintenance") { return Status(indicator: "none", description: "Service Under Maintenance") }
            return Status(indicator: "none", description: "All Systems Operational")
        }

        func incident(_ incident: StatusModel.Incident) -> Incident {
            let status = incident.resolvedAt != nil ? "resolved" : (incident.updates.last?.status.rawValue ?? "investigating")
            let updated = incident.updates.last?.at ?? incident.startedAt
            let affected = products.filter { incident.productSlugs.contains($0.slug) }
            return Incident(
                id: incident.id, name: incident.title, status: status, created_at: timestamp(incident.startedAt),
                updated_at: timestamp(max(updated, incident.resolvedAt ?? updated)),
                monitoring_at: incident.updates.first { $0.status == .monitoring }.map { timestamp($0.at) },
                resolved_at: incident.resolvedAt.map(timestamp), impact: incident.impact.rawValue,
                shortlink: "\(baseURL)/incidents/\(incident.id)", started_at: timestamp(incident.startedAt), page_id: pageID,
                incident_updates: incident.updates.enumerated().reversed().map { index, update in
                    IncidentUpdate(id: "\(incident.id)-\(index + 1)", status: update.status.rawValue, body: update.message,
                                   incident_id: incident.id, created_at: timestamp(update.at), updated_at: timestamp(update.at),
                                   display_at: timestamp(update.at), affected_components: nil, deliver_notifications: true,
                                   custom_tweet: nil, tweet_id: nil)
                },
                components: affected.map(component), scheduled_for: nil, scheduled_until: nil)
        }

        func maintenance(_ window: StatusModel.Maintenance) -> Incident {
            let status: String = switch window.status(at: now) {
            case .scheduled: "scheduled"
            case .inProgress: "in_progress"
            case .completed: "completed"
            }
            let affected = products.filter { window.productSlugs.contains($0.slug) }
            return Incident(
                id: window.id, name: window.title, status: status, created_at: timestamp(window.start), updated_at: timestamp(min(now, window.end)),
                monitoring_at: nil, resolved_at: status == "completed" ? timestamp(window.end) : nil, impact: "maintenance",
                shortlink: "\(baseURL)/maintenances/\(window.id)", started_at: timestamp(window.start), page_id: pageID,
                incident_updates: [IncidentUpdate(id: "\(window.id)-1", status: status, body: window.message, incident_id: window.id,
                                                  created_at: timestamp(window.start), updated_at: timestamp(window.start),
                                                  display_at: timestamp(window.start), affected_components: nil,
                                                  deliver_notifications: true, custom_tweet: nil, tweet_id: nil)],
                components: affected.map(component), scheduled_for: timestamp(window.start), scheduled_until: timestamp(window.end))
        }
    }
}

extension KeyedEncodingContainer {
    /// Writes `null` for nil, as Statuspage does, instead of leaving the key out.
    mutating func encodeOrNull<Value: Encodable>(_ value: Value?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
