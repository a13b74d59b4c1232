import Foundation
import Notify
import Portal
import StatusModel
import Testing

/// The catalog's rules over a real SQLite database: who may do what, the state transitions, one
/// live request per service, and the requester's mail in their language.
@Suite struct ServiceCatalogTests {
    struct World {
        let fixture: PortalFixture
        let catalog: ServiceCatalog
        let tenant: Tenant, other: Tenant
        let admin: User, member: User, english: User, otherAdmin: User
        let staff = User(id: 999_999, email: "ops@vendor.fr", staffRole: .operator_, createdAt: Date(timeIntervalSince1970: 0))

        init() async throws {
            let fixture = try PortalFixture()
            self.fixture = fixture
            let clock = fixture.clock
            catalog = ServiceCatalog(store: SQLiteServiceStore(database: fixture.database), accounts: fixture.store,
                                     baseURL: PortalFixture.baseURL, clock: { clock.now })
            let tenant = try await fixture.tenant("90266482")
            let other = try await fixture.tenant("11111111")
            self.tenant = tenant
            self.other = other
            func user(_ email: String, _ tenant: Tenant, _ role: Membership.Role, _ language: String = "fr") async throws -> User {
                _ = try await fixture.accounts.invite(email, tenantID: tenant.id, role: role, language: language, invitedBy: PortalFixture.inviter)
                return try #require(try await fixture.store.user(email: email))
            }
            admin = try await user("admin@client.fr", tenant, .admin)
            member = try await user("marie@client.fr", tenant, .member)
            english = try await user("john@client.fr", tenant, .member, "en")
            otherAdmin = try await user("admin@other.fr", other, .admin)
        }

        func service(_ name: String = "Cegid Stream", family: String = "Services en ligne") async throws -> Service {
            try await catalog.createService(.init(name: name, family: family, description: "Diffusion"), by: staff)
        }

        /// Mails queued after the invitations of `init`.
        func decisionMails() async throws -> [Mail] {
            try await fixture.outbox().filter { !$0.subject.contains("Activ") }
        }
    }

    @Test func operatorsManageTheCatalogAndNobodyElseDoes() async throws {
        let world = try await World()
        await #expect(throws: NotAllowed()) {
            try await world.catalog.createService(.init(name: "Accès au portail", family: "Préférence", description: ""), by: world.admin)
        }
        let portal = try await world.catalog.createService(.init(name: "  Accès au portail ", family: "Préférence", description: ""), by: world.staff)
        #expect(portal.name == "Accès au portail", "names are trimmed")
        await #expect(throws: FormErrors("name", "service_name_taken")) {
            try await world.catalog.createService(.init(name: "accès au PORTAIL", family: "Préférence", description: ""), by: world.staff)
        }
        await #expect(throws: FormErrors("family", "error_required")) {
            try await world.catalog.createService(.init(name: "Cegid Loop", family: " ", description: ""), by: world.staff)
        }
        let renamed = try await world.catalog.updateService(id: portal.id, .init(name: "Accès portail", family: "Services en ligne", description: "Le portail"),
                                                            by: world.staff)
        #expect(try await world.catalog.activeServices() == [renamed])
        await #expect(throws: NotAllowed()) { try await world.catalog.setActive(id: portal.id, false, by: world.admin) }
        _ = try await world.catalog.setActive(id: portal.id, false, by: world.staff)
        #expect(try await world.catalog.activeServices().isEmpty, "a retired service leaves the catalog")
        await #expect(throws: UnknownService()) {
            try await world.catalog.request(serviceID: portal.id, by: world.member, tenantID: world.tenant.id)
        }
        await #expect(throws: UnknownService()) { try await world.catalog.service(id: 424_242, by: world.staff) }
    }

    @Test func aRequestIsPendingAndCannotBeMadeTwiceWhilePendingAcceptedOrSuspended() async throws {
        let world = try await World()
        let stream = try await world.service()
        let request = try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        #expect(request.state == .pending)
        await #expect(throws: DuplicateServiceRequest()) {
            try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        }
        try await world.catalog.decide(.accept, subscriptionID: request.id, by: world.admin, tenantID: world.tenant.id)
        await #expect(throws: DuplicateServiceRequest()) {
            try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        }
        try await world.catalog.decide(.suspend, subscriptionID: request.id, by: world.admin, tenantID: world.tenant.id)
        await #expect(throws: DuplicateServiceRequest()) {
            try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        }
        // Another user of the tenant asks on their own.
        #expect(try await world.catalog.request(serviceID: stream.id, by: world.english, tenantID: world.tenant.id).state == .pending)
        // Nor can a user request in a tenant they do not belong to.
        await #expect(throws: NotAllowed()) {
            try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.other.id)
        }
    }

    @Test func afterARefusalTheUserMayAskAgain() async throws {
        let world = try await World()
        let stream = try await world.service()
        let first = try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        try await world.catalog.decide(.refuse, subscriptionID: first.id, reason: "Licences épuisées", by: world.admin, tenantID: world.tenant.id)
        let entry = try #require(try await world.catalog.catalog(for: world.member, tenantID: world.tenant.id).first)
        #expect(entry.subscription?.state == .refused)
        #expect(entry.subscription?.reason == "Licences épuisées")
        #expect(entry.canRequest)
        world.fixture.clock.advance(60)
        let second = try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        #expect(try await world.catalog.catalog(for: world.member, tenantID: world.tenant.id).first?.subscription == second,
                "the page shows the newest request")
    }

    @Test func decisionsFollowTheStatesAndAStaleOneChangesNothing() async throws {
        let world = try await World()
        let stream = try await world.service()
        let request = try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        for decision in [ServiceDecision.suspend, .reactivate] {
            await #expect(throws: SubscriptionStateChanged(current: .pending)) {
                try await world.catalog.decide(decision, subscriptionID: request.id, by: world.admin, tenantID: world.tenant.id)
            }
        }
        #expect(try await world.catalog.decide(.accept, subscriptionID: request.id, by: world.admin, tenantID: world.tenant.id).subscription.state == .accepted)
        for decision in [ServiceDecision.accept, .refuse] {
            await #expect(throws: SubscriptionStateChanged(current: .accepted)) {
                try await world.catalog.decide(decision, subscriptionID: request.id, by: world.admin, tenantID: world.tenant.id)
            }
        }
        #expect(try await world.catalog.decide(.suspend, subscriptionID: request.id, by: world.admin, tenantID: world.tenant.id).subscription.state == .suspended)
        #expect(try await world.catalog.decide(.reactivate, subscriptionID: request.id, by: world.admin, tenantID: world.tenant.id).subscription.state == .accepted)
        #expect(try await world.decisionMails().count == 1, "only the acceptance is mailed")
    }

    @Test func onlyTheTenantsAdministratorsDecide() async throws {
        let world = try await World()
        let stream = try await world.service()
        let request = try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        await #expect(throws: NotAllowed()) {
            try await world.catalog.decide(.accept, subscriptionID: request.id, by: world.member, tenantID: world.tenant.id)
        }
        await #expect(throws: NotAllowed()) { try await world.catalog.requests(tenantID: world.tenant.id, by: world.member) }
        // Another tenant's administrator, through their own tenant: as if the request did not exist.
        await #expect(throws: NotInTenant()) {
            try await world.catalog.decide(.accept, subscriptionID: request.id, by: world.otherAdmin, tenantID: world.other.id)
        }
        // ... and through ours, which they do not administer.
        await #expect(throws: NotAllowed()) {
            try await world.catalog.decide(.accept, subscriptionID: request.id, by: world.otherAdmin, tenantID: world.tenant.id)
        }
        #expect(try await world.catalog.requests(tenantID: world.other.id, by: world.otherAdmin).isEmpty)
        #expect(try await world.catalog.requests(tenantID: world.tenant.id, by: world.admin).map(\.subscription.state) == [.pending])
        #expect(try await world.decisionMails().isEmpty)
    }

    @Test func theRequesterHearsOfTheDecisionInTheirLanguage() async throws {
        let world = try await World()
        let stream = try await world.service("Cegid <Stream> & co")
        let johns = try await world.catalog.request(serviceID: stream.id, by: world.english, tenantID: world.tenant.id)
        let maries = try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        try await world.catalog.decide(.accept, subscriptionID: johns.id, by: world.admin, tenantID: world.tenant.id)
        try await world.catalog.decide(.refuse, subscriptionID: maries.id, reason: "Pas de <licence>", by: world.admin, tenantID: world.tenant.id)
        let mails = try await world.decisionMails()
        #expect(mails.map(\.to) == ["john@client.fr", "marie@client.fr"])
        #expect(mails[0].language == "en")
        #expect(mails[0].subject == "Your access to Cegid <Stream> & co was accepted")
        #expect(mails[0].text.contains("\(PortalFixture.baseURL)/account/services"))
        #expect(mails[0].text.contains("Client 90266482 (90266482)"))
        #expect(mails[1].language == "fr")
        #expect(mails[1].subject == "Votre accès à Cegid <Stream> & co est refusé")
        #expect(mails[1].text.contains("Motif : Pas de <licence>"))
        #expect(mails[1].html?.contains("Pas de &lt;licence&gt;") == true, "user text is escaped in HTML")
        #expect(mails[1].html?.contains("<licence>") == false)
    }

    @Test func theDashboardCountsServicesWithAnAcceptedSubscriptionAndPendingRequests() async throws {
        let world = try await World()
        let stream = try await world.service()
        let portal = try await world.service("Accès au portail", family: "Préférence")
        #expect(try await world.catalog.counts(tenantID: world.tenant.id) == ServiceCounts(services: 0, pendingRequests: 0))
        let a = try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        let b = try await world.catalog.request(serviceID: stream.id, by: world.english, tenantID: world.tenant.id)
        _ = try await world.catalog.request(serviceID: portal.id, by: world.member, tenantID: world.tenant.id)
        #expect(try await world.catalog.counts(tenantID: world.tenant.id) == ServiceCounts(services: 0, pendingRequests: 3))
        try await world.catalog.decide(.accept, subscriptionID: a.id, by: world.admin, tenantID: world.tenant.id)
        try await world.catalog.decide(.accept, subscriptionID: b.id, by: world.admin, tenantID: world.tenant.id)
        #expect(try await world.catalog.counts(tenantID: world.tenant.id) == ServiceCounts(services: 1, pendingRequests: 1),
                "two users on one service count one service")
        #expect(try await world.catalog.requests(tenantID: world.tenant.id, by: world.admin).map(\.subscription.state) == [.pending, .accepted, .accepted],
                "new requests first")
        #expect(try await world.catalog.counts(tenantID: world.other.id) == ServiceCounts(services: 0, pendingRequests: 0))
    }
}
