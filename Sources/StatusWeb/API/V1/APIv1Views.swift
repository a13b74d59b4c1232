import Foundation
import Hummingbird
import StatusModel

/// The JSON shapes of `/api/v1`, built from domain values; keys become snake_case on the way
/// out. openapi.yaml describes each one under components/schemas.
enum APIv1 {
    struct ProductView: ResponseEncodable {
        let slug: String
        let name: String
        let family: String
        let position: Int
        let visibility: String
        /// config or console: only console products can be changed through the API.
        let origin: String
        let condition: String
        let conditionWords: String
        /// Share of the last days without trouble (0...1), on the one-product answer only.
        let uptime: Double?
        let uptimeDays: Int?

        init(_ product: Product, condition: Condition, words: String, uptime: Double? = nil, days: Int? = nil) {
            slug = product.slug
            name = product.name
            family = product.family
            position = product.position
            visibility = product.visibility.rawValue
            origin = product.origin.rawValue
            self.condition = condition.rawValue
            conditionWords = words
            self.uptime = uptime
            uptimeDays = days
        }
    }

    struct DayView: Encodable {
        let day: String
        let state: String
        let icon: String
        let words: String
    }

    struct ProductDaysView: ResponseEncodable {
        let slug: String
        let days: [DayView]
    }

    struct DaysView: ResponseEncodable {
        let days: [String]
        let products: [ProductDaysView]
    }

    struct UpdateView: Encodable {
        let status: String
        let message: String
        let at: String
    }

    struct IncidentView: ResponseEncodable {
        let id: String
        let title: String
        let impact: String
        let status: String
        let origin: String
        let products: [String]
        let startedAt: String
        let resolvedAt: String?
        let updates: [UpdateView]

        /// `shown` keeps only the products the reader may see (nil: all, for operators).
        init(_ incident: Incident, timeZone: TimeZone, shown: Set<String>? = nil) {
            id = incident.id
            title = incident.title
            impact = incident.impact.rawValue
            status = incident.status.rawValue
            origin = incident.origin.rawValue
            products = incident.productSlugs.filter { shown?.contains($0) ?? true }
            startedAt = APIv1JSON.format(incident.startedAt, in: timeZone)
            resolvedAt = incident.resolvedAt.map { APIv1JSON.format($0, in: timeZone) }
            updates = incident.updates.map { UpdateView(status: $0.status.rawValue, message: $0.message, at: APIv1JSON.format($0.at, in: timeZone)) }
        }

        // resolved_at is always present, null while open, so clients need not guess.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(title, forKey: .title)
            try container.encode(impact, forKey: .impact)
            try container.encode(status, forKey: .status)
            try container.encode(origin, forKey: .origin)
            try container.encode(products, forKey: .products)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(resolvedAt, forKey: .resolvedAt)
            try container.encode(updates, forKey: .updates)
        }

        enum CodingKeys: String, CodingKey {
            case id, title, impact, status, origin, products, startedAt, resolvedAt, updates
        }
    }

    struct IncidentList: ResponseEncodable {
        let incidents: [IncidentView]
    }

    struct MaintenanceView: ResponseEncodable {
        let id: String
        let title: String
        let message: String
        let products: [String]
        let start: String
        let end: String
        let repeatsWeekly: Bool
        let status: String

        init(_ window: Maintenance, now: Date, timeZone: TimeZone, shown: Set<String>? = nil) {
            id = window.id
            title = window.title
            message = window.message
            products = window.productSlugs.filter { shown?.contains($0) ?? true }
            start = APIv1JSON.format(window.start, in: timeZone)
            end = APIv1JSON.format(window.end, in: timeZone)
            repeatsWeekly = window.repeatsWeekly
            status = APIv1JSON.word(window.status(at: now).rawValue)
        }
    }

    struct MaintenanceList: ResponseEncodable {
        let maintenance: [MaintenanceView]
    }

    struct ProductList: ResponseEncodable {
        let products: [ProductView]
    }

    /// `GET /api/v1/tenant`: the key's customer account.
    struct TenantView: ResponseEncodable {
        let code: String
        let name: String
        let key: String
    }
}
