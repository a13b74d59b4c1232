import Foundation

/// A tenant user's own side of the catalog: asking for services (one or several at once),
/// giving one up, and the list of their subscriptions with their services.
extension ServiceCatalog {
    /// "Demander l'accès": a request of `user` in `tenantID` for an active service, pending when
    /// the service needs a tenant administrator's validation, accepted at once otherwise.
    public func request(serviceID: Int64, by user: User, tenantID: Int64) async throws -> ServiceSubscription {
        _ = try await role(of: user, in: tenantID)
        guard let service = try await store.service(id: serviceID), service.isActive else { throw UnknownService() }
        guard let created = try await store.requestSubscription(newSubscription(to: service, by: user, tenantID: tenantID)) else {
            throw DuplicateServiceRequest()
        }
        await record(created, of: service, by: user)
        await announce(created, requester: user)  // the administrators who asked for a mail per pending request
        return created
    }

    /// "Ajouter" in the catalog: requests for several services in one transaction, each as
    /// `request(serviceID:by:tenantID:)`. Services the user already holds, and ids that name no
    /// active service (retired while the catalog was open), are skipped: the answer is what
    /// was recorded, in the order of `serviceIDs`, so the page can say how many.
    public func request(serviceIDs: [Int64], by user: User, tenantID: Int64) async throws -> [ServiceSubscription] {
        _ = try await role(of: user, in: tenantID)
        let active = Dictionary(try await store.services().filter(\.isActive).map { ($0.id, $0) }) { first, _ in first }
        var seen = Set<Int64>()
        let asked = serviceIDs.filter { seen.insert($0).inserted }.compactMap { active[$0] }
        guard !asked.isEmpty else { return [] }
        let now = clock()
        let created = try await store.requestSubscriptions(asked.map { newSubscription(to: $0, by: user, tenantID: tenantID, at: now) })
        for subscription in created {
            if let service = active[subscription.serviceID] { await record(subscription, of: service, by: user) }
            await announce(subscription, requester: user)
        }
        return created
    }

    /// "Abandonner": the user ends their own pending or accepted subscription; it is removed and
    /// the trail keeps the fact. Another user's or tenant's subscription is `NotInTenant`; a
    /// refused or suspended one is `CannotGiveUp` (nothing changed either way).
    @discardableResult
    public func giveUp(subscriptionID: Int64, by user: User, tenantID: Int64) async throws -> ServiceSubscription {
        _ = try await role(of: user, in: tenantID)
        let mine = try await store.subscriptions(userID: user.id, tenantID: tenantID)
        guard let held = mine.first(where: { $0.id == subscriptionID }) else { throw NotInTenant() }
        guard held.state.canBeGivenUp else { throw CannotGiveUp(current: held.state) }
        let allowed = Set(ServiceSubscription.State.allCases.filter(\.canBeGivenUp))
        guard let ended = try await store.giveUp(id: subscriptionID, userID: user.id, tenantID: tenantID, states: allowed) else {
            // Decided meanwhile (suspended, refused) or already given up in another tab.
            let current = try await store.subscriptions(userID: user.id, tenantID: tenantID).first { $0.id == subscriptionID }
            guard let current else { throw NotInTenant() }
            throw CannotGiveUp(current: current.state)
        }
        let name = try await store.service(id: ended.serviceID)?.name ?? ""
        await activity?.record(userID: user.id, tenantID: tenantID, .serviceGivenUp, subject: name, link: ServiceMails.tabPath)
        return ended
    }

    /// One of the user's subscriptions with its service, as the profile's Services tab lists it.
    public struct Held: Sendable, Hashable, Identifiable {
        public var subscription: ServiceSubscription
        public var service: Service
        public var id: Int64 { subscription.id }
    }

    /// The user's subscriptions in the tenant with their services, newest first.
    public func held(by user: User, tenantID: Int64) async throws -> [Held] {
        let mine = try await subscriptions(of: user, tenantID: tenantID)
        let services = Dictionary(try await store.services().map { ($0.id, $0) }) { first, _ in first }
        return mine.compactMap { subscription in services[subscription.serviceID].map { Held(subscription: subscription, service: $0) } }
    }

    private func newSubscription(to service: Service, by user: User, tenantID: Int64, at now: Date? = nil) -> ServiceSubscription {
        let now = now ?? clock()
        return service.needsValidation
            ? ServiceSubscription(tenantID: tenantID, userID: user.id, serviceID: service.id, requestedAt: now)
            : ServiceSubscription(tenantID: tenantID, userID: user.id, serviceID: service.id, state: .accepted, requestedAt: now, decidedAt: now)
    }

    /// The trail of a request: asked, and accepted at once when the service needs no validation.
    private func record(_ subscription: ServiceSubscription, of service: Service, by user: User) async {
        await activity?.record(userID: user.id, tenantID: subscription.tenantID, .serviceRequested, subject: service.name, link: ServiceMails.tabPath)
        if subscription.state == .accepted {
            await activity?.record(userID: user.id, tenantID: subscription.tenantID, .serviceAccepted, subject: service.name,
                                   link: ServiceMails.tabPath)
        }
    }
}

extension ServiceDecision {
    /// The line a decision writes in the requester's trail.
    var activityKind: ActivityEntry.Kind {
        switch self {
        case .accept: .serviceAccepted
        case .refuse: .serviceRefused
        case .suspend: .serviceSuspended
        case .reactivate: .serviceReactivated
        }
    }
}

extension ServiceCatalog {
    /// The subscriptions of `tenantID`'s users, pending first then newest, for the tenant's
    /// own API key: the key is the caller's authority, and it names its tenant.
    public func subscriptions(ofTenant tenantID: Int64) async throws -> [ServiceRequest] {
        try await store.requests(tenantID: tenantID)
    }
}
