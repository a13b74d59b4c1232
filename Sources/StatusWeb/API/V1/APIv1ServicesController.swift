import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The service catalog and the tenant's subscriptions, for a customer account's API key:
/// `GET /api/v1/services`, `/api/v1/service-subscriptions` (filter `?state=`) and
/// `/api/v1/service-requests` (those waiting for a decision). Every read goes through the
/// key's own tenant, so another tenant's key never sees them.
struct APIv1ServicesController: Sendable {
    let services: ServiceCatalog
    /// The status products, to name only those the key's audience sees among a service's.
    let products: @Sendable () async throws -> [Product]
    let calendar: DayCalendar

    func addRoutes(to routes: SiteRoutes) {
        let keys = routes.api(.tenantKey)
        keys.get("services") { _, context in
            let visible = context.audience.visibleSlugs(try await products())
            return APIv1.ServiceList(services: try await services.activeServices().map { APIv1.ServiceView($0, visible: visible) })
        }
        keys.get("service-subscriptions") { request, context in
            let state = try Self.state(request)
            return try await list(context, state: state)
        }
        keys.get("service-requests") { request, context in
            // The requests view: what still waits for an administrator, unless asked otherwise.
            let state = try Self.state(request) ?? .pending
            return try await list(context, state: state)
        }
    }

    private func list(_ context: StatusRequestContext, state: ServiceSubscription.State?) async throws -> APIv1.ServiceSubscriptionList {
        guard case .tenantKey(let key) = context.identity else { throw APIError.tenantKeyRequired }
        let all = try await services.subscriptions(ofTenant: key.tenantID)
        return APIv1.ServiceSubscriptionList(subscriptions: all.filter { state == nil || $0.subscription.state == state }
            .map { APIv1.ServiceSubscriptionView($0, timeZone: calendar.timeZone) })
    }

    /// `?state=`: one of the four states, or absent; anything else is a 400 naming them.
    static func state(_ request: Request) throws -> ServiceSubscription.State? {
        guard let text = request.uri.queryParameters.get("state") else { return nil }
        guard let state = ServiceSubscription.State(rawValue: String(text)) else {
            throw APIError.badParameter("state", "state is pending, accepted, refused or suspended.")
        }
        return state
    }
}

extension APIv1 {
    struct ServiceView: ResponseEncodable {
        let id: String
        let name: String
        let family: String
        let description: String
        let needsValidation: Bool
        /// The slugs of the products it covers that the key's audience sees.
        let products: [String]

        init(_ service: Service, visible: Set<String>) {
            id = String(service.id)
            name = service.name
            family = service.family
            description = service.description
            needsValidation = service.needsValidation
            products = service.productSlugs.filter(visible.contains)
        }
    }

    struct ServiceList: ResponseEncodable {
        let services: [ServiceView]
    }

    struct ServiceSubscriptionView: ResponseEncodable {
        struct ServiceRef: Encodable {
            let id: String
            let name: String
            let family: String
        }

        let id: String
        let service: ServiceRef
        let userEmail: String
        let state: String
        let reason: String
        let requestedAt: String
        let decidedAt: String?

        init(_ request: ServiceRequest, timeZone: TimeZone) {
            id = String(request.id)
            service = ServiceRef(id: String(request.service.id), name: request.service.name, family: request.service.family)
            userEmail = request.requester.email
            state = request.subscription.state.rawValue
            reason = request.subscription.reason
            requestedAt = APIv1JSON.format(request.subscription.requestedAt, in: timeZone)
            decidedAt = request.subscription.decidedAt.map { APIv1JSON.format($0, in: timeZone) }
        }
    }

    struct ServiceSubscriptionList: ResponseEncodable {
        let subscriptions: [ServiceSubscriptionView]
    }
}
