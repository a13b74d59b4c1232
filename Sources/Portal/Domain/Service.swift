import Foundation

/// An entry of the portal's service catalog ("Accès au portail", "Cegid Stream"), in a family
/// ("Services en ligne", "Préférence"). Operators manage it; a retired service takes no new requests.
public struct Service: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var name: String
    public var family: String
    public var description: String
    /// False once an operator retired it: hidden from the catalog, existing subscriptions kept.
    public var isActive: Bool
    /// True when a tenant administrator decides each request; false accepts a request at once
    /// (the seed's services marked "Disponible").
    public var needsValidation: Bool
    /// The status products an accepted subscription opens, by slug, sorted.
    public var productSlugs: [String]

    public init(id: Int64 = 0, name: String, family: String, description: String = "", isActive: Bool = true,
                needsValidation: Bool = true, productSlugs: [String] = []) {
        self.id = id
        self.name = name
        self.family = family
        self.description = description
        self.isActive = isActive
        self.needsValidation = needsValidation
        self.productSlugs = Array(Set(productSlugs)).sorted()
    }
}

/// A tenant user's access to a service, requested by the user and decided by the tenant's administrators.
public struct ServiceSubscription: Sendable, Hashable, Identifiable {
    /// Where a request stands: pending until an administrator accepts or refuses it; an accepted
    /// one can be suspended and reactivated.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case pending, accepted, refused, suspended

        /// While pending or accepted the user cannot ask again for the same service; nor while
        /// suspended, so a new request never goes around an administrator's suspension.
        public var blocksNewRequest: Bool { self != .refused }

        /// The user may give it up while it is pending or accepted (see `CannotGiveUp`).
        public var canBeGivenUp: Bool { self == .pending || self == .accepted }
    }

    public var id: Int64
    public var tenantID: Int64
    public var userID: Int64
    public var serviceID: Int64
    public var state: State
    /// Why an administrator refused it (optional, shown to the requester).
    public var reason: String
    public var requestedAt: Date
    /// When the state last changed by an administrator's decision.
    public var decidedAt: Date?

    public init(id: Int64 = 0, tenantID: Int64, userID: Int64, serviceID: Int64, state: State = .pending, reason: String = "",
                requestedAt: Date, decidedAt: Date? = nil) {
        self.id = id
        self.tenantID = tenantID
        self.userID = userID
        self.serviceID = serviceID
        self.state = state
        self.reason = reason
        self.requestedAt = requestedAt
        self.decidedAt = decidedAt
    }
}

/// What a tenant administrator may do with a subscription, and the one state change each makes.
public enum ServiceDecision: String, Sendable, Hashable, CaseIterable {
    case accept, refuse, suspend, reactivate

    /// The state a subscription must be in for this decision.
    public var from: ServiceSubscription.State {
        switch self {
        case .accept, .refuse: .pending
        case .suspend: .accepted
        case .reactivate: .suspended
        }
    }

    /// The state it leaves the subscription in.
    public var to: ServiceSubscription.State {
        switch self {
        case .accept, .reactivate: .accepted
        case .refuse: .refused
        case .suspend: .suspended
        }
    }

    /// The decisions open from `state`, in the order a page offers them.
    public static func available(from state: ServiceSubscription.State) -> [ServiceDecision] {
        allCases.filter { $0.from == state }
    }
}

/// A subscription with its service and requester, as the administrators' list shows it (read-only).
public struct ServiceRequest: Sendable, Hashable, Identifiable {
    public var subscription: ServiceSubscription
    public var service: Service
    public var requester: User

    public var id: Int64 { subscription.id }

    public init(subscription: ServiceSubscription, service: Service, requester: User) {
        self.subscription = subscription
        self.service = service
        self.requester = requester
    }
}

/// What the tenant administration dashboard counts about services.
public struct ServiceCounts: Sendable, Hashable {
    /// Services the tenant has at least one accepted subscription to.
    public var services: Int
    /// Requests of the tenant's users still waiting for a decision.
    public var pendingRequests: Int

    public init(services: Int, pendingRequests: Int) {
        self.services = services
        self.pendingRequests = pendingRequests
    }
}

/// The action is not the caller's to take (a customer on the catalog's administration, a member
/// deciding on a request): answered 403, nothing changed.
public struct NotAllowed: Error, Sendable, Hashable {
    public init() {}
}

/// The subscription is no longer in the state the decision needs (another administrator decided
/// first, or the form is stale): nothing changed.
public struct SubscriptionStateChanged: Error, Sendable, Hashable {
    public let current: ServiceSubscription.State
    public init(current: ServiceSubscription.State) { self.current = current }
}

/// No such service, or a retired one asked for: answered as if it did not exist.
public struct UnknownService: Error, Sendable, Hashable {
    public init() {}
}

/// The subscription cannot be given up from where it stands: a refused one is history, and a
/// suspended one stays until an administrator lifts it (giving it up and asking again would
/// go around the suspension of a service that needs no validation). Nothing changed.
public struct CannotGiveUp: Error, Sendable, Hashable {
    public let current: ServiceSubscription.State
    public init(current: ServiceSubscription.State) { self.current = current }
}

/// The user already has a pending, accepted or suspended subscription to this service in this
/// tenant: nothing new is recorded.
public struct DuplicateServiceRequest: Error, Sendable, Hashable {
    public init() {}
}
