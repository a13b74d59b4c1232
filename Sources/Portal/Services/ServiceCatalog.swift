import Foundation
import Notify
import StatusModel

/// The rules of the service catalog: operators manage the services; a tenant's users request
/// subscriptions; the tenant's administrators accept or refuse them, suspend and reactivate
/// them. Pages call these; every tenant read goes through the caller's tenant.
public struct ServiceCatalog: Sendable {
    let store: any ServiceStore
    let accounts: any AccountStore
    let mails: ServiceMails
    let clock: @Sendable () -> Date

    /// The longest name or family, and the longest description or refusal reason, accepted.
    public static var maxNameLength: Int { 120 }
    public static var maxTextLength: Int { 2000 }
    public static var maxReasonLength: Int { 500 }

    public init(store: any ServiceStore, accounts: any AccountStore, baseURL: String, siteName: StatusConfig.Branding.Text = StatusConfig.Branding.defaultName,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.accounts = accounts
        self.mails = ServiceMails(baseURL: baseURL, siteName: siteName)
        self.clock = clock
    }

    // MARK: The catalog (operators)

    /// What the operators' service form sends.
    public struct ServiceForm: Sendable, Hashable {
        public var name: String
        public var family: String
        public var description: String

        public init(name: String, family: String, description: String) {
            self.name = name
            self.family = family
            self.description = description
        }
    }

    /// The services a tenant's users may request, by family then name.
    public func activeServices() async throws -> [Service] {
        try await store.services().filter(\.isActive)
    }

    /// Every service, retired ones included (operators only).
    public func allServices(by actor: User) async throws -> [Service] {
        try requireOperator(actor)
        return try await store.services()
    }

    /// One service for the operators' edit form; `UnknownService` when there is none.
    public func service(id: Int64, by actor: User) async throws -> Service {
        try requireOperator(actor)
        guard let service = try await store.service(id: id) else { throw UnknownService() }
        return service
    }

    public func createService(_ form: ServiceForm, by actor: User) async throws -> Service {
        try requireOperator(actor)
        let checked = try await validate(form, excluding: nil)
        return try await store.createService(Service(name: checked.name, family: checked.family, description: checked.description))
    }

    public func updateService(id: Int64, _ form: ServiceForm, by actor: User) async throws -> Service {
        var service = try await service(id: id, by: actor)
        let checked = try await validate(form, excluding: id)
        service.name = checked.name
        service.family = checked.family
        service.description = checked.description
        guard try await store.updateService(service) else { throw UnknownService() }
        return service
    }

    /// Retires a service (no new requests; subscriptions stay as they are) or puts it back.
    public func setActive(id: Int64, _ active: Bool, by actor: User) async throws -> Service {
        var service = try await service(id: id, by: actor)
        service.isActive = active
        guard try await store.updateService(service) else { throw UnknownService() }
        return service
    }

    private func validate(_ form: ServiceForm, excluding id: Int64?) async throws -> ServiceForm {
        let checked = ServiceForm(name: form.name.trimmingCharacters(in: .whitespacesAndNewlines),
                                  family: form.family.trimmingCharacters(in: .whitespacesAndNewlines),
                                  description: form.description.trimmingCharacters(in: .whitespacesAndNewlines))
        var errors = FormErrors()
        if checked.name.isEmpty { errors.add("name", "error_required") }
        if checked.name.count > Self.maxNameLength { errors.add("name", "service_error_too_long") }
        if checked.family.isEmpty { errors.add("family", "error_required") }
        if checked.family.count > Self.maxNameLength { errors.add("family", "service_error_too_long") }
        if checked.description.count > Self.maxTextLength { errors.add("description", "service_error_too_long") }
        if errors.isEmpty, let other = try await store.service(named: checked.name), other.id != id {
            errors.add("name", "service_name_taken")
        }
        guard errors.isEmpty else { throw errors }
        return checked
    }

    private func requireOperator(_ actor: User) throws {
        guard actor.staffRole == .operator_ else { throw NotAllowed() }
    }

    // MARK: Products (what services open)

    /// The products `tenantID`'s accepted services cover, and those of `userID`'s own (nil
    /// for the tenant's API key). Read once per request by the web layer's audience.
    public func productAccess(tenantID: Int64, userID: Int64?) async throws -> ProductAccess {
        try await store.productAccess(tenantID: tenantID, userID: userID)
    }

    // MARK: Subscriptions (a tenant's users)

    /// "Demander l'accès": a pending request of `user` in `tenantID` for an active service.
    public func request(serviceID: Int64, by user: User, tenantID: Int64) async throws -> ServiceSubscription {
        _ = try await role(of: user, in: tenantID)
        guard let service = try await store.service(id: serviceID), service.isActive else { throw UnknownService() }
        let subscription = ServiceSubscription(tenantID: tenantID, userID: user.id, serviceID: service.id, requestedAt: clock())
        guard let created = try await store.requestSubscription(subscription) else { throw DuplicateServiceRequest() }
        await announce(created, requester: user)  // ADMIN: the administrators' opt-in mail (ServiceCatalog+Grants.swift)
        return created
    }

    /// One line of the catalog as a tenant's user sees it: the service and the user's latest
    /// subscription to it, if any.
    public struct Entry: Sendable, Hashable {
        public var service: Service
        public var subscription: ServiceSubscription?

        /// "Demander l'accès" is offered for an active service without a live subscription.
        public var canRequest: Bool { service.isActive && !(subscription?.state.blocksNewRequest ?? false) }
    }

    /// The catalog for a user of a tenant: the active services, plus the retired ones the user
    /// holds a subscription to, by family then name, each with the user's latest subscription.
    public func catalog(for user: User, tenantID: Int64) async throws -> [Entry] {
        let mine = try await subscriptions(of: user, tenantID: tenantID)
        var latest: [Int64: ServiceSubscription] = [:]
        for subscription in mine where latest[subscription.serviceID] == nil { latest[subscription.serviceID] = subscription }
        return try await store.services().filter { $0.isActive || latest[$0.id] != nil }
            .map { Entry(service: $0, subscription: latest[$0.id]) }
    }

    /// The user's subscriptions in the tenant, newest first.
    public func subscriptions(of user: User, tenantID: Int64) async throws -> [ServiceSubscription] {
        _ = try await role(of: user, in: tenantID)
        return try await store.subscriptions(userID: user.id, tenantID: tenantID)
    }

    // MARK: Decisions (the tenant's administrators)

    /// The tenant's requests, pending first then newest; administrators only.
    public func requests(tenantID: Int64, by admin: User) async throws -> [ServiceRequest] {
        try await requireAdmin(admin, of: tenantID)
        return try await store.requests(tenantID: tenantID)
    }

    /// Applies a decision to a request of the tenant; the requester hears of an acceptance or a
    /// refusal by mail, queued in the same transaction. Another tenant's request is `NotInTenant`;
    /// one no longer in the state the decision needs is `SubscriptionStateChanged`.
    @discardableResult
    public func decide(_ decision: ServiceDecision, subscriptionID: Int64, reason: String = "", by admin: User,
                       tenantID: Int64) async throws -> ServiceRequest {
        try await requireAdmin(admin, of: tenantID)
        guard var request = try await store.request(id: subscriptionID, tenantID: tenantID) else { throw NotInTenant() }
        let reason = decision == .refuse ? reason.trimmingCharacters(in: .whitespacesAndNewlines) : ""
        guard reason.count <= Self.maxReasonLength else { throw FormErrors("reason", "service_error_too_long") }
        guard request.subscription.state == decision.from else { throw SubscriptionStateChanged(current: request.subscription.state) }
        let now = clock()
        let mail = mails.decision(decision, request: request, tenant: try await accounts.tenant(id: tenantID), reason: reason)
        guard try await store.decide(id: subscriptionID, tenantID: tenantID, decision: decision, reason: reason, at: now, mail: mail) else {
            let current = try await store.request(id: subscriptionID, tenantID: tenantID)?.subscription.state ?? decision.from
            throw SubscriptionStateChanged(current: current)
        }
        request.subscription.state = decision.to
        request.subscription.reason = reason
        request.subscription.decidedAt = now
        return request
    }

    /// The dashboard's counts: services with an accepted subscription, and pending requests.
    public func counts(tenantID: Int64) async throws -> ServiceCounts {
        try await store.counts(tenantID: tenantID)
    }

    private func role(of user: User, in tenantID: Int64) async throws -> Membership.Role {
        guard let membership = try await accounts.memberships(userID: user.id).first(where: { $0.tenant.id == tenantID }) else {
            throw NotAllowed()
        }
        return membership.role
    }

    private func requireAdmin(_ user: User, of tenantID: Int64) async throws {
        guard try await role(of: user, in: tenantID) == .admin else { throw NotAllowed() }
    }
}
