import Foundation
import StatusModel

/// The JSON a webhook subscriber receives for one status event: stable names in snake_case,
/// times in ISO 8601 UTC, the products with their names and pages.
enum WebhookPayload {
    static func eventName(_ kind: StatusEvent.Kind) -> String {
        switch kind {
        case .incidentCreated: "incident.created"
        case .incidentUpdated: "incident.updated"
        case .incidentResolved: "incident.resolved"
        case .outageConfirmed: "outage.confirmed"
        case .recoveryConfirmed: "recovery.confirmed"
        case .maintenanceScheduled: "maintenance.scheduled"
        case .maintenanceStarted: "maintenance.started"
        case .maintenanceCompleted: "maintenance.completed"
        case .maintenanceCancelled: "maintenance.cancelled"
        case .maintenanceRescheduled: "maintenance.rescheduled"
        }
    }

    private struct Body: Encodable {
        struct ProductRef: Encodable {
            let slug: String
            let name: String
            let url: String
        }

        let event: String
        let id: String
        let subjectId: String
        let title: String
        let status: String
        let message: String
        let at: String
        let windowStart: String?
        let windowEnd: String?
        let products: [ProductRef]
    }

    static func body(_ event: StatusEvent, productSlugs: [String], names: [String: String], baseURL: String) -> String {
        let iso = ISO8601DateFormatter()
        let body = Body(event: eventName(event.kind), id: String(event.id), subjectId: event.subjectID, title: event.title, status: event.status,
                        message: event.message, at: iso.string(from: event.at), windowStart: event.windowStart.map(iso.string(from:)),
                        windowEnd: event.windowEnd.map(iso.string(from:)),
                        products: productSlugs.map { .init(slug: $0, name: names[$0] ?? $0, url: "\(baseURL)/products/\($0)") })
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(body)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
