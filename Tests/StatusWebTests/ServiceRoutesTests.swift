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

/// The service catalog's pages: operators manage it, users request access, the tenant's
/// administrators decide, the dashboard counts; another tenant's request is 404 and unchanged.
@Suite struct ServiceRoutesTests {
    struct World {
        let base: TenantIsolationTests.World
        let catalog: ServiceCatalog
        let site: SiteDependencies<SQLiteStatusStore>
        let staff: (user: User, session: String, csrf: String)
        let adminB: (session: String, csrf: String)

        init() async throws {
            base = try await TenantIsolationTests.World()
            catalog = ServiceCatalog(store: SQLiteServiceStore(database: base.database), accounts: base.store, baseURL: "http://status.test")
            let calendar = DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!)
            site = try await SiteDependencies(store: SQLiteStatusStore(database: base.database, calendar: calendar), calendar: calendar, historyDays: 25,
                                        baseURL: "http://status.test", logger: Logger(label: "test"), accounts: base.accounts, serviceCatalog: catalog)
            let link = try #require(try await base.accounts.createStaffUser(email: "ops@vendor.fr", role: .operator_))
            let user = try await base.accounts.activate(token: String(link.split(separator: "/").last ?? ""),
                                                        form: .init(firstName: "O", lastName: "P", phone: "1", password: "Secret#2026", confirmation: "Secret#2026"))
            staff = try await Self.login(base.accounts, user)
            let b = try await Self.login(base.accounts, base.adminB)
            adminB = (b.session, b.csrf)
        }

        static func login(_ accounts: AccountService, _ user: User) async throws -> (user: User, session: String, csrf: String) {
            guard case .success(let id, _, _) = try await accounts.login(email: user.email, password: "Secret#2026", clientAddress: "t") else {
                throw SupportError("login failed")
            }
            return (user, id, try #require(try await accounts.session(id: id)).session.csrfToken)
        }

        func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            try await Application(router: buildRouter(site: site)).test(.router, body)
        }

        /// A service in the catalog and memberA's pending request for it.
        func pendingRequest() async throws -> (service: Service, request: ServiceSubscription) {
            let service = try await catalog.createService(.init(name: "Cegid Stream", family: "Services en ligne", description: "Diffusion"), by: staff.user)
            return (service, try await catalog.request(serviceID: service.id, by: base.memberA.user, tenantID: base.tenantA.id))
        }

        func stateOf(_ id: Int64) async throws -> ServiceSubscription.State? {
            try await catalog.requests(tenantID: base.tenantA.id, by: base.adminA.user).first { $0.id == id }?.subscription.state
        }

        /// Every mail queued so far, oldest first (outbox ids count up from 1; nothing is deleted here).
        func mails() async throws -> [Mail] {
            let outbox = SQLiteOutboxStore(database: base.database)
            var mails: [Mail] = []
            var id: Int64 = 1
            while let message = try await outbox.message(id: id) {
                mails.append(message.mail)
                id += 1
            }
            return mails
        }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String, _ session: String) async throws -> (HTTPResponse.Status, String) {
        var headers = HTTPFields()
        headers[.cookie] = "sid=\(session)"
        return try await client.execute(uri: uri, method: .get, headers: headers) { ($0.status, String(buffer: $0.body)) }
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, _ session: String, _ body: String) async throws -> (HTTPResponse.Status, String) {
        let (headers, buffer) = TenantIsolationTests.form(session, body)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: buffer) { ($0.status, String(buffer: $0.body)) }
    }

    @Test func anOperatorCreatesAUserRequestsTheAdminAcceptsAndTheDashboardCounts() async throws {
        let world = try await World()
        let member = world.base.memberA, admin = world.base.adminA, staff = world.staff
        try await world.test { client in
            // The operator's form keeps the input and says what is wrong, next to the field.
            var (status, html) = try await Self.post(client, "/staff/services", staff.session, "csrf=\(staff.csrf)&name=&family=Services+en+ligne")
            #expect(status == .unprocessableContent)
            #expect(html.contains("id=\"name-error\">Ce champ est obligatoire."))
            #expect(html.contains("value=\"Services en ligne\""))
            (status, html) = try await Self.post(client, "/staff/services", staff.session,
                                                 "csrf=\(staff.csrf)&name=Cegid+Stream&family=Services+en+ligne&description=Diffusion&needsValidation=on")
            #expect(status == .ok)
            #expect(html.contains("Service créé : Cegid Stream"))
            let service = try #require(try await world.catalog.activeServices().first)

            (status, html) = try await Self.get(client, "/admin", admin.session)
            #expect(html.contains("<strong id=\"count-services\">0</strong>"))
            #expect(html.contains("<strong id=\"count-new-requests\">0</strong>"))
            #expect(html.contains("href=\"/admin/services\""))

            (status, html) = try await Self.get(client, "/services", member.session)
            #expect(status == .ok)
            #expect(html.contains("Cegid Stream"))
            #expect(html.contains("Non demandé"))
            #expect(html.contains("action=\"/services/\(service.id)/request\""), "Demander l'accès is offered")
            (status, html) = try await Self.post(client, "/services/\(service.id)/request", member.session, "csrf=\(member.csrf)")
            #expect(status == .ok)
            #expect(html.contains("data-state=\"pending\""))
            #expect(html.contains("En attente de validation"))
            (status, _) = try await Self.post(client, "/services/\(service.id)/request", member.session, "csrf=\(member.csrf)")
            #expect(status == .conflict, "not twice while pending")

            (status, html) = try await Self.get(client, "/admin", admin.session)
            #expect(html.contains("<strong id=\"count-services\">0</strong>"))
            #expect(html.contains("<strong id=\"count-new-requests\">1</strong>"))

            let request = try #require(try await world.catalog.requests(tenantID: world.base.tenantA.id, by: admin.user).first)
            (status, html) = try await Self.get(client, "/admin/requests", admin.session)
            #expect(html.contains("data-request=\"\(request.id)\" data-state=\"pending\""))
            #expect(html.contains("member@a.fr"))
            (status, html) = try await Self.post(client, "/admin/requests/\(request.id)/accept", admin.session, "csrf=\(admin.csrf)")
            #expect(status == .ok)
            #expect(html.contains("Demande acceptée : Cegid Stream"))

            (status, html) = try await Self.get(client, "/admin", admin.session)
            #expect(html.contains("<strong id=\"count-services\">1</strong>"))
            #expect(html.contains("<strong id=\"count-new-requests\">0</strong>"))
            (status, html) = try await Self.get(client, "/services?lang=en", member.session)
            #expect(html.contains("data-state=\"accepted\""))
            #expect(html.contains("Accepted"))
            // Accepting twice (two tabs) changes nothing and says so.
            (status, html) = try await Self.post(client, "/admin/requests/\(request.id)/accept", admin.session, "csrf=\(admin.csrf)")
            #expect(status == .conflict)
        }
        let mails = try await world.mails().filter { $0.subject.contains("Cegid Stream") }
        #expect(mails.map(\.to) == ["member@a.fr"])
        #expect(mails.first?.subject == "Votre accès à Cegid Stream est accepté")
        #expect(mails.first?.text.contains("http://status.test/account/services") == true)
    }

    @Test func aRefusalKeepsItsReasonAndATooLongOneIsShownNextToTheField() async throws {
        let world = try await World()
        let (_, request) = try await world.pendingRequest()
        let admin = world.base.adminA
        let long = String(repeating: "x", count: 501)
        try await world.test { client in
            var (status, html) = try await Self.post(client, "/admin/requests/\(request.id)/refuse", admin.session, "csrf=\(admin.csrf)&reason=\(long)")
            #expect(status == .unprocessableContent)
            #expect(html.contains("id=\"reason-error\">Ce texte est trop long."))
            #expect(html.contains(">\(long)</textarea>"), "the input is kept")
            #expect(try await world.stateOf(request.id) == .pending)
            (status, html) = try await Self.post(client, "/admin/requests/\(request.id)/refuse", admin.session, "csrf=\(admin.csrf)&reason=Licences+%C3%A9puis%C3%A9es")
            #expect(status == .ok)
            (status, html) = try await Self.get(client, "/services", world.base.memberA.session)
            #expect(html.contains("Refusé : Licences épuisées"))
        }
        #expect(try await world.mails().last?.text.contains("Motif : Licences épuisées") == true)
    }

    @Test(arguments: ["accept", "refuse", "suspend", "reactivate"])
    func anotherTenantsAdminGets404AndNothingChanges(action: String) async throws {
        let world = try await World()
        let (_, request) = try await world.pendingRequest()
        if action == "reactivate" {
            try await world.catalog.decide(.accept, subscriptionID: request.id, by: world.base.adminA.user, tenantID: world.base.tenantA.id)
            try await world.catalog.decide(.suspend, subscriptionID: request.id, by: world.base.adminA.user, tenantID: world.base.tenantA.id)
        } else if action == "suspend" {
            try await world.catalog.decide(.accept, subscriptionID: request.id, by: world.base.adminA.user, tenantID: world.base.tenantA.id)
        }
        let before = try await world.stateOf(request.id)
        let mailsBefore = try await world.mails().count
        try await world.test { client in
            let (status, _) = try await Self.post(client, "/admin/requests/\(request.id)/\(action)", world.adminB.session, "csrf=\(world.adminB.csrf)&reason=no")
            #expect(status == .notFound)
            let (_, html) = try await Self.get(client, "/admin/requests", world.adminB.session)
            #expect(!html.contains("member@a.fr"), "B's administrator never sees A's requests")
        }
        #expect(try await world.stateOf(request.id) == before)
        #expect(try await world.mails().count == mailsBefore)
    }

    @Test(arguments: [("/admin/requests", HTTPRequest.Method.get), ("/admin/requests/REQ/accept", .post), ("/admin/requests/REQ/refuse", .post)])
    func aMemberGets403OnTheAdministratorsPages(uri: String, method: HTTPRequest.Method) async throws {
        let world = try await World()
        let (_, request) = try await world.pendingRequest()
        let member = world.base.memberA
        try await world.test { client in
            let (headers, body) = TenantIsolationTests.form(member.session, "csrf=\(member.csrf)")
            try await client.execute(uri: uri.replacingOccurrences(of: "REQ", with: String(request.id)), method: method, headers: headers, body: body) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(try await world.stateOf(request.id) == .pending)
    }

    @Test(arguments: [("/staff/services", HTTPRequest.Method.get), ("/staff/services", .post), ("/staff/services/SVC", .get),
                      ("/staff/services/SVC", .post), ("/staff/services/SVC/retire", .post)])
    func aCustomerGets403OnTheCatalogsAdministration(uri: String, method: HTTPRequest.Method) async throws {
        let world = try await World()
        let (service, _) = try await world.pendingRequest()
        let admin = world.base.adminA
        try await world.test { client in
            let (headers, body) = TenantIsolationTests.form(admin.session, "csrf=\(admin.csrf)&name=Pirate&family=F")
            try await client.execute(uri: uri.replacingOccurrences(of: "SVC", with: String(service.id)), method: method, headers: headers, body: body) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(try await world.catalog.activeServices() == [service])
    }

    @Test func operatorsEditRetireAndRestoreAndBadIdsAre404() async throws {
        let world = try await World()
        let (service, _) = try await world.pendingRequest()
        let staff = world.staff, member = world.base.memberA
        try await world.test { client in
            var (status, html) = try await Self.get(client, "/staff/services/\(service.id)", staff.session)
            #expect(status == .ok)
            #expect(html.contains("value=\"Cegid Stream\""))
            (status, html) = try await Self.post(client, "/staff/services/\(service.id)", staff.session, "csrf=\(staff.csrf)&name=Cegid+Stream+2&family=")
            #expect(status == .unprocessableContent)
            #expect(html.contains("id=\"family-error\""))
            #expect(html.contains("value=\"Cegid Stream 2\""))
            (status, _) = try await Self.post(client, "/staff/services/\(service.id)", staff.session, "csrf=\(staff.csrf)&name=Cegid+Stream+2&family=Vid%C3%A9o")
            #expect(status == .ok)
            (status, _) = try await Self.post(client, "/staff/services/\(service.id)/retire", staff.session, "csrf=\(staff.csrf)")
            #expect(status == .ok)
            (status, html) = try await Self.get(client, "/services", member.session)
            #expect(html.contains("Cegid Stream 2 (Retiré)"), "the user still sees their subscription to a retired service")
            #expect(!html.contains("/services/\(service.id)/request"))
            for (uri, method) in [("/staff/services/abc", HTTPRequest.Method.get), ("/staff/services/9999", .get), ("/staff/services/9999", .post),
                                  ("/staff/services/9999/retire", .post), ("/staff/services/\(service.id)/explode", .post)] {
                let (headers, body) = TenantIsolationTests.form(staff.session, "csrf=\(staff.csrf)&name=N&family=F")
                try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                    #expect(response.status == .notFound, "\(method) \(uri)")
                }
            }
            (status, _) = try await Self.post(client, "/staff/services/\(service.id)/restore", staff.session, "csrf=\(staff.csrf)")
            #expect(status == .ok)
        }
        #expect(try await world.catalog.activeServices().map(\.name) == ["Cegid Stream 2"])
    }

    @Test func badIdsAre404AFormWithoutItsTokenIs403AndNobodyGoesToLogin() async throws {
        let world = try await World()
        let (service, request) = try await world.pendingRequest()
        let admin = world.base.adminA, member = world.base.memberA
        try await world.test { client in
            for (uri, session, csrf) in [("/services/abc/request", member.session, member.csrf), ("/services/9999/request", member.session, member.csrf),
                                         ("/admin/requests/abc/accept", admin.session, admin.csrf), ("/admin/requests/9999/accept", admin.session, admin.csrf),
                                         ("/admin/requests/\(request.id)/delete", admin.session, admin.csrf)] {
                let (status, _) = try await Self.post(client, uri, session, "csrf=\(csrf)")
                #expect(status == .notFound, "\(uri)")
            }
            var (status, _) = try await Self.post(client, "/admin/requests/\(request.id)/accept", admin.session, "csrf=forged")
            #expect(status == .forbidden)
            (status, _) = try await Self.post(client, "/services/\(service.id)/request", world.base.memberA.session, "")
            #expect(status == .forbidden)
            try await client.execute(uri: "/services", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login?next=/services")
            }
        }
        #expect(try await world.stateOf(request.id) == .pending)
    }

    @Test func servicesNamesAndReasonsReachThePagesAsText() async throws {
        let world = try await World()
        let hostile = try await world.catalog.createService(.init(name: "<script>alert(1)</script>", family: "{{secret}}", description: "<b>x</b>"),
                                                            by: world.staff.user)
        let request = try await world.catalog.request(serviceID: hostile.id, by: world.base.memberA.user, tenantID: world.base.tenantA.id)
        try await world.catalog.decide(.refuse, subscriptionID: request.id, reason: "<img src=x onerror=alert(2)>", by: world.base.adminA.user,
                                       tenantID: world.base.tenantA.id)
        try await world.test { client in
            for (uri, session) in [("/services", world.base.memberA.session), ("/admin/requests", world.base.adminA.session),
                                   ("/staff/services", world.staff.session)] {
                let (status, html) = try await Self.get(client, uri, session)
                #expect(status == .ok)
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(uri)")
                #expect(!html.contains("<script>alert(1)"), "\(uri)")
                #expect(!html.contains("<img src=x"), "\(uri)")
            }
        }
    }
}
