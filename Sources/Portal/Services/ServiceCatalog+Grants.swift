import Foundation
import Notify
import StatusModel

/// A tenant administrator's own moves on services: subscribing users or a whole group at once
/// (accepted straight away, since an administrator is who decides), taking a service away,
/// refusing with a reason, and who among them hears of new requests by mail. Every user, group
/// and subscription is read through the administrator's tenant: another tenant's is `NotInTenant`.
extension ServiceCatalog {
    /// What a grant did: who got the service now, and who already had it.
    public struct GrantReport: Sendable, Hashable {
        public var service: Service
        public var granted: [User]
        public var alreadyHeld: [User]
    }

    /// The services the tenant's users hold (accepted or suspended), each with its holders.
    public struct Holding: Sendable, Hashable {
        public var service: Service
        public var holders: [ServiceRequest]
    }

    /// Subscribes each of `userIDs` to the service, accepted at once. A user of another tenant
    /// (or nobody) among them is `NotInTenant` and nothing is written; a retired service is
    /// `UnknownService`; an empty choice is a form error on `users`.
    public func grant(serviceID: Int64, userIDs: [Int64], by admin: User, tenantID: Int64) async throws -> GrantReport {
        try await requireAdministrator(admin, of: tenantID)
        guard let service = try await store.service(id: serviceID), service.isActive else { throw UnknownService() }
        let members = try await accounts.members(tenantID: tenantID).map(\.user)
        let chosen = Set(userIDs)
        guard chosen.isSubset(of: Set(members.map(\.id))) else { throw NotInTenant() }
        guard !chosen.isEmpty else { throw FormErrors("users", "admin_grant_nobody") }
        let changed = try await store.grant(serviceID: service.id, userIDs: Array(chosen), tenantID: tenantID, at: clock())
        for userID in changed {
            await activity?.record(userID: userID, tenantID: tenantID, .serviceGranted, subject: service.name, link: "/account/services")
        }
        let concerned = members.filter { chosen.contains($0.id) }
        return GrantReport(service: service, granted: concerned.filter { changed.contains($0.id) },
                           alreadyHeld: concerned.filter { !changed.contains($0.id) })
    }

    /// Subscribes the group's members, as they are now (a later member does not get it).
    public func grant(serviceID: Int64, groupID: Int64, by admin: User, tenantID: Int64) async throws -> GrantReport {
        try await requireAdministrator(admin, of: tenantID)
        guard let group = try await accounts.groups(tenantID: tenantID).first(where: { $0.id == groupID }) else { throw NotInTenant() }
        guard !group.memberIDs.isEmpty else { throw FormErrors("group", "admin_grant_empty_group") }
        return try await grant(serviceID: serviceID, userIDs: group.memberIDs, by: admin, tenantID: tenantID)
    }

    /// Takes a held (accepted or suspended) service away from its user; another tenant's
    /// subscription is `NotInTenant`, one not held any more `SubscriptionStateChanged`.
    @discardableResult
    public func withdraw(subscriptionID: Int64, by admin: User, tenantID: Int64) async throws -> ServiceRequest {
        try await requireAdministrator(admin, of: tenantID)
        guard let request = try await store.request(id: subscriptionID, tenantID: tenantID) else { throw NotInTenant() }
        guard [.accepted, .suspended].contains(request.subscription.state),
              try await store.withdraw(id: subscriptionID, tenantID: tenantID) else {
            throw SubscriptionStateChanged(current: request.subscription.state)
        }
        await activity?.record(userID: request.requester.id, tenantID: tenantID, .serviceWithdrawn, subject: request.service.name,
                               link: "/account/services")
        return request
    }

    /// A decision as the administration's pages take it: a refusal needs its reason, so the
    /// requester always reads why (`decide` itself keeps the reason optional for other callers).
    @discardableResult
    public func decideWithReason(_ decision: ServiceDecision, subscriptionID: Int64, reason: String, by admin: User,
                                 tenantID: Int64) async throws -> ServiceRequest {
        if decision == .refuse, reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            try await requireAdministrator(admin, of: tenantID)
            guard try await store.request(id: subscriptionID, tenantID: tenantID) != nil else { throw NotInTenant() }
            throw FormErrors("reason", "error_required")
        }
        return try await decide(decision, subscriptionID: subscriptionID, reason: reason, by: admin, tenantID: tenantID)
    }

    /// What the tenant's users hold, by family then name of the service, holders by name.
    public func holdings(tenantID: Int64, by admin: User) async throws -> [Holding] {
        let held = try await requests(tenantID: tenantID, by: admin).filter { [.accepted, .suspended].contains($0.subscription.state) }
        let services = try await store.services()
        return services.compactMap { service in
            let holders = held.filter { $0.service.id == service.id }
                .sorted { $0.requester.displayName.lowercased() < $1.requester.displayName.lowercased() }
            return holders.isEmpty ? nil : Holding(service: service, holders: holders)
        }
    }

    // MARK: Mail for each new request

    /// The tenant's administrators who get a mail for each new request.
    public func requestMailRecipients(tenantID: Int64, by admin: User) async throws -> Set<Int64> {
        try await requireAdministrator(admin, of: tenantID)
        return try await store.requestMailRecipients(tenantID: tenantID)
    }

    /// Turns the mail on or off for one administrator of the tenant (any of them may set it for
    /// another); someone who is not an administrator of this tenant is `NotInTenant`.
    public func setRequestMail(userID: Int64, enabled: Bool, by admin: User, tenantID: Int64) async throws {
        try await requireAdministrator(admin, of: tenantID)
        guard try await store.setRequestMail(userID: userID, tenantID: tenantID, enabled: enabled) else { throw NotInTenant() }
    }

    /// Sets the whole list at once, as the notifications page sends it: exactly `userIDs` among
    /// the tenant's administrators get the mail. Anyone else among them (a member, another
    /// tenant's user) is `NotInTenant` and nothing changes.
    public func setRequestMailRecipients(_ userIDs: [Int64], by admin: User, tenantID: Int64) async throws {
        try await requireAdministrator(admin, of: tenantID)
        let administrators = try await accounts.members(tenantID: tenantID).filter { $0.role == .admin }.map(\.user.id)
        guard Set(userIDs).isSubset(of: Set(administrators)) else { throw NotInTenant() }
        for id in administrators {
            _ = try await store.setRequestMail(userID: id, tenantID: tenantID, enabled: userIDs.contains(id))
        }
    }

    /// Queues "Nouvelle demande d'abonnement" to each administrator who asked for it. A pending
    /// request only: one accepted at once needs nobody. A failure here never undoes the request.
    func announce(_ subscription: ServiceSubscription, requester: User) async {
        guard subscription.state == .pending,
              let recipients = try? await store.requestMailRecipients(tenantID: subscription.tenantID), !recipients.isEmpty,
              let service = try? await store.service(id: subscription.serviceID),
              let members = try? await accounts.members(tenantID: subscription.tenantID) else { return }
        let tenant = try? await accounts.tenant(id: subscription.tenantID)
        let mails = members.map(\.user).filter { recipients.contains($0.id) && $0.id != requester.id }
            .map { self.mails.newRequest(to: $0, service: service, requester: requester, tenant: tenant) }
        try? await store.enqueue(mails, at: clock())
    }

    private func requireAdministrator(_ user: User, of tenantID: Int64) async throws {
        guard try await accounts.memberships(userID: user.id).first(where: { $0.tenant.id == tenantID })?.role == .admin else {
            throw NotAllowed()
        }
    }
}

extension ServiceMails {
    /// An administrator's mail for a new request, in the administrator's language, linking to
    /// the requests page.
    func newRequest(to admin: User, service: Service, requester: User, tenant: Tenant?) -> Mail {
        let english = admin.language == "en"
        let account = tenant.map { "\($0.name) (\($0.code))" } ?? ""
        let who = "\(requester.displayName) (\(requester.email))"
        let link = MailLinks.localized("\(baseURL)/admin/requests", language: admin.language)
        let subject = english ? "New request for \(service.name)" : "Nouvelle demande d'abonnement à \(service.name)"
        let lines = english
            ? ["Hello,", "\(who) asks for the service \(service.name) in the customer account \(account).", "Accept or refuse it here:"]
            : ["Bonjour,", "\(who) demande l'accès au service \(service.name) dans le compte client \(account).", "Acceptez-la ou refusez-la ici :"]
        let footer = english ? "You get this mail because you asked for it under Administration, Notifications."
            : "Vous recevez ce mail à votre demande (Administration, Notifications)."
        let signature = "— \(names.text(admin.language))"
        let text = (lines + [link, "", footer, signature, baseURL]).joined(separator: "\n")
        let html = "<!DOCTYPE html><html><body>" + lines.map { "<p>\(HTMLText.escape($0))</p>" }.joined()
            + "<p><a href=\"\(HTMLText.escape(link))\">\(HTMLText.escape(link))</a></p><p>\(HTMLText.escape(footer))</p>"
            + "<p>\(HTMLText.escape(signature))<br>\(HTMLText.escape(baseURL))</p></body></html>"
        return Mail(to: admin.email, subject: subject, text: text, html: html, language: english ? "en" : "fr")
    }
}
