import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Notify
import Portal
import StatusModel
import StatusWeb
import Testing

/// Every route on a tenant's objects, asked by another tenant's administrator, by a member,
/// by nobody, or without the form's token: 404, 403 or the login page, and nothing changes.
@Suite struct TenantIsolationTests {
    struct World {
        let site: SiteDependencies<SQLiteStatusStore>
        let database: SQLiteDatabase
        let accounts: AccountService
        let store: SQLiteAccountStore
        let tenantA: Tenant, tenantB: Tenant
        let adminA: (user: User, session: String, csrf: String)
        let memberA: (user: User, session: String, csrf: String)
        let memberB: User
        let adminB: User

        init() async throws {
            let database = try SQLiteDatabase.inMemory(migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()])
            self.database = database
            let store = SQLiteAccountStore(database: database)
            let accounts = AccountService(store: store, baseURL: "http://status.test", bcryptCost: 4)
            self.store = store
            self.accounts = accounts
            let tenantA = try await store.createTenant(Tenant(code: "1000", name: "A"))
            let tenantB = try await store.createTenant(Tenant(code: "2000", name: "B"))
            self.tenantA = tenantA
            self.tenantB = tenantB
            func activeUser(_ email: String, _ tenant: Tenant, _ role: Membership.Role) async throws -> User {
                _ = try await accounts.invite(email, tenantID: tenant.id, role: role, language: "fr", invitedBy: Inviter(name: "Test", email: "test@vendor.fr"))
                let user = try #require(try await store.user(email: email))
                let token = Secrets.token()
                try await store.issueToken(userID: user.id, purpose: .activation, tokenHash: Secrets.hash(token), expiresAt: Date().addingTimeInterval(3600),
                                           mail: Mail(to: email, subject: "s", text: "t", language: "fr"), now: Date())
                return try await accounts.activate(token: token, form: .init(firstName: "F", lastName: "L", phone: "1", password: "Secret#2026", confirmation: "Secret#2026"))
            }
            func login(_ user: User) async throws -> (user: User, session: String, csrf: String) {
                guard case .success(let id, _, _) = try await accounts.login(email: user.email, password: "Secret#2026", clientAddress: "t") else {
                    throw SupportError("login failed")
                }
                return (user, id, try #require(try await accounts.session(id: id)).session.csrfToken)
            }
            let a = try await activeUser("admin@a.fr", tenantA, .admin)
            let m = try await activeUser("member@a.fr", tenantA, .member)
            adminB = try await activeUser("admin@b.fr", tenantB, .admin)
            memberB = try await activeUser("member@b.fr", tenantB, .member)
            adminA = try await login(a)
            memberA = try await login(m)
            let calendar = DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!)
            site = try await SiteDependencies(store: SQLiteStatusStore(database: database, calendar: calendar), calendar: calendar, historyDays: 25,
                                        baseURL: "http://status.test", logger: Logger(label: "test"), accounts: accounts)
        }

        func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            try await Application(router: buildRouter(site: site)).test(.router, body)
        }

        func membersOfB() async throws -> [String] {
            try await accounts.members(tenantID: tenantB.id).map { "\($0.user.email):\($0.role.rawValue)" }
        }
    }

    static func form(_ session: String, _ body: String) -> (HTTPFields, ByteBuffer) {
        var headers = HTTPFields()
        headers[.cookie] = "sid=\(session)"
        headers[.contentType] = "application/x-www-form-urlencoded"
        return (headers, ByteBuffer(string: body))
    }

    @Test(arguments: ["remove", "resend", "role"])
    func anotherTenantsAdminGets404AndNothingChanges(action: String) async throws {
        let world = try await World()
        let before = try await world.membersOfB()
        let (headers, body) = Self.form(world.adminA.session, "csrf=\(world.adminA.csrf)&role=admin")
        try await world.test { client in
            try await client.execute(uri: "/admin/users/\(world.memberB.id)/\(action)", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .notFound)
            }
        }
        #expect(try await world.membersOfB() == before)
    }

    @Test func theAdminActsOnItsOwnTenantsUsers() async throws {
        let world = try await World()
        let (headers, body) = Self.form(world.adminA.session, "csrf=\(world.adminA.csrf)&role=admin")
        try await world.test { client in
            try await client.execute(uri: "/admin/users/\(world.memberA.user.id)/role", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try await world.accounts.members(tenantID: world.tenantA.id).first { $0.user.id == world.memberA.user.id }?.role == .admin)
    }

    @Test func aTenantKeepsItsLastAdministrator() async throws {
        let world = try await World()
        let (headers, body) = Self.form(world.adminA.session, "csrf=\(world.adminA.csrf)&role=member")
        try await world.test { client in
            try await client.execute(uri: "/admin/users/\(world.adminA.user.id)/role", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("garde au moins un administrateur"))
            }
        }
        #expect(try await world.accounts.members(tenantID: world.tenantA.id).first { $0.user.id == world.adminA.user.id }?.role == .admin)
    }

    @Test(arguments: [("/admin/users", HTTPRequest.Method.get), ("/admin/users/invite", .post), ("/admin/users/1/remove", .post),
                      ("/admin/users/1/resend", .post), ("/admin/users/1/role", .post), ("/admin/groups", .post),
                      ("/admin/groups/1/members", .post), ("/admin/api-keys", .post), ("/admin/api-keys/1/revoke", .post),
                      ("/staff/tenants", .get), ("/staff/tenants", .post)])
    func aMemberGets403OnAdminPages(uri: String, method: HTTPRequest.Method) async throws {
        let world = try await World()
        let before = try await world.accounts.members(tenantID: world.tenantA.id).count
        let (headers, body) = Self.form(world.memberA.session, "csrf=\(world.memberA.csrf)&emails=new@a.fr&groupName=G&keyName=K&user=1&code=9&name=N&admin=x%40y.fr")
        try await world.test { client in
            try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(try await world.accounts.members(tenantID: world.tenantA.id).count == before)
        #expect(try await world.accounts.groups(tenantID: world.tenantA.id).isEmpty)
        #expect(try await world.accounts.apiKeys(tenantID: world.tenantA.id).isEmpty)
        #expect(try await world.store.tenant(code: "9") == nil)
    }

    @Test func nobodyLoggedInIsSentToTheLoginPage() async throws {
        let world = try await World()
        try await world.test { client in
            try await client.execute(uri: "/admin/users?state=active", method: .get) { response in
                #expect(response.status == .seeOther)
                // Back to the same page, query included, once signed in.
                #expect(response.headers[.location] == "/login?next=/admin/users%3Fstate%3Dactive")
            }
        }
    }

    @Test func aFormWithoutItsTokenChangesNothing() async throws {
        let world = try await World()
        let (headers, body) = Self.form(world.adminA.session, "emails=intruder@a.fr")
        try await world.test { client in
            try await client.execute(uri: "/admin/users/invite", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(try await world.store.user(email: "intruder@a.fr") == nil)
    }

    @Test func switchingToAnotherUsersTenantIs404() async throws {
        let world = try await World()
        let (headers, body) = Self.form(world.adminA.session, "csrf=\(world.adminA.csrf)&tenant=\(world.tenantB.id)")
        try await world.test { client in
            try await client.execute(uri: "/account/tenant", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .notFound)
            }
        }
        #expect(try await world.accounts.session(id: world.adminA.session)?.session.tenantID == world.tenantA.id)
    }

    @Test func sessionCookieIsHttpOnlyLaxAndNewAtEachLogin() async throws {
        let world = try await World()
        try await world.test { client in
            let csrfCookie = try await client.execute(uri: "/login", method: .get) { response in
                try #require(response.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            }
            let token = String(csrfCookie.dropFirst("csrf=".count))
            var headers = HTTPFields()
            headers[.cookie] = csrfCookie
            headers[.contentType] = "application/x-www-form-urlencoded"
            var first = ""
            for _ in 0..<2 {
                try await client.execute(uri: "/login/password", method: .post, headers: headers,
                                         body: ByteBuffer(string: "csrf=\(token)&email=admin%40a.fr&password=Secret%232026")) { response in
                    #expect(response.status == .seeOther)
                    let cookie = try #require(response.headers[.setCookie])
                    #expect(cookie.hasPrefix("sid="))
                    #expect(cookie.contains("HttpOnly"))
                    #expect(cookie.lowercased().contains("samesite=lax"))
                    #expect(cookie != first, "a new session id at each login")
                    first = cookie
                }
            }
        }
    }
}

struct SupportError: Error { let message: String; init(_ message: String) { self.message = message } }

@Suite struct APIKeyTests {
    @Test func aKeyIsShownOnceStoredHashedWorksAsBearerUntilRevoked() async throws {
        let world = try await TenantIsolationTests.World()
        let created = try await world.accounts.createAPIKey(tenantID: world.tenantA.id, name: "Supervision")
        let secret = created.secret
        let keyID = created.key.id
        try await world.test { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(secret)"
            try await client.execute(uri: "/api/v1/tenant", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"code\":\"1000\""))
            }
            try await client.execute(uri: "/api/v1/tenant", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            }
            // B's admin cannot revoke A's key by its number.
            let other = try await world.accounts.members(tenantID: world.tenantB.id).first { $0.role == .admin }!.user
            guard case .success(let otherSession, _, _) = try await world.accounts.login(email: other.email, password: "Secret#2026", clientAddress: "t") else {
                Issue.record("login failed"); return
            }
            let csrf = try #require(try await world.accounts.session(id: otherSession)).session.csrfToken
            let (formHeaders, body) = TenantIsolationTests.form(otherSession, "csrf=\(csrf)")
            try await client.execute(uri: "/admin/api-keys/\(keyID)/revoke", method: .post, headers: formHeaders, body: body) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/tenant", method: .get, headers: headers) { response in
                #expect(response.status == .ok, "still valid")
            }
            try await world.accounts.revokeAPIKey(id: keyID, tenantID: world.tenantA.id)
            try await client.execute(uri: "/api/v1/tenant", method: .get, headers: headers) { response in
                #expect(response.status == .unauthorized)
            }
        }
        let stored = try await world.store.apiKeys(tenantID: world.tenantA.id)
        #expect(stored.count == 1)
        #expect(secret.hasPrefix(stored[0].prefix), "the list shows the key's first characters")
        #expect(stored[0].revokedAt != nil)
        #expect(try await world.store.apiKey(hash: secret) == nil, "the key itself is not what is stored")
    }
}

@Suite struct GroupTests {
    @Test func groupsHoldOnlyTheTenantsUsersAndAnotherTenantGets404() async throws {
        let world = try await TenantIsolationTests.World()
        let groupA = try await world.accounts.createGroup(tenantID: world.tenantA.id, name: "Comptabilité")
        let groupB = try await world.accounts.createGroup(tenantID: world.tenantB.id, name: "Support")
        let (headers, _) = TenantIsolationTests.form(world.adminA.session, "")
        try await world.test { client in
            for (group, user, expected) in [(groupA.id, world.memberA.user.id, HTTPResponse.Status.ok),
                                            (groupA.id, world.memberB.id, .notFound),   // B's user into A's group
                                            (groupB.id, world.memberA.user.id, .notFound)] { // A's user into B's group
                let body = ByteBuffer(string: "csrf=\(world.adminA.csrf)&user=\(user)&action=add")
                try await client.execute(uri: "/admin/groups/\(group)/members", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == expected)
                }
            }
        }
        #expect(try await world.accounts.groups(tenantID: world.tenantA.id).first?.memberIDs == [world.memberA.user.id])
        #expect(try await world.accounts.groups(tenantID: world.tenantB.id).first?.memberIDs == [])
        await #expect(throws: FormErrors("groupName", "group_exists")) {
            try await world.accounts.createGroup(tenantID: world.tenantA.id, name: "comptabilité")
        }
    }
}

@Suite struct StaffTests {
    @Test func onlyOperatorsCreateTenantsAndTheirFirstAdministrator() async throws {
        let world = try await TenantIsolationTests.World()
        let link = try #require(try await world.accounts.createStaffUser(email: "ops@vendor.fr", role: .operator_))
        let token = String(link.split(separator: "/").last ?? "")
        _ = try await world.accounts.activate(token: token, form: .init(firstName: "O", lastName: "P", phone: "1", password: "Secret#2026", confirmation: "Secret#2026"))
        guard case .success(let session, _, _) = try await world.accounts.login(email: "ops@vendor.fr", password: "Secret#2026", clientAddress: "t") else {
            Issue.record("login failed"); return
        }
        let csrf = try #require(try await world.accounts.session(id: session)).session.csrfToken
        try await world.test { client in
            // A tenant's administrator is not staff.
            let (adminHeaders, adminBody) = TenantIsolationTests.form(world.adminA.session, "csrf=\(world.adminA.csrf)&code=3000&name=C&admin=c%40c.fr")
            try await client.execute(uri: "/staff/tenants", method: .post, headers: adminHeaders, body: adminBody) { response in
                #expect(response.status == .forbidden)
            }
            let (headers, body) = TenantIsolationTests.form(session, "csrf=\(csrf)&code=1000&name=&admin=nope")
            try await client.execute(uri: "/staff/tenants", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.contains("Ce code client existe déjà.") || html.contains("Ce champ est obligatoire."))
                #expect(html.contains("value=\"1000\""), "the input is kept")
            }
            let (okHeaders, okBody) = TenantIsolationTests.form(session, "csrf=\(csrf)&code=3000&name=Client+C&address=Lyon&admin=boss%40c.fr")
            try await client.execute(uri: "/staff/tenants", method: .post, headers: okHeaders, body: okBody) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("data-code=\"3000\""))
            }
        }
        let tenant = try #require(try await world.store.tenant(code: "3000"))
        #expect(try await world.accounts.members(tenantID: tenant.id).map { "\($0.user.email):\($0.role.rawValue)" } == ["boss@c.fr:admin"])
        #expect(world.tenantA.code != tenant.code)
    }
}

@Suite struct OutboxPageTests {
    @Test func operatorsSeeDeadLettersAndSendThemAgainOthersGet403() async throws {
        let base = try await TenantIsolationTests.World()
        let outbox = SQLiteOutboxStore(database: base.database)
        let id = try await outbox.enqueue(Mail(to: "gone@client.fr", subject: "Activez votre compte", text: "t", language: "fr"), now: Date())
        try await outbox.markDead(id: id, reason: "550 5.1.1 no such user", at: Date())
        let calendar = DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!)
        let site = try await SiteDependencies(store: SQLiteStatusStore(database: base.database, calendar: calendar), calendar: calendar, historyDays: 25,
                                        baseURL: "http://status.test", logger: Logger(label: "test"), accounts: base.accounts, outbox: outbox)
        let link = try #require(try await base.accounts.createStaffUser(email: "ops@vendor.fr", role: .operator_))
        _ = try await base.accounts.activate(token: String(link.split(separator: "/").last ?? ""),
                                             form: .init(firstName: "O", lastName: "P", phone: "1", password: "Secret#2026", confirmation: "Secret#2026"))
        guard case .success(let session, _, _) = try await base.accounts.login(email: "ops@vendor.fr", password: "Secret#2026", clientAddress: "t") else {
            Issue.record("login failed"); return
        }
        let csrf = try #require(try await base.accounts.session(id: session)).session.csrfToken
        try await Application(router: buildRouter(site: site)).test(.router) { client in
            var headers = HTTPFields()
            headers[.cookie] = "sid=\(session)"
            try await client.execute(uri: "/staff/outbox?lang=en", method: .get, headers: headers) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("gone@client.fr"))
                #expect(html.contains("550 5.1.1 no such user"))
                #expect(html.contains("<strong id=\"count-dead\">1</strong>"))
            }
            var adminHeaders = HTTPFields()
            adminHeaders[.cookie] = "sid=\(base.adminA.session)"
            try await client.execute(uri: "/staff/outbox", method: .get, headers: adminHeaders) { response in
                #expect(response.status == .forbidden)
            }
            let (formHeaders, body) = TenantIsolationTests.form(session, "csrf=\(csrf)")
            try await client.execute(uri: "/staff/outbox/\(id)/requeue", method: .post, headers: formHeaders, body: body) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try await outbox.message(id: id)?.state == .pending)
        #expect(try await outbox.countsByState()[.dead, default: 0] == 0)
    }
}
