import Foundation
import Notify
import Portal
import StatusModel
import Synchronization
import Testing

/// Services opening products, over a real SQLite database: the ties an operator sets (and
/// replaces), requests accepted at once when a service needs no validation, several requests at
/// once, giving a service up, and which products a tenant and a user get from their services.
/// The trail and the notifications go to in-memory doubles (the SQLite activity and
/// notification stores are another branch's work); the outbox is the real one.
@Suite struct ServiceAccessTests {
    /// Trail entries and notifications as written, for the test to read.
    final class Recorder: ActivityStore, NotificationStore, Sendable {
        private let state = Mutex<(entries: [ActivityEntry], notifications: [PortalNotification], mails: [Mail])>(([], [], []))
        var entries: [ActivityEntry] { state.withLock { $0.entries } }
        var notifications: [PortalNotification] { state.withLock { $0.notifications } }
        var mails: [Mail] { state.withLock { $0.mails } }

        func record(_ entry: ActivityEntry) async throws { state.withLock { $0.entries.append(entry) } }
        func activity(userID: Int64, limit: Int, before: Date?) async throws -> [ActivityEntry] {
            state.withLock { $0.entries.filter { $0.userID == userID }.reversed() }
        }
        func deliver(_ notification: PortalNotification?, mail: Mail?) async throws {
            state.withLock { state in
                if let notification { state.notifications.append(notification) }
                if let mail { state.mails.append(mail) }
            }
        }
        func unreadCount(userID: Int64) async throws -> Int { state.withLock { $0.notifications.count { $0.userID == userID && !$0.isRead } } }
        func notifications(userID: Int64, limit: Int) async throws -> [PortalNotification] {
            state.withLock { $0.notifications.filter { $0.userID == userID } }
        }
        func markRead(id: Int64, userID: Int64, at: Date) async throws -> Bool { false }
        func markAllRead(userID: Int64, at: Date) async throws {}
        func deliveries(userID: Int64) async throws -> [PortalNotification.Kind: NotificationDelivery] { [:] }
        func setDelivery(_ delivery: NotificationDelivery, for kind: PortalNotification.Kind, userID: Int64) async throws {}
    }

    struct World {
        let fixture: PortalFixture
        let catalog: ServiceCatalog
        let recorder = Recorder()
        let tenant: Tenant, other: Tenant
        let admin: User, member: User, colleague: User, otherMember: User
        let staff = User(id: 999_999, email: "ops@vendor.fr", staffRole: .operator_, createdAt: Date(timeIntervalSince1970: 0))

        init() async throws {
            let fixture = try PortalFixture()
            self.fixture = fixture
            let clock = fixture.clock
            let recorder = recorder
            catalog = ServiceCatalog(store: SQLiteServiceStore(database: fixture.database), accounts: fixture.store, baseURL: PortalFixture.baseURL,
                                     clock: { clock.now }, activity: ActivityLog(store: recorder, clock: { clock.now }),
                                     notifier: Notifier(store: recorder, clock: { clock.now }))
            tenant = try await fixture.tenant("90266482")
            other = try await fixture.tenant("11111111")
            func user(_ email: String, _ tenant: Tenant, _ role: Membership.Role) async throws -> User {
                _ = try await fixture.accounts.invite(email, tenantID: tenant.id, role: role, language: "fr", invitedBy: PortalFixture.inviter)
                return try #require(try await fixture.store.user(email: email))
            }
            admin = try await user("admin@client.fr", tenant, .admin)
            member = try await user("marie@client.fr", tenant, .member)
            colleague = try await user("paul@client.fr", tenant, .member)
            otherMember = try await user("eve@other.fr", other, .member)
        }

        func service(_ name: String, products: [String] = [], needsValidation: Bool = true) async throws -> Service {
            try await catalog.createService(.init(name: name, family: "Services en ligne", description: "", productSlugs: products,
                                                  needsValidation: needsValidation), by: staff)
        }

        func access(_ user: User?, in tenant: Tenant) async throws -> ProductAccess {
            try await catalog.productAccess(tenantID: tenant.id, userID: user?.id)
        }
    }

    @Test func anOperatorTiesProductsAndAnUpdateReplacesTheTies() async throws {
        let world = try await World()
        let stream = try await world.service("Cegid Stream", products: ["stream", "loop", "stream"])
        #expect(stream.productSlugs == ["loop", "stream"], "sorted, once each")
        #expect(try await world.catalog.activeServices().first?.productSlugs == ["loop", "stream"], "read back from the ties")
        let taken = try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        try await world.catalog.decide(.accept, subscriptionID: taken.id, by: world.admin, tenantID: world.tenant.id)
        #expect(try await world.access(world.member, in: world.tenant).tenantProducts == ["loop", "stream"])

        let updated = try await world.catalog.updateService(id: stream.id, .init(name: "Cegid Stream", family: "Vidéo", description: "",
                                                                                  productSlugs: ["xrp"], needsValidation: false), by: world.staff)
        #expect(updated.productSlugs == ["xrp"])
        let read = try await world.catalog.service(id: stream.id, by: world.staff)
        #expect(read.productSlugs == ["xrp"], "the old ties are gone")
        #expect(read.needsValidation == false)
        #expect(try await world.access(world.member, in: world.tenant) == ProductAccess(tenantProducts: ["xrp"], userProducts: ["xrp"]))
    }

    @Test func aSlugThatNamesNoProductIsRefusedNextToTheFieldAndNothingIsWritten() async throws {
        let world = try await World()
        await #expect(throws: FormErrors("products", "service_error_unknown_product")) {
            try await world.catalog.createService(.init(name: "Cegid Stream", family: "Services", description: "", productSlugs: ["stream", "nope"]),
                                                  knownProducts: ["stream", "loop"], by: world.staff)
        }
        #expect(try await world.catalog.activeServices().isEmpty)
        let stream = try await world.service("Cegid Stream", products: ["stream"])
        await #expect(throws: FormErrors("products", "service_error_unknown_product")) {
            try await world.catalog.updateService(id: stream.id, .init(name: "Cegid Stream", family: "Services", description: "", productSlugs: ["nope"]),
                                                  knownProducts: ["stream"], by: world.staff)
        }
        #expect(try await world.catalog.service(id: stream.id, by: world.staff).productSlugs == ["stream"])
    }

    @Test func aServiceWithoutValidationIsAcceptedAtOnceAndOneWithIsPending() async throws {
        let world = try await World()
        let portal = try await world.service("Accès au portail", products: ["loop"], needsValidation: false)
        let stream = try await world.service("Cegid Stream", products: ["stream"])
        let now = world.fixture.clock.now
        let open = try await world.catalog.request(serviceID: portal.id, by: world.member, tenantID: world.tenant.id)
        #expect(open.state == .accepted)
        #expect(open.decidedAt == now)
        let waiting = try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        #expect(waiting.state == .pending)
        #expect(waiting.decidedAt == nil)
        #expect(try await world.catalog.subscriptions(of: world.member, tenantID: world.tenant.id).map(\.state).sorted { $0.rawValue < $1.rawValue }
                == [.accepted, .pending], "as stored")
        #expect(try await world.access(world.member, in: world.tenant) == ProductAccess(tenantProducts: ["loop"], userProducts: ["loop"]))
        await #expect(throws: DuplicateServiceRequest()) {
            try await world.catalog.request(serviceID: portal.id, by: world.member, tenantID: world.tenant.id)
        }
        #expect(world.recorder.entries.map(\.kind) == [.serviceRequested, .serviceAccepted, .serviceRequested])
        #expect(world.recorder.entries.allSatisfy { $0.tenantID == world.tenant.id && $0.userID == world.member.id })
        #expect(world.recorder.notifications.isEmpty, "the user's own request is no news to them")
    }

    @Test func severalRequestsAtOnceRecordOnlyWhatIsNew() async throws {
        let world = try await World()
        let portal = try await world.service("Accès au portail", needsValidation: false)
        let stream = try await world.service("Cegid Stream")
        let paie = try await world.service("Yourcegid Paie")
        let retired = try await world.service("Ancien service")
        _ = try await world.catalog.setActive(id: retired.id, false, by: world.staff)
        _ = try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)

        let recorded = try await world.catalog.request(serviceIDs: [stream.id, portal.id, paie.id, portal.id, retired.id, 424_242],
                                                       by: world.member, tenantID: world.tenant.id)
        #expect(recorded.map(\.serviceID) == [portal.id, paie.id], "the held one, the twice-asked, the retired and the unknown are skipped")
        #expect(recorded.map(\.state) == [.accepted, .pending])
        #expect(try await world.catalog.subscriptions(of: world.member, tenantID: world.tenant.id).count == 3)
        #expect(try await world.catalog.request(serviceIDs: [stream.id, portal.id], by: world.member, tenantID: world.tenant.id).isEmpty)
        await #expect(throws: NotAllowed()) {
            try await world.catalog.request(serviceIDs: [paie.id], by: world.member, tenantID: world.other.id)
        }
    }

    @Test func aUserGivesUpTheirOwnPendingOrAcceptedServiceOnly() async throws {
        let world = try await World()
        let portal = try await world.service("Accès au portail", products: ["loop"], needsValidation: false)
        let stream = try await world.service("Cegid Stream")
        let paie = try await world.service("Yourcegid Paie")
        let open = try await world.catalog.request(serviceID: portal.id, by: world.member, tenantID: world.tenant.id)
        let waiting = try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        let refused = try await world.catalog.request(serviceID: paie.id, by: world.member, tenantID: world.tenant.id)
        try await world.catalog.decide(.refuse, subscriptionID: refused.id, reason: "Non", by: world.admin, tenantID: world.tenant.id)
        let colleagues = try await world.catalog.request(serviceID: stream.id, by: world.colleague, tenantID: world.tenant.id)

        // Someone else's, in the same tenant or from another: as if it did not exist; nothing changes.
        await #expect(throws: NotInTenant()) {
            try await world.catalog.giveUp(subscriptionID: colleagues.id, by: world.member, tenantID: world.tenant.id)
        }
        await #expect(throws: NotAllowed()) {
            try await world.catalog.giveUp(subscriptionID: open.id, by: world.otherMember, tenantID: world.tenant.id)
        }
        await #expect(throws: NotInTenant()) {
            try await world.catalog.giveUp(subscriptionID: open.id, by: world.otherMember, tenantID: world.other.id)
        }
        await #expect(throws: CannotGiveUp(current: .refused)) {
            try await world.catalog.giveUp(subscriptionID: refused.id, by: world.member, tenantID: world.tenant.id)
        }
        #expect(try await world.catalog.subscriptions(of: world.member, tenantID: world.tenant.id).count == 3)

        try await world.catalog.giveUp(subscriptionID: open.id, by: world.member, tenantID: world.tenant.id)
        try await world.catalog.giveUp(subscriptionID: waiting.id, by: world.member, tenantID: world.tenant.id)
        #expect(try await world.catalog.subscriptions(of: world.member, tenantID: world.tenant.id).map(\.state) == [.refused], "the refusal stays as history")
        #expect(try await world.access(world.member, in: world.tenant) == ProductAccess(), "its products go with it")
        #expect(world.recorder.entries.filter { $0.kind == .serviceGivenUp }.map(\.subject) == ["Accès au portail", "Cegid Stream"])
        #expect(try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id).state == .pending,
                "and may ask again")
        #expect(try await world.catalog.subscriptions(of: world.colleague, tenantID: world.tenant.id).map(\.id) == [colleagues.id])
    }

    @Test func aSuspendedServiceCannotBeGivenUpToGoAroundTheSuspension() async throws {
        let world = try await World()
        let portal = try await world.service("Accès au portail", products: ["loop"], needsValidation: false)
        let open = try await world.catalog.request(serviceID: portal.id, by: world.member, tenantID: world.tenant.id)
        try await world.catalog.decide(.suspend, subscriptionID: open.id, by: world.admin, tenantID: world.tenant.id)
        await #expect(throws: CannotGiveUp(current: .suspended)) {
            try await world.catalog.giveUp(subscriptionID: open.id, by: world.member, tenantID: world.tenant.id)
        }
        await #expect(throws: DuplicateServiceRequest()) {
            try await world.catalog.request(serviceID: portal.id, by: world.member, tenantID: world.tenant.id)
        }
    }

    @Test func productAccessFollowsAcceptedSubscriptionsOnlyTenantWideAndPerUser() async throws {
        let world = try await World()
        let portal = try await world.service("Accès au portail", products: ["loop"])
        let stream = try await world.service("Cegid Stream", products: ["stream"])
        let paie = try await world.service("Yourcegid Paie", products: ["paie"])
        let mine = try await world.catalog.request(serviceID: portal.id, by: world.member, tenantID: world.tenant.id)
        let theirs = try await world.catalog.request(serviceID: stream.id, by: world.colleague, tenantID: world.tenant.id)
        let refused = try await world.catalog.request(serviceID: paie.id, by: world.member, tenantID: world.tenant.id)
        #expect(try await world.access(world.member, in: world.tenant) == ProductAccess(), "pending opens nothing")
        try await world.catalog.decide(.accept, subscriptionID: mine.id, by: world.admin, tenantID: world.tenant.id)
        try await world.catalog.decide(.accept, subscriptionID: theirs.id, by: world.admin, tenantID: world.tenant.id)
        try await world.catalog.decide(.refuse, subscriptionID: refused.id, by: world.admin, tenantID: world.tenant.id)

        #expect(try await world.access(world.member, in: world.tenant) == ProductAccess(tenantProducts: ["loop", "stream"], userProducts: ["loop"]))
        #expect(try await world.access(world.colleague, in: world.tenant) == ProductAccess(tenantProducts: ["loop", "stream"], userProducts: ["stream"]))
        #expect(try await world.access(nil, in: world.tenant) == ProductAccess(tenantProducts: ["loop", "stream"]), "a key has no own services")
        #expect(try await world.access(world.otherMember, in: world.other) == ProductAccess(), "another tenant gets nothing")

        try await world.catalog.decide(.suspend, subscriptionID: theirs.id, by: world.admin, tenantID: world.tenant.id)
        #expect(try await world.access(world.member, in: world.tenant) == ProductAccess(tenantProducts: ["loop"], userProducts: ["loop"]),
                "a suspended service opens nothing")
        try await world.catalog.decide(.reactivate, subscriptionID: theirs.id, by: world.admin, tenantID: world.tenant.id)
        #expect(try await world.access(world.colleague, in: world.tenant).userProducts == ["stream"])
    }

    @Test func aDecisionMakesExactlyOneNotificationAndItsMailGoesThroughTheNotifier() async throws {
        let world = try await World()
        let stream = try await world.service("Cegid Stream", products: ["stream"])
        let request = try await world.catalog.request(serviceID: stream.id, by: world.member, tenantID: world.tenant.id)
        let before = try await world.fixture.outbox().count
        try await world.catalog.decide(.refuse, subscriptionID: request.id, reason: "Licences épuisées", by: world.admin, tenantID: world.tenant.id)

        let notifications = world.recorder.notifications
        #expect(notifications.count == 1)
        #expect(notifications.first?.userID == world.member.id)
        #expect(notifications.first?.kind == .serviceDecision)
        #expect(notifications.first?.title == "Votre accès à Cegid Stream est refusé")
        #expect(notifications.first?.body == "Motif : Licences épuisées")
        #expect(notifications.first?.link == "/account/services")
        #expect(world.recorder.mails.map(\.subject) == ["Votre accès à Cegid Stream est refusé"], "the mail, as the user's choice allows")
        #expect(try await world.fixture.outbox().count == before, "not queued a second time with the decision")
        let trail = world.recorder.entries.filter { $0.kind == .serviceRefused }
        #expect(trail.map(\.detail) == ["Licences épuisées"])
        #expect(trail.map(\.subject) == ["Cegid Stream"])
    }
}
