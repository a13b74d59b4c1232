import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Notify
import Portal
import StatusModel
import StatusWeb
import Testing

/// The operators' console (incidents, maintenance, products) as people use it: only operators
/// get in, forms keep what was typed and say what is wrong next to the field, and what an
/// operator declares shows on the public pages.
@Suite struct ConsoleTests {
    /// An incident and a window already there, so every route has something to act on.
    static func worldWithHistory() async throws -> PortalSiteFixture {
        let world = try await PortalSiteFixture()
        let start = SiteFixture.now.addingTimeInterval(-3600)
        try await world.store.save(Incident(id: "inc1", title: "Lenteurs", impact: .minor, productSlugs: ["loop"], startedAt: start,
                                            updates: [.init(status: .investigating, message: "Nous analysons.", at: start)]))
        try await world.store.save(Maintenance(id: "win1", title: "Mise à jour", productSlugs: ["stream"],
                                               start: SiteFixture.now.addingTimeInterval(86_400), end: SiteFixture.now.addingTimeInterval(90_000)))
        return world
    }

    /// What the console can change, in a form that compares.
    static func snapshot(_ world: PortalSiteFixture) async throws -> String {
        let incidents = try await world.store.recentIncidents(limit: 100)
        let windows = try await world.store.maintenances(overlapping: DateInterval(start: SiteFixture.longAgo,
                                                                                   end: SiteFixture.now.addingTimeInterval(400 * 86_400)))
        let products = try await world.store.products()
        return "\(incidents)\n\(windows.sorted { $0.id < $1.id })\n\(products)"
    }

    static let writeBody = "title=Panne&products%5B%5D=loop&impact=major&status=resolved&message=Fin&start=2026-11-21T10%3A00&end=2026-11-21T12%3A00"
        + "&name=Cegid+Pulse&slug=pulse&family=RH&position=1&visibility=hidden"

    static let routes: [(String, HTTPRequest.Method)] = [
        ("/staff/incidents", .get), ("/staff/incidents", .post), ("/staff/incidents/inc1", .get), ("/staff/incidents/inc1", .post),
        ("/staff/incidents/inc1/updates", .post), ("/staff/maintenance", .get), ("/staff/maintenance", .post),
        ("/staff/maintenance/win1", .get), ("/staff/maintenance/win1", .post), ("/staff/maintenance/win1/cancel", .post),
        ("/staff/products", .get), ("/staff/products", .post), ("/staff/products/xrp", .post),
        ("/staff/products/loop/checks", .post), ("/staff/products/loop/checks/home/delete", .post),
    ]

    // MARK: access

    @Test func nobodyLoggedInIsSentToTheLoginPageAndNothingChanges() async throws {
        let world = try await Self.worldWithHistory()
        let before = try await Self.snapshot(world)
        try await world.test { client in
            for (uri, method) in Self.routes {
                let (headers, body) = formRequest(Self.writeBody)
                try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                    #expect(response.status == .seeOther, "\(method) \(uri)")
                    // A page asked for by GET comes back after sign-in; a POST cannot be replayed.
                    #expect(response.headers[.location] == (method == .get ? "/login?next=\(uri)" : "/login"), "\(method) \(uri)")
                }
            }
        }
        #expect(try await Self.snapshot(world) == before)
    }

    @Test(arguments: ["admin", "member", "agent"])
    func customersAndAgentsGet403OnEveryConsoleRouteAndNothingChanges(who: String) async throws {
        let world = try await Self.worldWithHistory()
        let login = switch who {
        case "admin": world.admin
        case "member": world.member
        default: world.agent
        }
        let before = try await Self.snapshot(world)
        try await world.test { client in
            for (uri, method) in Self.routes {
                let (headers, body) = formRequest(session: login.session, "csrf=\(login.csrf)&" + Self.writeBody)
                try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                    #expect(response.status == .forbidden, "\(who): \(method) \(uri)")
                    #expect(String(buffer: response.body).contains("<html"), "a page, not a bare status")
                }
            }
        }
        #expect(try await Self.snapshot(world) == before)
    }

    @Test(arguments: ["", "csrf=wrong-token-0123456789abcdef0123456789&"])
    func anOperatorsFormWithoutItsTokenGets403AndNothingChanges(token: String) async throws {
        let world = try await Self.worldWithHistory()
        let before = try await Self.snapshot(world)
        try await world.test { client in
            for (uri, method) in Self.routes where method == .post {
                let (headers, body) = formRequest(session: world.operatorLogin.session, token + Self.writeBody)
                try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                }
            }
        }
        #expect(try await Self.snapshot(world) == before)
    }

    // MARK: incidents

    @Test func anOperatorDeclaresAnIncidentPostsUpdatesAndResolvesIt() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.test { client in
            let (headers, body) = formRequest(session: ops.session,
                                              "csrf=\(ops.csrf)&title=Connexions+impossibles&products%5B%5D=loop&impact=major&status=investigating&message=Nous+analysons.")
            let location = try await client.execute(uri: "/staff/incidents", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
                return try #require(response.headers[.location])
            }
            #expect(location.hasPrefix("/staff/incidents/"))
            world.clock.advance(by: 60)
            let id = String(location.dropFirst("/staff/incidents/".count))
            try await client.execute(uri: location, method: .get, headers: pageHeaders(session: ops.session)) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<h1 id=\"incident-title\">Connexions impossibles</h1>"))
                #expect(html.contains("data-status=\"investigating\""))
                #expect(html.components(separatedBy: "id=\"timeline\"")[1].components(separatedBy: "</ol>")[0].occurrences(of: "<li>") == 1)
                #expect(html.contains("Nous analysons."))
                #expect(!html.contains("id=\"notice\""), "no notice asked for, none shown")
                // The edit form offers every product, the incident's ticked.
                let editForm = html.components(separatedBy: "id=\"edit-incident\"").last ?? ""
                #expect(editForm.contains("value=\"loop\" checked"))
                #expect(editForm.contains("value=\"stream\" >"))
                #expect(!editForm.contains("value=\"\""))
            }
            try await client.execute(uri: "/staff/incidents", method: .get, headers: pageHeaders(session: ops.session)) { response in
                #expect(String(buffer: response.body).contains("<tr data-id=\"\(id)\" data-status=\"investigating\">"))
            }
            // The public pages: a major incident is an outage of its product, today.
            try await client.execute(uri: "/products/loop?lang=en", method: .get) { response in
                #expect(String(buffer: response.body).contains("data-condition=\"outage\""))
            }
            try await client.execute(uri: "/products/stream?lang=en", method: .get) { response in
                #expect(String(buffer: response.body).contains("data-condition=\"operational\""))
            }
            try await client.execute(uri: "/?lang=en", method: .get) { response in
                let html = String(buffer: response.body)
                let loopRow = html.components(separatedBy: "data-product=\"loop\"")[1].components(separatedBy: "</tr>")[0]
                #expect(loopRow.contains("data-state=\"incident\" data-date=\"2026-11-20\""))
                let streamRow = html.components(separatedBy: "data-product=\"stream\"")[1].components(separatedBy: "</tr>")[0]
                #expect(!streamRow.contains("data-state=\"incident\""))
            }

            world.clock.advance(by: 600)
            let (updateHeaders, update) = formRequest(session: ops.session, "csrf=\(ops.csrf)&status=identified&message=Cause+trouv%C3%A9e.")
            try await client.execute(uri: "/staff/incidents/\(id)/updates", method: .post, headers: updateHeaders, body: update) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/staff/incidents/\(id)?notice=update_posted")
            }
            try await client.execute(uri: "/staff/incidents/\(id)?notice=update_posted", method: .get, headers: pageHeaders(session: ops.session)) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("The update was posted"))
                #expect(html.components(separatedBy: "id=\"timeline\"")[1].components(separatedBy: "</ol>")[0].occurrences(of: "<li>") == 2)
                #expect(html.contains("Cause trouvée."))
            }
            try await client.execute(uri: "/products/loop?lang=en", method: .get) { response in
                let html = String(buffer: response.body)
                let closed = html.components(separatedBy: "id=\"incidents-title\"").last ?? ""
                #expect(!closed.contains("Connexions impossibles"), "not closed yet")
                let now = html.components(separatedBy: "<section class=\"now\"").dropFirst().first ?? ""
                #expect(now.contains("Connexions impossibles") && now.contains("Cause trouvée."), "open: shown as happening now, with its latest step")
            }

            world.clock.advance(by: 600)
            let (resolveHeaders, resolve) = formRequest(session: ops.session, "csrf=\(ops.csrf)&status=resolved&message=C%27est+r%C3%A9par%C3%A9.")
            try await client.execute(uri: "/staff/incidents/\(id)/updates", method: .post, headers: resolveHeaders, body: resolve) { response in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "/products/loop?lang=en", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("data-condition=\"operational\""))
                let closed = try #require(html.components(separatedBy: "id=\"incidents-title\"").last)
                #expect(closed.contains("Connexions impossibles"))
            }
        }
        let savedID = try #require(try await world.store.recentIncidents(limit: 5).first?.id)
        let saved = try #require(try await world.store.incident(id: savedID))
        #expect(saved.isResolved)
        #expect(saved.updates.map(\.status) == [.investigating, .identified, .resolved])
    }

    static let badIncidents: [(body: String, field: String, message: String, kept: (String, String)?)] = [
        ("title=&products%5B%5D=loop&impact=major&status=investigating&message=Nous+analysons.", "title", "Give a title.", ("message", "Nous analysons.")),
        ("title=%20%20&products%5B%5D=loop&impact=major&status=investigating&message=m", "title", "Give a title.", nil),
        ("title=Panne+totale&impact=major&status=investigating&message=m", "products", "Choose at least one product.", ("title", "Panne totale")),
        ("title=Panne+totale&products%5B%5D=nope&impact=major&status=investigating&message=m", "products", "One of the products does not exist.",
         ("title", "Panne totale")),
        ("title=Panne+totale&products%5B%5D=loop&impact=huge&status=investigating&message=m", "impact", "Choose one of the values offered.",
         ("title", "Panne totale")),
        ("title=Panne+totale&products%5B%5D=loop&impact=major&status=fixed&message=m", "status", "Choose one of the values offered.",
         ("title", "Panne totale")),
        ("title=Panne+totale&products%5B%5D=loop&impact=major&status=investigating&message=", "message", "Write a message.", ("title", "Panne totale")),
        ("title=\(String(repeating: "x", count: 201))&products%5B%5D=loop&impact=major&status=investigating&message=m", "title",
         "The title is limited to 200 characters.", ("title", String(repeating: "x", count: 201))),
    ]

    @Test(arguments: badIncidents.indices)
    func aBadIncidentIs422WithTheErrorNextToItsFieldAndTheInputKept(index: Int) async throws {
        let bad = Self.badIncidents[index]
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.test { client in
            let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&" + bad.body)
            try await client.execute(uri: "/staff/incidents", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.showsError(bad.message, nextTo: bad.field), "\(bad.field): \(bad.message)")
                if let (field, value) = bad.kept { #expect(html.keeps(value, in: field), "\(field) kept") }
                #expect(html.contains("name=\"csrf\" value=\"\(ops.csrf)\""), "the form can be sent again")
            }
        }
        #expect(try await world.store.recentIncidents(limit: 5).isEmpty)
    }

    @Test func theProductsTickedAreKeptAfterAnError() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.test { client in
            let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&title=&products%5B%5D=loop&products%5B%5D=stream&impact=minor&status=identified&message=m")
            try await client.execute(uri: "/staff/incidents", method: .post, headers: headers, body: body) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("value=\"loop\" checked"))
                #expect(html.contains("value=\"stream\" checked"))
                #expect(!html.contains("value=\"xrp\" checked"))
                #expect(html.contains("<option value=\"minor\" selected>"))
                #expect(html.contains("<option value=\"identified\" selected>"))
            }
        }
    }

    @Test func badUpdatesAndEditsAre422AndChangeNothing() async throws {
        let world = try await Self.worldWithHistory()
        let ops = world.operatorLogin
        let before = try await Self.snapshot(world)
        try await world.test { client in
            for (uri, body, field, message) in [
                ("/staff/incidents/inc1/updates", "status=resolved&message=", "message", "Write a message."),
                ("/staff/incidents/inc1/updates", "status=done&message=m", "status", "Choose one of the values offered."),
                ("/staff/incidents/inc1", "title=&products%5B%5D=loop&impact=minor", "edit-title", "Give a title."),
                ("/staff/incidents/inc1", "title=T&products%5B%5D=loop&impact=huge", "impact", "Choose one of the values offered."),
                ("/staff/incidents/inc1", "title=T&impact=minor", "products", "Choose at least one product."),
            ] {
                let (headers, form) = formRequest(session: ops.session, "csrf=\(ops.csrf)&" + body)
                try await client.execute(uri: uri, method: .post, headers: headers, body: form) { response in
                    #expect(response.status == .unprocessableContent, "\(uri) \(body)")
                    let html = String(buffer: response.body)
                    #expect(html.showsError(message, nextTo: field), "\(uri) \(body)")
                    if uri.hasSuffix("/updates") {
                        #expect(html.keeps("Lenteurs", in: "edit-title"), "the other form still shows the incident")
                        #expect(html.contains("value=\"loop\" checked"))
                    }
                }
            }
        }
        #expect(try await Self.snapshot(world) == before)
    }

    @Test func anOperatorRenamesAnIncident() async throws {
        let world = try await Self.worldWithHistory()
        let ops = world.operatorLogin
        try await world.test { client in
            let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&title=Lenteurs+de+connexion&products%5B%5D=loop&products%5B%5D=stream&impact=major")
            try await client.execute(uri: "/staff/incidents/inc1", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/staff/incidents/inc1?notice=incident_saved")
            }
        }
        let incident = try #require(try await world.store.incident(id: "inc1"))
        #expect(incident.title == "Lenteurs de connexion")
        #expect(incident.impact == .major)
        #expect(incident.productSlugs.sorted() == ["loop", "stream"])
        #expect(incident.updates.count == 1, "an edit adds no step")
    }

    @Test func anUnknownIncidentIs404() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.test { client in
            try await client.execute(uri: "/staff/incidents/nope", method: .get, headers: pageHeaders(session: ops.session)) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("Page not found"))
            }
            for uri in ["/staff/incidents/nope", "/staff/incidents/nope/updates"] {
                let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&title=T&products%5B%5D=loop&impact=minor&status=resolved&message=m")
                try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .notFound, "\(uri)")
                }
            }
        }
        #expect(try await world.store.recentIncidents(limit: 5).isEmpty)
    }

    // MARK: maintenance

    @Test func anOperatorSchedulesEditsAndCancelsAMaintenance() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.test { client in
            let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&title=Mont%C3%A9e+de+version&products%5B%5D=loop&products%5B%5D=stream"
                                                                    + "&start=2026-11-25T22%3A00&end=2026-11-26T02%3A00&message=Coupure+br%C3%A8ve.&weekly=on")
            try await client.execute(uri: "/staff/maintenance", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/staff/maintenance?notice=maintenance_saved")
            }
            let windows = try await world.store.maintenances(overlapping: DateInterval(start: SiteFixture.now, duration: 30 * 86_400))
            let window = try #require(windows.first)
            #expect(windows.count == 1)
            // The `datetime-local` value is read in the deployment's time zone.
            var paris = Calendar(identifier: .gregorian)
            paris.timeZone = SiteFixture.paris
            #expect(window.start == paris.date(from: DateComponents(year: 2026, month: 11, day: 25, hour: 22)))
            #expect(window.end.timeIntervalSince(window.start) == 4 * 3600)
            #expect(window.repeatsWeekly)
            #expect(window.productSlugs.sorted() == ["loop", "stream"])
            try await client.execute(uri: "/staff/maintenance?notice=maintenance_saved", method: .get, headers: pageHeaders(session: ops.session)) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("The maintenance was saved."))
                #expect(html.contains("<tr data-id=\"\(window.id)\" data-status=\"scheduled\">"))
                #expect(html.contains("Montée de version"))
            }
            try await client.execute(uri: "/staff/maintenance/\(window.id)", method: .get, headers: pageHeaders(session: ops.session)) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.keeps("2026-11-25T22:00", in: "start"))
                #expect(html.keeps("2026-11-26T02:00", in: "end"))
                #expect(html.contains("name=\"weekly\" checked"))
            }
            // An end before the start: the error next to "end", everything typed kept.
            let (badHeaders, bad) = formRequest(session: ops.session, "csrf=\(ops.csrf)&title=Autre&products%5B%5D=loop"
                                                                     + "&start=2026-11-25T22%3A00&end=2026-11-25T21%3A00&message=Texte&weekly=on")
            try await client.execute(uri: "/staff/maintenance/\(window.id)", method: .post, headers: badHeaders, body: bad) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.showsError("The end must come after the start.", nextTo: "end"))
                #expect(html.keeps("Autre", in: "title"))
                #expect(html.keeps("2026-11-25T22:00", in: "start"))
                #expect(html.keeps("2026-11-25T21:00", in: "end"))
                #expect(html.keeps("Texte", in: "message"))
                #expect(html.contains("name=\"weekly\" checked"))
            }
            #expect(try await world.store.maintenance(id: window.id) == window)
            // The edit: a new title, one product, no longer weekly.
            let (editHeaders, edit) = formRequest(session: ops.session, "csrf=\(ops.csrf)&title=Mont%C3%A9e+de+version+v2&products%5B%5D=stream"
                                                                       + "&start=2026-11-25T23%3A00&end=2026-11-26T01%3A00&message=")
            try await client.execute(uri: "/staff/maintenance/\(window.id)", method: .post, headers: editHeaders, body: edit) { response in
                #expect(response.status == .seeOther)
            }
            let edited = try #require(try await world.store.maintenance(id: window.id))
            #expect(edited.title == "Montée de version v2")
            #expect(edited.productSlugs == ["stream"])
            #expect(!edited.repeatsWeekly)
            #expect(edited.end.timeIntervalSince(edited.start) == 2 * 3600)
            // The cancellation.
            let (cancelHeaders, cancel) = formRequest(session: ops.session, "csrf=\(ops.csrf)")
            try await client.execute(uri: "/staff/maintenance/\(window.id)/cancel", method: .post, headers: cancelHeaders, body: cancel) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/staff/maintenance?notice=maintenance_cancelled")
            }
            #expect(try await world.store.maintenance(id: window.id) == nil)
            try await client.execute(uri: "/staff/maintenance", method: .get, headers: pageHeaders(session: ops.session)) { response in
                #expect(!String(buffer: response.body).contains("data-id=\"\(window.id)\""))
            }
        }
    }

    @Test func aNewWindowWithAnEndBeforeItsStartIs422WithTheInputKept() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.test { client in
            let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&title=Migration&products%5B%5D=xrp"
                                                                    + "&start=2026-11-25T22%3A00&end=2026-11-25T22%3A00&weekly=on")
            try await client.execute(uri: "/staff/maintenance", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.showsError("The end must come after the start.", nextTo: "end"))
                #expect(html.keeps("Migration", in: "title"))
                #expect(html.keeps("2026-11-25T22:00", in: "start"))
                #expect(html.contains("value=\"xrp\" checked"))
                #expect(html.contains("name=\"weekly\" checked"))
            }
            let (noDateHeaders, noDate) = formRequest(session: ops.session, "csrf=\(ops.csrf)&title=Migration&products%5B%5D=xrp&start=demain&end=")
            try await client.execute(uri: "/staff/maintenance", method: .post, headers: noDateHeaders, body: noDate) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.showsError("Give a date and a time.", nextTo: "start"))
                #expect(html.showsError("Give a date and a time.", nextTo: "end"))
                #expect(html.keeps("demain", in: "start"))
                #expect(!html.contains("name=\"weekly\" checked"))
            }
        }
        #expect(try await world.store.maintenances(overlapping: DateInterval(start: SiteFixture.longAgo, duration: 400 * 86_400)).isEmpty)
    }

    @Test func anUnknownWindowIs404() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.test { client in
            try await client.execute(uri: "/staff/maintenance/nope", method: .get, headers: pageHeaders(session: ops.session)) { response in
                #expect(response.status == .notFound)
            }
            for uri in ["/staff/maintenance/nope", "/staff/maintenance/nope/cancel"] {
                let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&title=T&products%5B%5D=loop&start=2026-11-25T22%3A00&end=2026-11-25T23%3A00")
                try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .notFound, "\(uri)")
                }
            }
        }
        #expect(try await world.store.maintenance(id: "nope") == nil)
    }

    // MARK: products

    @Test func anOperatorAddsAProductThatShowsOnTheGridThenEditsIt() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.test { client in
            let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&name=Cegid+Pulse&slug=pulse&family=RH&position=5&visibility=public")
            try await client.execute(uri: "/staff/products", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/staff/products?notice=product_saved")
            }
            try await client.execute(uri: "/?lang=en", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("data-product=\"pulse\""))
                #expect(html.contains("Cegid Pulse"))
            }
            try await client.execute(uri: "/staff/products?notice=product_saved", method: .get, headers: pageHeaders(session: ops.session)) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("The product was saved."))
                #expect(html.contains("action=\"/staff/products/pulse\""), "a console product can be edited")
                #expect(!html.contains("action=\"/staff/products/loop\""), "a product of the config file cannot")
            }
            let (editHeaders, edit) = formRequest(session: ops.session, "csrf=\(ops.csrf)&slug=pulse&name=Cegid+Pulse+RH&family=RH&position=6&visibility=hidden")
            try await client.execute(uri: "/staff/products/pulse", method: .post, headers: editHeaders, body: edit) { response in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "/?lang=en", method: .get) { response in
                #expect(!String(buffer: response.body).contains("data-product=\"pulse\""), "hidden now")
            }
        }
        let product = try #require(try await world.store.product(slug: "pulse"))
        #expect(product.name == "Cegid Pulse RH")
        #expect(product.position == 6)
        #expect(product.visibility == .hidden)
        #expect(product.origin == .console)
    }

    @Test func aProductOfTheConfigFileIs409AndABadSlugIs422() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        let before = try await world.store.products()
        try await world.test { client in
            for uri in ["/staff/products", "/staff/products/loop"] {
                let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&name=Loop+pirate&slug=loop&family=X&position=1&visibility=public")
                try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .conflict, "\(uri)")
                    let html = String(buffer: response.body)
                    #expect(html.showsError("This product is defined in the configuration file: change it there.", nextTo: "slug"), "\(uri)")
                }
            }
            for slug in ["Bad+Slug%21", "", "a%2Fb", "%3Cscript%3E"] {
                let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&name=Nouveau&slug=\(slug)&family=&position=&visibility=public")
                try await client.execute(uri: "/staff/products", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .unprocessableContent, "\(slug)")
                    let html = String(buffer: response.body)
                    #expect(html.showsError("Use lower-case letters, digits and dashes only.", nextTo: "slug"), "\(slug)")
                    #expect(html.keeps("Nouveau", in: "name"))
                }
            }
            let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&name=&slug=pulse")
            try await client.execute(uri: "/staff/products", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.showsError("Give a name (100 characters at most).", nextTo: "name"))
                #expect(html.keeps("pulse", in: "slug"))
            }
            let (unknownHeaders, unknown) = formRequest(session: ops.session, "csrf=\(ops.csrf)&name=N&slug=nope")
            try await client.execute(uri: "/staff/products/nope", method: .post, headers: unknownHeaders, body: unknown) { response in
                #expect(response.status == .notFound)
            }
        }
        #expect(try await world.store.products() == before)
    }
}

extension ConsoleTests {
    @Test func anOperatorGivesAConsoleProductChecksInTheConfigFilesWords() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.store.saveConsoleProduct(Product(slug: "pulse", name: "Cegid Pulse", family: "RH", position: 5,
                                                         monitoredSince: SiteFixture.longAgo, hasChecks: false, origin: .console))
        try await world.test { client in
            // A bad interval: refused in the product's row, with the config reader's words and the input kept.
            let (badHeaders, bad) = formRequest(session: ops.session, "csrf=\(ops.csrf)&name=home&kind=http&target=https%3A%2F%2Fpulse.example.com%2Fhealth&interval=soon")
            try await client.execute(uri: "/staff/products/pulse/checks", method: .post, headers: badHeaders, body: bad) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.contains("interval : "), "\(html)")
                #expect(html.contains("value=\"https://pulse.example.com/health\""))
            }
            // Not the vendor's own network: cloud metadata and loopback are refused.
            for target in ["http%3A%2F%2F169.254.169.254%2Flatest", "127.0.0.1%3A5432"] {
                let kind = target.hasPrefix("http") ? "http" : "tcp"
                let (refusedHeaders, refused) = formRequest(session: ops.session, "csrf=\(ops.csrf)&name=meta&kind=\(kind)&target=\(target)")
                try await client.execute(uri: "/staff/products/pulse/checks", method: .post, headers: refusedHeaders, body: refused) { response in
                    #expect(response.status == .unprocessableContent, "\(target)")
                    #expect(String(buffer: response.body).contains("public addresses only"))
                }
            }
            // A product of the config file keeps its checks in the file.
            let (configHeaders, config) = formRequest(session: ops.session, "csrf=\(ops.csrf)&name=home&kind=http&target=https%3A%2F%2Fx.example.com")
            try await client.execute(uri: "/staff/products/loop/checks", method: .post, headers: configHeaders, body: config) { response in
                #expect(response.status == .conflict)
            }
            let (headers, good) = formRequest(session: ops.session, "csrf=\(ops.csrf)&name=home&kind=http&target=https%3A%2F%2Fpulse.example.com%2Fhealth&interval=30s")
            try await client.execute(uri: "/staff/products/pulse/checks", method: .post, headers: headers, body: good) { response in
                #expect(response.status == .seeOther)
            }
            #expect(try await world.store.consoleChecks().map(\.name) == ["home"])
            try await client.execute(uri: "/staff/products", method: .get, headers: pageHeaders(session: ops.session)) { response in
                #expect(String(buffer: response.body).contains("data-check=\"home\""))
            }
            let (deleteHeaders, delete) = formRequest(session: ops.session, "csrf=\(ops.csrf)")
            try await client.execute(uri: "/staff/products/pulse/checks/home/delete", method: .post, headers: deleteHeaders, body: delete) { response in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "/staff/products/pulse/checks/home/delete", method: .post, headers: deleteHeaders, body: delete) { response in
                #expect(response.status == .notFound)
            }
        }
        #expect(try await world.store.consoleChecks().isEmpty)
    }
}
