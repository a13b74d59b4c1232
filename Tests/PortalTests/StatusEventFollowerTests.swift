import Foundation
import GRDB
import Logging
import Notify
import Portal
import StatusModel
import Testing

/// Status events on "Mes services": each incident or maintenance step on a product gives one
/// notification to each user whose own accepted service covers it, and none to anybody else.
@Suite struct StatusEventFollowerTests {
    struct World {
        let fixture: PortalFixture
        let status: SQLiteStatusStore
        let notifier: Notifier
        let follower: StatusEventFollower
        let ada: User, bob: User, english: User

        init() async throws {
            fixture = try PortalFixture()
            let clock = fixture.clock
            status = SQLiteStatusStore(database: fixture.database, calendar: DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!))
            try await status.syncProducts([
                Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 1, visibility: .private, monitoredSince: Date(timeIntervalSince1970: 0)),
                Product(slug: "stream", name: "Cegid Stream", family: "Finance", position: 2, monitoredSince: Date(timeIntervalSince1970: 0)),
            ])
            let store = SQLiteNotificationStore(database: fixture.database)
            notifier = Notifier(store: store, clock: { clock.now })
            let status = status
            follower = StatusEventFollower(events: status, audience: store, notifier: notifier, baseURL: PortalFixture.baseURL,
                                           productNames: { Dictionary(uniqueKeysWithValues: try await status.products().map { ($0.slug, $0.name) }) },
                                           logger: Logger(label: "test"))
            let tenant = try await fixture.tenant()
            ada = try await fixture.activeUser("ada@client.fr", tenant: tenant, role: .admin)
            bob = try await fixture.activeUser("bob@client.fr", tenant: tenant)
            english = try await fixture.activeUser("john@client.fr", tenant: tenant, language: "en")
            // Ada and John hold "Cegid Loop" (the service covering the product loop); Bob asked and waits.
            let catalog = ServiceCatalog(store: SQLiteServiceStore(database: fixture.database), accounts: fixture.store, baseURL: PortalFixture.baseURL)
            let staff = User(id: 999_999, email: "ops@vendor.fr", staffRole: .operator_, createdAt: Date(timeIntervalSince1970: 0))
            let service = try await catalog.createService(.init(name: "Cegid Loop", family: "Services en ligne", description: ""), by: staff)
            try await fixture.database.writer.write { db in
                try db.execute(sql: "INSERT INTO serviceProduct (serviceID, productSlug) VALUES (?, 'loop')", arguments: [service.id])
            }
            for user in [ada, english] {
                let request = try await catalog.request(serviceID: service.id, by: user, tenantID: tenant.id)
                try await catalog.decide(.accept, subscriptionID: request.id, by: ada, tenantID: tenant.id)
            }
            _ = try await catalog.request(serviceID: service.id, by: bob, tenantID: tenant.id)
        }
    }

    @Test func anIncidentOnMyServicesGivesEachOfItsUsersOneNotification() async throws {
        let world = try await World()
        try await world.status.openProbeIncident(productSlug: "loop", title: "Cegid Loop ne répond plus", message: "", reason: nil,
                                                 at: world.fixture.clock.now)
        try await world.status.openProbeIncident(productSlug: "stream", title: "Cegid Stream ne répond plus", message: "", reason: nil,
                                                 at: world.fixture.clock.now)
        #expect(try await world.follower.followPending() == 2)
        let ada = try await world.notifier.notifications(userID: world.ada.id)
        #expect(ada.count == 1, "one notification for the incident on loop, none for stream: Ada does not have it")
        #expect(ada.first?.kind == .statusEvent)
        #expect(ada.first?.title == "Incident sur Cegid Loop : Cegid Loop ne répond plus")
        #expect(ada.first?.link == "/products/loop")
        #expect(try await world.notifier.notifications(userID: world.english.id).map(\.title) == ["Incident on Cegid Loop: Cegid Loop ne répond plus"])
        #expect(try await world.notifier.unreadCount(userID: world.bob.id) == 0, "a pending request is not a service of Bob's")
        #expect(try await world.fixture.mails(to: world.ada.email).filter { $0.subject.contains("Incident") }.isEmpty,
                "status events go to the portal only until the user chooses mail")

        // Read again (a restart): nobody is told twice.
        #expect(try await world.follower.followPending() == 0)
        #expect(try await world.notifier.unreadCount(userID: world.ada.id) == 1)
    }

    @Test func aUserWhoChoseMailGetsTheMail() async throws {
        let world = try await World()
        try await world.notifier.setDelivery(.both, for: .statusEvent, userID: world.english.id)
        try await world.status.openProbeIncident(productSlug: "loop", title: "Down", message: "", reason: nil, at: world.fixture.clock.now)
        try await world.follower.followPending()
        let mails = try await world.fixture.mails(to: world.english.email).filter { $0.subject.hasPrefix("Incident") }
        #expect(mails.map(\.subject) == ["Incident on Cegid Loop: Down"])
        #expect(mails.first?.text.contains("\(PortalFixture.baseURL)/products/loop?lang=en") == true)
        #expect(try await world.notifier.unreadCount(userID: world.english.id) == 1)
    }
}
