import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Notify
import Portal
import StatusModel
import StatusWeb
import Testing

/// The profile and the bell over HTTP, on the portal fixture's database with the trail and the
/// notifications wired as statusd wires them: "Général" (who, the customer account, the counts,
/// the edit form), "Activités" (one's own trail only) and `/notifications` (another user's is a
/// 404 and changes nothing).
@Suite struct ProfilePagesTests {
    struct World {
        let base: PortalSiteFixture
        let accounts: AccountService
        let activity: ActivityLog
        let notifier: Notifier
        let site: SiteDependencies<SQLiteStatusStore>

        init() async throws {
            base = try await PortalSiteFixture()
            activity = ActivityLog(store: SQLiteActivityStore(database: base.database))
            notifier = Notifier(store: SQLiteNotificationStore(database: base.database))
            accounts = AccountService(store: base.accountStore, baseURL: PortalSiteFixture.baseURL, bcryptCost: 4, activity: activity)
            let clock = base.clock
            site = try await SiteDependencies(store: base.store, calendar: SiteFixture.calendar, historyDays: 25, baseURL: PortalSiteFixture.baseURL,
                                              logger: Logger(label: "test"), accounts: accounts, outbox: base.outbox,
                                              serviceCatalog: base.serviceCatalog, clock: { clock.now }, notifier: notifier, activity: activity)
        }

        var tenantID: Int64 { get async throws { try #require(try await accounts.memberships(userID: base.member.user.id).first?.tenant.id) } }

        func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            try await Application(router: buildRouter(site: site)).test(.router, body)
        }

        /// A service the member holds (accepted) and one they asked for (pending).
        func memberServices() async throws {
            let catalog = base.serviceCatalog
            let tenantID = try await tenantID
            let held = try await catalog.createService(.init(name: "Cegid Loop", family: "Services en ligne", description: ""), by: base.operatorLogin.user)
            let asked = try await catalog.createService(.init(name: "Cegid Stream", family: "Services en ligne", description: ""), by: base.operatorLogin.user)
            let request = try await catalog.request(serviceID: held.id, by: base.member.user, tenantID: tenantID)
            try await catalog.decide(.accept, subscriptionID: request.id, by: base.admin.user, tenantID: tenantID)
            _ = try await catalog.request(serviceID: asked.id, by: base.member.user, tenantID: tenantID)
        }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String, _ session: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: uri, method: .get, headers: pageHeaders(session: session)) { ($0.status, String(buffer: $0.body)) }
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, _ session: String, _ body: String) async throws
        -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        let (headers, buffer) = formRequest(session: session, body)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: buffer) { ($0.status, String(buffer: $0.body), $0.headers) }
    }

    @Test func generalShowsWhoTheCustomerAccountAndTheCountsOfMyServices() async throws {
        let world = try await World()
        try await world.memberServices()
        try await world.base.database.writer.write { db in
            try db.execute(sql: "UPDATE tenant SET address = '12 rue de la Paix, 75002 Paris' WHERE code = '1000'")
        }
        let member = world.base.member
        try await world.test { client in
            let (status, page) = try await Self.get(client, "/account", member.session)
            #expect(status == .ok)
            #expect(page.contains("id=\"tab-general\" aria-current=\"page\""), "the Général tab is the current one")
            #expect(page.contains("<dd id=\"account-email\">member@client.fr</dd>"))
            #expect(page.contains("<dd id=\"account-tenant\">Client A</dd>"))
            #expect(page.contains("<dd id=\"account-tenant-code\">1000</dd>"))
            #expect(page.contains("12 rue de la Paix, 75002 Paris"))
            #expect(page.contains(">1 Service activated</a>"), "the accepted one only")
            #expect(page.contains(">1 Request awaiting approval</a>"))
            #expect(page.contains("Active since"))
            #expect(page.contains("href=\"/password/change\""))
            #expect(page.contains("action=\"/account/profile\""))
            #expect(page.contains("id=\"logout\""))
        }
    }

    @Test func aUserOfTwoCustomerAccountsSwitchesFromTheGeneralTab() async throws {
        let world = try await World()
        let member = world.base.member
        let other = try await world.base.accountStore.createTenant(Tenant(code: "2000", name: "Client B"))
        try await world.base.database.writer.write { db in
            try db.execute(sql: "INSERT INTO membership (userID, tenantID, role) VALUES (?, ?, 'member')", arguments: [member.user.id, other.id])
        }
        try await world.test { client in
            let (_, page) = try await Self.get(client, "/account", member.session)
            #expect(page.contains("<option value=\"\(try await world.tenantID)\" selected>Client A (1000)</option>"), "the current one is chosen")
            #expect(page.contains("<option value=\"\(other.id)\">Client B (2000)</option>"))
            let switched = try await Self.post(client, "/account/tenant", member.session, "csrf=\(member.csrf)&tenant=\(other.id)")
            #expect(switched.status == .seeOther)
            let (_, after) = try await Self.get(client, "/account", member.session)
            #expect(after.contains("<dd id=\"account-tenant\">Client B</dd>"))
        }
    }

    @Test func aWrongEditShowsEachMessageNextToItsFieldAndKeepsWhatWasTyped() async throws {
        let world = try await World()
        let member = world.base.member
        let long = String(repeating: "x", count: 101)
        try await world.test { client in
            let refused = try await Self.post(client, "/account/profile", member.session,
                                              "csrf=\(member.csrf)&firstName=Ada&lastName=\(long)&phone=\(urlEncoded("appelez-moi"))&language=en")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.showsError("This text is too long (100 characters at most).", nextTo: "lastName"))
            #expect(refused.body.showsError("This is not a phone number: digits (6 to 20), with spaces, dots, dashes or a leading +.", nextTo: "phone"))
            #expect(refused.body.keeps("appelez-moi", in: "phone"))
            #expect(refused.body.keeps(long, in: "lastName"))
            #expect(refused.body.keeps("Ada", in: "firstName"))
            #expect(try await world.base.accountStore.user(id: member.user.id)?.lastName == "L", "nothing saved")

            let forged = try await Self.post(client, "/account/profile", member.session, "csrf=wrong&firstName=Ada&lastName=King&phone=0102030405&language=en")
            #expect(forged.status == .forbidden)

            let saved = try await Self.post(client, "/account/profile", member.session,
                                            "csrf=\(member.csrf)&firstName=Ada&lastName=King&phone=\(urlEncoded("+33 1 23 45 67 89"))&language=fr")
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/account?notice=profile_saved")
            #expect(saved.headers[values: .setCookie].contains { $0.hasPrefix("lang=fr") }, "the pages speak the chosen language from now on")
            let user = try #require(try await world.base.accountStore.user(id: member.user.id))
            #expect((user.firstName, user.lastName, user.phone, user.language) == ("Ada", "King", "+33 1 23 45 67 89", "fr"))
            let (_, page) = try await Self.get(client, "/account?notice=profile_saved", member.session)
            #expect(page.contains("<dd id=\"account-name\">Ada King</dd>"))
            #expect(page.contains("id=\"notice\""))
        }
    }

    @Test func activityShowsMySignInsAndPasswordChangesWithDatesAndNeverAnothersTrail() async throws {
        let world = try await World()
        guard case .success(let session, _, _) = try await world.accounts.login(email: "member@client.fr", password: "Secret#2026",
                                                                                 clientAddress: "activity") else { throw SupportError("login failed") }
        let csrf = try #require(try await world.accounts.session(id: session)).session.csrfToken
        let admin = world.base.admin
        try await world.test { client in
            let changed = try await Self.post(client, "/password/change", session,
                                              "csrf=\(csrf)&current=\(urlEncoded("Secret#2026"))&password=\(urlEncoded("Autre#Secret2027"))&confirmation=\(urlEncoded("Autre#Secret2027"))")
            #expect(changed.status == .seeOther)
            let (status, page) = try await Self.get(client, "/account/activity", session)
            #expect(status == .ok)
            #expect(page.contains("id=\"tab-activity\" aria-current=\"page\""))
            let signIn = try #require(page.range(of: "Signed in with your password"))
            let change = try #require(page.range(of: "Password changed"))
            #expect(change.lowerBound < signIn.lowerBound, "newest first")
            #expect(page.occurrences(of: "<time datetime=\"") == 2, "each line has its date")
            #expect(page.contains(String(Calendar(identifier: .gregorian).component(.year, from: Date()))), "a date in words")

            let (_, others) = try await Self.get(client, "/account/activity", admin.session)
            #expect(!others.contains("Password changed"), "the administrator's trail holds nothing of the member's")
            #expect(others.contains("id=\"activity-empty\""))
            let (bad, _) = try await Self.get(client, "/account/activity?before=not-a-date", session)
            #expect(bad == .badRequest)
        }
    }

    @Test func activityPagesOnToOlderEntries() async throws {
        let world = try await World()
        let member = world.base.member
        for index in 1...25 {
            try await SQLiteActivityStore(database: world.base.database).record(
                ActivityEntry(userID: member.user.id, kind: .ticketOpened, subject: String(format: "CS%07d", index), link: "/requests/CS\(index)",
                              at: Date(timeIntervalSince1970: 1_790_000_000 + Double(index) * 60)))
        }
        try await world.test { client in
            let (_, first) = try await Self.get(client, "/account/activity", member.session)
            #expect(first.contains("Request CS0000025 opened"))
            #expect(!first.contains("Request CS0000005 opened"))
            #expect(first.contains("<a href=\"/requests/CS25\">"))
            let older = try #require(first.range(of: "href=\"/account/activity?before=").map { first[$0.upperBound...].prefix { $0 != "\"" } })
            let (_, second) = try await Self.get(client, "/account/activity?before=\(older)", member.session)
            #expect(second.contains("Request CS0000005 opened"))
            #expect(!second.contains("Request CS0000006 opened"), "each entry on one page only")
            #expect(!second.contains("id=\"activity-older\""))
        }
    }

    @Test func notificationsListMarkReadAndAnotherUsersIsNotFound() async throws {
        let world = try await World()
        let member = world.base.member, admin = world.base.admin
        try await world.notifier.notify(userID: member.user.id, kind: .ticketUpdate, title: "New reply to your request CS0000001",
                                        link: "/requests/CS0000001", mail: nil)
        try await world.notifier.notify(userID: member.user.id, kind: .statusEvent, title: "Incident on Cegid Loop", link: "https://evil.example/",
                                        mail: nil)
        let mine = try await world.notifier.notifications(userID: member.user.id)
        let (incident, reply) = (mine[0], mine[1])
        try await world.test { client in
            let (status, page) = try await Self.get(client, "/notifications", member.session)
            #expect(status == .ok)
            #expect(page.contains("2 unread notifications"))
            #expect(page.occurrences(of: "class=\"notification unread\"") == 2)
            #expect(try #require(page.range(of: "Incident on Cegid Loop")).lowerBound < #require(page.range(of: "New reply")).lowerBound, "newest first")
            #expect(page.contains("action=\"/notifications/\(reply.id)/open\""))

            // Another user's id: 404, and it stays unread.
            #expect(try await Self.post(client, "/notifications/\(reply.id)/read", admin.session, "csrf=\(admin.csrf)").status == .notFound)
            #expect(try await Self.post(client, "/notifications/\(reply.id)/open", admin.session, "csrf=\(admin.csrf)").status == .notFound)
            #expect(try await world.notifier.unreadCount(userID: member.user.id) == 2)
            #expect(try await Self.post(client, "/notifications/\(reply.id)/read", member.session, "csrf=wrong").status == .forbidden)

            let opened = try await Self.post(client, "/notifications/\(reply.id)/open", member.session, "csrf=\(member.csrf)")
            #expect(opened.status == .seeOther)
            #expect(opened.headers[.location] == "/requests/CS0000001")
            #expect(try await world.notifier.unreadCount(userID: member.user.id) == 1)
            let (_, after) = try await Self.get(client, "/notifications", member.session)
            #expect(after.contains("1 unread notification"))
            #expect(!after.contains("action=\"/notifications/\(incident.id)/open\""), "a link to another site is not offered")

            let read = try await Self.post(client, "/notifications/\(incident.id)/open", member.session, "csrf=\(member.csrf)")
            #expect(read.headers[.location] == "/notifications", "never sent to another site")
            #expect(try await world.notifier.unreadCount(userID: member.user.id) == 0)
        }
    }

    @Test func markAllReadAndTheChoicePerKind() async throws {
        let world = try await World()
        let member = world.base.member
        for title in ["One", "Two"] { try await world.notifier.notify(userID: member.user.id, kind: .serviceDecision, title: title, mail: nil) }
        try await world.test { client in
            let all = try await Self.post(client, "/notifications/read-all", member.session, "csrf=\(member.csrf)")
            #expect(all.status == .seeOther)
            #expect(try await world.notifier.unreadCount(userID: member.user.id) == 0)

            let (_, page) = try await Self.get(client, "/notifications", member.session)
            #expect(page.contains("id=\"statusEvent-portal\" checked"), "status events: in the portal until chosen")
            #expect(page.contains("id=\"serviceDecision-both\" checked"))
            let saved = try await Self.post(client, "/notifications/preferences", member.session,
                                            "csrf=\(member.csrf)&serviceDecision=mail&statusEvent=both&ticketUpdate=portal")
            #expect(saved.status == .seeOther)
            #expect(try await world.notifier.deliveries(userID: member.user.id) == [.serviceDecision: .mail, .statusEvent: .both, .ticketUpdate: .portal])
            let bad = try await Self.post(client, "/notifications/preferences", member.session, "csrf=\(member.csrf)&serviceDecision=pigeon")
            #expect(bad.status == .badRequest)
            #expect(try await world.notifier.deliveries(userID: member.user.id)[.serviceDecision] == .mail, "nothing changed")
            let (_, french) = try await client.execute(uri: "/notifications?lang=fr", method: .get, headers: pageHeaders(session: member.session)) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(french.contains("Tout marquer comme lu") || french.contains("Aucune notification non lue"))
            #expect(french.contains("Incidents et maintenances sur mes services"))
        }
    }

    /// The SERVICES side calls `Notifier` from `ServiceCatalog.decide`; until that branch is
    /// merged the decision's notification is written here as the catalog will write it.
    @Test func aDecisionGivesExactlyOneNotificationAndTheCountDropsWhenItIsRead() async throws {
        let world = try await World()
        let member = world.base.member
        let tenantID = try await world.tenantID
        let catalog = world.base.serviceCatalog
        let service = try await catalog.createService(.init(name: "Cegid Loop", family: "Services en ligne", description: ""), by: world.base.operatorLogin.user)
        let request = try await catalog.request(serviceID: service.id, by: member.user, tenantID: tenantID)
        let decided = try await catalog.decide(.accept, subscriptionID: request.id, by: world.base.admin.user, tenantID: tenantID)
        if try await world.notifier.unreadCount(userID: member.user.id) == 0 {
            try await world.notifier.notify(userID: member.user.id, kind: .serviceDecision, title: "Access to \(decided.service.name) accepted",
                                            link: "/account/services", mail: nil)
        }
        try await world.test { client in
            let (_, page) = try await Self.get(client, "/notifications", member.session)
            #expect(page.contains("1 unread notification"))
            #expect(page.occurrences(of: "class=\"notification unread\"") == 1, "exactly one")
            let id = try #require(try await world.notifier.notifications(userID: member.user.id).first?.id)
            #expect(try await Self.post(client, "/notifications/\(id)/read", member.session, "csrf=\(member.csrf)").status == .seeOther)
            let (_, after) = try await Self.get(client, "/notifications", member.session)
            #expect(after.contains("No unread notification."))
        }
    }
}
