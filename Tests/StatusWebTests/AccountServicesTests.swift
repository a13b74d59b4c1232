import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Portal
import StatusModel
import StatusWeb
import Testing

/// The pages of services opening products, through the real router over one SQLite database:
/// the operators' form (product boxes, validation, errors next to the field), the profile's
/// Services tab (filters and counts, the catalog, "Vous vous êtes abonné(e) à N service(s)",
/// giving up, other people's subscriptions as 404) and the tenant keys' API.
@Suite struct AccountServicesTests {
    typealias Login = (user: User, session: String, csrf: String)

    struct World {
        let routes: ServiceRoutesTests.World
        let member: Login, colleague: Login, outsider: Login
        var catalog: ServiceCatalog { routes.catalog }
        var staff: User { routes.staff.user }
        var tenantA: Tenant { routes.base.tenantA }

        init() async throws {
            routes = try await ServiceRoutesTests.World()
            try await routes.site.store.syncProducts([
                Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: SiteFixture.longAgo),
                Product(slug: "stream", name: "Cegid Stream", family: "Finance", position: 2, monitoredSince: SiteFixture.longAgo),
                Product(slug: "paie", name: "Yourcegid Paie", family: "RH", position: 3, visibility: .private, monitoredSince: SiteFixture.longAgo),
                Product(slug: "secret", name: "Secret Beta", family: "RH", position: 4, visibility: .hidden, monitoredSince: SiteFixture.longAgo),
            ])
            member = routes.base.memberA
            colleague = routes.base.adminA
            outsider = try await ServiceRoutesTests.World.login(routes.base.accounts, routes.base.memberB)
        }

        func service(_ name: String, family: String = "Services en ligne", products: [String] = [], needsValidation: Bool = true) async throws -> Service {
            try await catalog.createService(.init(name: name, family: family, description: "À propos de \(name)", productSlugs: products,
                                                  needsValidation: needsValidation), by: staff)
        }

        func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws { try await routes.test(body) }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String, _ session: String) async throws -> (HTTPResponse.Status, String) {
        try await ServiceRoutesTests.get(client, uri, session)
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, _ session: String, _ body: String) async throws -> (HTTPResponse.Status, String) {
        try await ServiceRoutesTests.post(client, uri, session, body)
    }

    /// The tab's count shown on a filter link.
    static func count(_ html: String, _ filter: String) -> String? {
        guard let link = html.range(of: "id=\"filter-\(filter)\"") else { return nil }
        let rest = html[link.upperBound...]
        guard let start = rest.range(of: "<span class=\"count\">"), let end = rest[start.upperBound...].range(of: "</span>") else { return nil }
        return String(rest[start.upperBound..<end.lowerBound])
    }

    // MARK: The operators' form

    @Test func theConsoleFormTiesProductsRefusesUnknownSlugsNextToTheFieldAndKeepsTheInput() async throws {
        let world = try await World()
        let staff = world.routes.staff
        try await world.test { client in
            var (status, html) = try await Self.post(client, "/staff/services", staff.session,
                                                     "csrf=\(staff.csrf)&name=Cegid+Stream&family=Vid%C3%A9o&products%5B%5D=stream&products%5B%5D=nope")
            #expect(status == .unprocessableContent)
            #expect(html.showsError("Choisissez parmi les produits proposés.", nextTo: "products"))
            #expect(html.keeps("Cegid Stream", in: "name"))
            #expect(html.contains("value=\"stream\" checked"), "the ticked box stays ticked")
            #expect(!html.contains("id=\"needsValidation\" checked"), "the unticked validation box stays unticked")
            #expect(try await world.catalog.activeServices().isEmpty, "nothing was written")
            #expect(!html.contains("id=\"notice\""), "no empty notice")

            (status, html) = try await Self.post(client, "/staff/services", staff.session,
                                                 "csrf=\(staff.csrf)&name=Cegid+Stream&family=Vid%C3%A9o&products%5B%5D=stream&products%5B%5D=loop")
            #expect(status == .ok)
            #expect(html.contains("Service créé : Cegid Stream"))
            #expect(html.contains("<td data-label=\"Produits couverts\" class=\"service-products\">Cegid Loop, Cegid Stream</td>"))
            #expect(html.contains("class=\"service-validation\">Disponible</td>"))
            let service = try #require(try await world.catalog.activeServices().first)
            #expect(service.productSlugs == ["loop", "stream"])
            #expect(!service.needsValidation)

            (status, html) = try await Self.get(client, "/staff/services/\(service.id)", staff.session)
            #expect(html.contains("value=\"loop\" checked"))
            #expect(html.contains("value=\"paie\" >"), "every product is offered, private ones too")
            (status, html) = try await Self.post(client, "/staff/services/\(service.id)", staff.session,
                                                 "csrf=\(staff.csrf)&name=Cegid+Stream&family=Vid%C3%A9o&products%5B%5D=paie&needsValidation=on")
            #expect(status == .ok)
            #expect(html.contains("class=\"service-products\">Yourcegid Paie</td>"), "the ties are replaced")
            #expect(html.contains("class=\"service-validation\">Requise</td>"))
            let updated = try await world.catalog.service(id: service.id, by: world.staff)
            #expect(updated.productSlugs == ["paie"])
            #expect(updated.needsValidation)

            (status, html) = try await Self.post(client, "/staff/services/\(service.id)?lang=en", staff.session,
                                                 "csrf=\(staff.csrf)&name=&family=Vid%C3%A9o&products%5B%5D=nope")
            #expect(status == .unprocessableContent)
            #expect(html.showsError("Choose among the products offered.", nextTo: "products"))
            #expect(try await world.catalog.service(id: service.id, by: world.staff).productSlugs == ["paie"])
        }
    }

    @Test func theConsoleProductFormOffersTheFourVisibilitiesAndRefusesAnyOther() async throws {
        let world = try await World()
        let staff = world.routes.staff
        try await world.test { client in
            var (status, html) = try await Self.get(client, "/staff/products", staff.session)
            #expect(status == .ok)
            for label in ["Public", "Clients connectés", "Privé (clients des services qui le couvrent)", "Masqué"] { #expect(html.contains(">\(label)</option>")) }
            #expect(html.contains("<td data-label=\"Visibilité\">Privé (clients des services qui le couvrent)</td>"),
                    "the list says each product's visibility")
            (status, html) = try await Self.post(client, "/staff/products", staff.session,
                                                 "csrf=\(staff.csrf)&slug=flow&name=Cegid+Flow&family=Finance&position=5&visibility=secret")
            #expect(status == .unprocessableContent)
            #expect(html.contains("id=\"visibility-error\">Choisissez : public, clients connectés, privé ou masqué.</p>"))
            #expect(try await world.routes.site.store.product(slug: "flow") == nil)
            (status, _) = try await Self.post(client, "/staff/products", staff.session,
                                              "csrf=\(staff.csrf)&slug=flow&name=Cegid+Flow&family=Finance&position=5&visibility=customers")
            #expect(status == .seeOther || status == .found)
            #expect(try await world.routes.site.store.product(slug: "flow")?.visibility == .customers)
        }
    }

    // MARK: The Services tab

    @Test func theTabFiltersByStateWithCountsAndShowsTheFilterInForce() async throws {
        let world = try await World()
        let portal = try await world.service("Accès au portail", products: ["loop"], needsValidation: false)
        let stream = try await world.service("Cegid Stream", products: ["stream"])
        let paie = try await world.service("Yourcegid Paie", family: "Paie et RH", products: ["paie"])
        _ = try await world.catalog.request(serviceID: portal.id, by: world.member.user, tenantID: world.tenantA.id)
        _ = try await world.catalog.request(serviceID: stream.id, by: world.member.user, tenantID: world.tenantA.id)
        let refused = try await world.catalog.request(serviceID: paie.id, by: world.member.user, tenantID: world.tenantA.id)
        try await world.catalog.decide(.refuse, subscriptionID: refused.id, reason: "Licences <épuisées>", by: world.colleague.user, tenantID: world.tenantA.id)
        _ = try await world.catalog.request(serviceID: stream.id, by: world.colleague.user, tenantID: world.tenantA.id)
        try await world.test { client in
            var (status, html) = try await Self.get(client, "/account/services", world.member.session)
            #expect(status == .ok)
            #expect(html.contains("id=\"tab-services\" aria-current=\"page\""))
            #expect(Self.count(html, "all") == "3")
            #expect(Self.count(html, "accepted") == "1")
            #expect(Self.count(html, "pending") == "1")
            #expect(Self.count(html, "refused") == "1")
            #expect(Self.count(html, "suspended") == "0")
            #expect(html.contains("id=\"filter-all\" aria-current=\"true\""))
            #expect(html.contains("Accepté(s)") && html.contains("En attente de validation") && html.contains("Refusé(s)") && html.contains("Suspendu(s)"))
            #expect(html.occurrences(of: "<tr data-subscription=") == 3, "only the member's own, not the colleague's")
            #expect(html.contains("Motif : Licences &lt;épuisées&gt;"), "the reason, as text")

            (status, html) = try await Self.get(client, "/account/services?state=refused", world.member.session)
            #expect(html.contains("id=\"filter-refused\" aria-current=\"true\""))
            #expect(!html.contains("id=\"filter-all\" aria-current"))
            #expect(html.contains("id=\"filter-in-force\">Filtre : Refusé(s)"))
            #expect(html.occurrences(of: "<tr data-subscription=") == 1)
            #expect(html.contains("data-state=\"refused\""))
            #expect(!html.contains("id=\"give-up-\(refused.id)\""), "a refusal is history: nothing to give up")
            #expect(Self.count(html, "accepted") == "1", "the counts stay those of every state")

            (status, html) = try await Self.get(client, "/account/services?state=accepted&lang=en", world.member.session)
            #expect(html.contains("id=\"filter-in-force\">Filter: Accepted"))
            #expect(html.contains("Accès au portail"))
            (status, html) = try await Self.get(client, "/account/services?state=bogus", world.member.session)
            #expect(status == .ok)
            #expect(html.contains("id=\"filter-all\" aria-current=\"true\""), "an unknown filter shows everything")
        }
    }

    @Test func theCatalogSearchesByNameAndFamilyPagesAndAddsWhatIsTicked() async throws {
        let world = try await World()
        let portal = try await world.service("Accès au portail", products: ["loop"], needsValidation: false)
        let stream = try await world.service("Cegid Stream", products: ["stream"])
        let paie = try await world.service("Yourcegid Paie", family: "Paie et RH", products: ["paie"])
        for number in 1...10 { _ = try await world.service("Option \(number)", family: "Préférence") }
        _ = try await world.catalog.request(serviceID: portal.id, by: world.member.user, tenantID: world.tenantA.id)
        try await world.test { client in
            var (status, html) = try await Self.get(client, "/account/services", world.member.session)
            #expect(html.contains("href=\"/account/services/add\""))
            #expect(html.contains("<dialog id=\"service-catalog\""), "the dialog the link opens with JavaScript")

            (status, html) = try await Self.get(client, "/account/services/add", world.member.session)
            #expect(status == .ok)
            #expect(html.contains("id=\"service-catalog-panel\""))
            #expect(html.occurrences(of: "<li data-service=") == 10, "ten a page")
            #expect(html.contains("Page 1 sur 2"))
            #expect(html.contains("href=\"/account/services/add?page=2\""))

            (status, html) = try await Self.get(client, "/account/services/add?page=2", world.member.session)
            #expect(html.occurrences(of: "<li data-service=") == 3, "by family then name: the online services come last")
            #expect(html.contains("Page 2 sur 2"))
            #expect(html.contains("id=\"held-\(portal.id)\">Déjà dans vos services : Accepté"), "a held service says so")
            #expect(!html.contains("id=\"service-\(portal.id)\""), "and is not checkable")
            #expect(html.contains("id=\"service-\(stream.id)\""))
            (status, html) = try await Self.get(client, "/account/services/add?page=99999999999999999999999", world.member.session)
            #expect(status == .ok, "a page number out of range is page 1, never a crash")
            (status, html) = try await Self.get(client, "/account/services/add?q=YOURCEGID", world.member.session)
            #expect(html.occurrences(of: "<li data-service=") == 1)
            #expect(html.contains("id=\"service-\(paie.id)\""))
            #expect(html.contains("value=\"YOURCEGID\""), "the search stays in its box")
            (status, html) = try await Self.get(client, "/account/services/add?family=Pr%C3%A9f%C3%A9rence&q=option+1", world.member.session)
            #expect(html.occurrences(of: "<li data-service=") == 2, "Option 1 and Option 10: a + in the query is a space")
            #expect(html.contains("<option value=\"Préférence\" selected>"))

            (status, html) = try await Self.post(client, "/account/services/add", world.member.session, "csrf=\(world.member.csrf)")
            #expect(status == .unprocessableContent)
            #expect(html.contains("id=\"catalog-error\" role=\"alert\">Cochez au moins un service."))
            (status, _) = try await Self.post(client, "/account/services/add", world.member.session, "services%5B%5D=\(stream.id)")
            #expect(status == .forbidden, "no form without its token")

            (status, html) = try await Self.post(client, "/account/services/add", world.member.session,
                                                 "csrf=\(world.member.csrf)&services%5B%5D=\(stream.id)&services%5B%5D=\(paie.id)&services%5B%5D=\(portal.id)")
            #expect(status == .ok)
            #expect(html.contains("id=\"notice\" role=\"status\">Vous vous êtes abonné(e) à 2 services.</p>"), "the held one is not counted")
            #expect(Self.count(html, "pending") == "2")
            let option = try #require(try await world.catalog.activeServices().first { $0.name == "Option 1" })
            (status, html) = try await Self.post(client, "/account/services/add?lang=en", world.member.session,
                                                 "csrf=\(world.member.csrf)&services%5B%5D=\(option.id)")
            #expect(html.contains("You subscribed to 1 service.</p>"))
            (status, html) = try await Self.post(client, "/account/services/add", world.member.session,
                                                 "csrf=\(world.member.csrf)&services%5B%5D=\(option.id)")
            #expect(html.contains("Aucun service ajouté"))
            (status, html) = try await Self.post(client, "/account/services/add?lang=en", world.member.session,
                                                 "csrf=\(world.member.csrf)&services%5B%5D=abc&services%5B%5D=424242")
            #expect(status == .ok)
            #expect(html.contains("No service added"))
        }
        #expect(try await world.catalog.subscriptions(of: world.member.user, tenantID: world.tenantA.id).count == 4)
    }

    @Test func aUserGivesAServiceUpAfterConfirmingAndAnotherUsersIs404() async throws {
        let world = try await World()
        let portal = try await world.service("Accès au portail", products: ["loop"], needsValidation: false)
        let paie = try await world.service("Yourcegid Paie", products: ["paie"])
        let mine = try await world.catalog.request(serviceID: portal.id, by: world.member.user, tenantID: world.tenantA.id)
        let refused = try await world.catalog.request(serviceID: paie.id, by: world.member.user, tenantID: world.tenantA.id)
        try await world.catalog.decide(.refuse, subscriptionID: refused.id, by: world.colleague.user, tenantID: world.tenantA.id)
        let colleagues = try await world.catalog.request(serviceID: portal.id, by: world.colleague.user, tenantID: world.tenantA.id)
        try await world.test { client in
            var (status, html) = try await Self.get(client, "/account/services", world.member.session)
            #expect(html.contains("href=\"/account/services/\(mine.id)/give-up\" class=\"danger-link\" id=\"give-up-\(mine.id)\" data-give-up=\"Abandonner le service Accès au portail ?\""))
            (status, html) = try await Self.get(client, "/account/services/\(mine.id)/give-up", world.member.session)
            #expect(status == .ok, "the confirmation page, without JavaScript")
            #expect(html.contains("Abandonner le service Accès au portail ?"))
            #expect(html.contains("<button type=\"submit\" class=\"danger\" id=\"confirm-give-up\">"))

            // Someone else's, in the tenant or from another: 404 and nothing changes.
            for (id, login) in [(colleagues.id, world.member), (mine.id, world.outsider), (mine.id, world.colleague)] {
                (status, _) = try await Self.get(client, "/account/services/\(id)/give-up", login.session)
                #expect(status == .notFound || status == .forbidden)
                (status, _) = try await Self.post(client, "/account/services/\(id)/give-up", login.session, "csrf=\(login.csrf)")
                #expect(status == .notFound || status == .forbidden, "\(id)")
            }
            (status, _) = try await Self.post(client, "/account/services/abc/give-up", world.member.session, "csrf=\(world.member.csrf)")
            #expect(status == .notFound)
            (status, _) = try await Self.post(client, "/account/services/\(mine.id)/give-up", world.member.session, "")
            #expect(status == .forbidden, "no form without its token")
            #expect(try await world.catalog.subscriptions(of: world.member.user, tenantID: world.tenantA.id).count == 2)
            #expect(try await world.catalog.subscriptions(of: world.colleague.user, tenantID: world.tenantA.id).map(\.id) == [colleagues.id])

            (status, html) = try await Self.get(client, "/account/services/\(refused.id)/give-up", world.member.session)
            #expect(html.contains("id=\"not-allowed\""))
            (status, html) = try await Self.post(client, "/account/services/\(refused.id)/give-up", world.member.session, "csrf=\(world.member.csrf)")
            #expect(status == .conflict)

            (status, html) = try await Self.post(client, "/account/services/\(mine.id)/give-up", world.member.session, "csrf=\(world.member.csrf)")
            #expect(status == .ok)
            #expect(html.contains("Vous avez abandonné le service Accès au portail."))
            #expect(!html.contains("data-subscription=\"\(mine.id)\""))
        }
        #expect(try await world.catalog.subscriptions(of: world.member.user, tenantID: world.tenantA.id).map(\.state) == [.refused])
        #expect(try await world.catalog.productAccess(tenantID: world.tenantA.id, userID: world.member.user.id).userProducts.isEmpty)
    }

    @Test func theTabNeedsACustomerAccount() async throws {
        let world = try await World()
        try await world.test { client in
            try await client.execute(uri: "/account/services", method: .get) { response in
                #expect(response.status == .seeOther || response.status == .found)
                #expect(response.headers[.location]?.hasPrefix("/login") == true)
            }
            let (status, _) = try await Self.get(client, "/account/services", world.routes.staff.session)
            #expect(status == .forbidden, "staff have no customer account to hold services in")
        }
    }

    // MARK: The API

    static func api(_ client: any TestClientProtocol, _ uri: String, key: String?) async throws -> APIAnswer {
        var headers = HTTPFields()
        if let key { headers[.authorization] = "Bearer \(key)" }
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        return APIAnswer(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    @Test func aTenantKeyReadsTheCatalogAndItsOwnSubscriptionsOnly() async throws {
        let world = try await World()
        let accounts = world.routes.base.accounts
        let keyA = try await accounts.createAPIKey(tenantID: world.tenantA.id, name: "A").secret
        let keyB = try await accounts.createAPIKey(tenantID: world.routes.base.tenantB.id, name: "B").secret
        let staffKey = try await accounts.createStaffKey(userID: world.staff.id, name: "ops").secret
        let portal = try await world.service("Accès au portail", products: ["loop"], needsValidation: false)
        let paie = try await world.service("Yourcegid Paie", products: ["paie", "secret", "stream"])
        _ = try await world.catalog.request(serviceID: portal.id, by: world.member.user, tenantID: world.tenantA.id)
        let waiting = try await world.catalog.request(serviceID: paie.id, by: world.colleague.user, tenantID: world.tenantA.id)
        try await world.test { client in
            var answer = try await Self.api(client, "/api/v1/services", key: keyA)
            #expect(answer.status == .ok)
            var services = try #require(answer["services"] as? [[String: Any]])
            #expect(services.map { $0["name"] as? String } == ["Accès au portail", "Yourcegid Paie"])
            #expect(services.first?["needs_validation"] as? Bool == false)
            #expect(services.last?["products"] as? [String] == ["stream"], "neither the private product (not yet entitled) nor the hidden one")

            answer = try await Self.api(client, "/api/v1/service-subscriptions", key: keyA)
            var subscriptions = try #require(answer["subscriptions"] as? [[String: Any]])
            #expect(subscriptions.count == 2)
            #expect(subscriptions.first?["state"] as? String == "pending", "pending first")
            #expect(subscriptions.first?["user_email"] as? String == "admin@a.fr")
            #expect((subscriptions.first?["service"] as? [String: Any])?["name"] as? String == "Yourcegid Paie")
            #expect(subscriptions.first?["decided_at"] == nil)
            #expect(subscriptions.last?["decided_at"] as? String != nil, "accepted at once")
            answer = try await Self.api(client, "/api/v1/service-subscriptions?state=accepted", key: keyA)
            subscriptions = try #require(answer["subscriptions"] as? [[String: Any]])
            #expect(subscriptions.map { $0["user_email"] as? String } == ["member@a.fr"])
            answer = try await Self.api(client, "/api/v1/service-requests", key: keyA)
            subscriptions = try #require(answer["subscriptions"] as? [[String: Any]])
            #expect(subscriptions.map { $0["id"] as? String } == [String(waiting.id)])

            for uri in ["/api/v1/service-subscriptions?state=ended", "/api/v1/service-requests?state="] {
                answer = try await Self.api(client, uri, key: keyA)
                #expect(answer.status == .badRequest)
                #expect(answer.errorField == "state")
                #expect((answer.error["message"] as? String)?.contains("pending, accepted, refused or suspended") == true)
            }

            // Another tenant's key: the same catalog, none of tenant A's subscriptions.
            answer = try await Self.api(client, "/api/v1/service-subscriptions", key: keyB)
            #expect((answer["subscriptions"] as? [[String: Any]])?.isEmpty == true)
            answer = try await Self.api(client, "/api/v1/service-requests", key: keyB)
            #expect((answer["subscriptions"] as? [[String: Any]])?.isEmpty == true)
            answer = try await Self.api(client, "/api/v1/services", key: keyB)
            services = try #require(answer["services"] as? [[String: Any]])
            #expect(services.last?["products"] as? [String] == ["stream"])

            #expect(try await Self.api(client, "/api/v1/services", key: nil).status == .unauthorized)
            #expect(try await Self.api(client, "/api/v1/service-subscriptions", key: staffKey).status == .forbidden)
        }
        // Once tenant A holds the paie, its key sees the private product; tenant B's still does not.
        try await world.catalog.decide(.accept, subscriptionID: waiting.id, by: world.colleague.user, tenantID: world.tenantA.id)
        try await world.test { client in
            var answer = try await Self.api(client, "/api/v1/services", key: keyA)
            #expect((answer["services"] as? [[String: Any]])?.last?["products"] as? [String] == ["paie", "stream"])
            answer = try await Self.api(client, "/api/v1/services", key: keyB)
            #expect((answer["services"] as? [[String: Any]])?.last?["products"] as? [String] == ["stream"])
        }
    }
}
