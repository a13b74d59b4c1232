import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Portal
import StatusModel
import StatusWeb
import Testing

/// `/staff/tickets` as agents use it: the open tickets with their counts, every filter and
/// sort, search by number and by words, pages, the first-response due time (late ones said in
/// words), the linked incident; and nobody but staff gets in.
@Suite struct TicketQueuePageTests {
    /// The numbers of the queue's rows, in order.
    static func rows(_ page: String) -> [String] {
        page.components(separatedBy: "<tr data-number=\"").dropFirst().map { String($0.prefix(9)) }
    }

    @Test func theQueueShowsOpenTicketsWithCountsAndTheirIncident() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        try await world.test { client in
            let queue = try await kbGet(client, "/staff/tickets", session: agent.session)
            #expect(queue.status == .ok)
            // Most urgent first: the blocking incident (priority 1), then the others.
            #expect(Self.rows(queue.body).first == world.memberIncidentTicket.number.description)
            #expect(Set(Self.rows(queue.body)) == Set([world.memberIncidentTicket, world.adminRequest, world.tenantBIncidentTicket,
                                                        world.tenantBStreamTicket].map(\.number.description)))
            #expect(queue.body.contains("New <span class=\"count\">(4)</span>"))
            #expect(queue.body.contains("1 - Critical <span class=\"count\">(1)</span>"))
            #expect(queue.body.contains("Client B (2000)"))
            #expect(queue.body.contains("4 requests · page 1 of 1"))
            #expect(queue.body.contains("id=\"nav-tickets\"") && queue.body.contains("id=\"menu-tickets\""))
        }
    }

    @Test func everyFilterAndSortNarrowsTheQueue() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        let a = world.memberIncidentTicket.number.description, admin = world.adminRequest.number.description
        let b = world.tenantBIncidentTicket.number.description, stream = world.tenantBStreamTicket.number.description
        _ = try await world.service.assign(world.adminRequest.number, to: agent.user.id, by: agent.user)
        try await world.test { client in
            func shown(_ query: String) async throws -> Set<String> {
                let page = try await kbGet(client, "/staff/tickets?\(query)", session: agent.session)
                #expect(page.status == .ok, "\(query)")
                return Set(Self.rows(page.body))
            }
            #expect(try await shown("priority=1") == [a])
            #expect(try await shown("type=administrative") == [admin])
            #expect(try await shown("product=stream") == [stream])
            #expect(try await shown("tenant=2000") == [b, stream])
            #expect(try await shown("tenant=Client+B") == [b, stream], "a GET form sends a space as +")
            #expect(try await shown("tenant=client%20b") == [b, stream])
            #expect(try await shown("tenant=9999").isEmpty)
            #expect(try await shown("mine=1") == [admin])
            #expect(try await shown("unassigned=1") == [a, b, stream])
            #expect(try await shown("state=in_progress") == [admin])
            #expect(try await shown("state=new&product=loop") == [a, b])
            #expect(try await shown("q=\(b)") == [b])
            #expect(try await shown("q=\(b.lowercased())") == [b])
            #expect(try await shown("q=exporte") == [stream])
            // Nonsense is ignored rather than refused: the queue is a page, not an API.
            #expect(try await shown("priority=99&sort=zzz&page=-5&product=nope").count == 4)
            #expect(try await shown("page=999999999999999999999").count == 4)

            let oldest = try await kbGet(client, "/staff/tickets?sort=oldest", session: agent.session)
            #expect(Self.rows(oldest.body) == [a, admin, b, stream])
            let newest = try await kbGet(client, "/staff/tickets?sort=newest", session: agent.session)
            #expect(Self.rows(newest.body) == [stream, b, admin, a])
            let unknown = try await kbGet(client, "/staff/tickets?tenant=%3Cb%3E9999", session: agent.session)
            #expect(unknown.body.contains("“&lt;b&gt;9999”"))
        }
    }

    @Test func aLateFirstAnswerIsSaidInWords() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        // The blocking incident is due within the hour; the others later.
        world.fixture.clock.advance(by: 2 * 3600)
        try await world.test { client in
            let queue = try await kbGet(client, "/staff/tickets", session: agent.session)
            let row = try #require(queue.body.components(separatedBy: "<tr data-number=\"\(world.memberIncidentTicket.number)\"").dropFirst().first)
            let cells = String(row.prefix(while: { $0 != "\n" }) + (row.components(separatedBy: "</tr>").first ?? ""))
            #expect(cells.contains("data-due=\"late\""))
            #expect(cells.contains("<strong class=\"due-late\">Late</strong>"))
            #expect(cells.contains("Late</strong> <span class=\"due\">by 1 h · answer due 20 Nov"))
            let other = try #require(queue.body.components(separatedBy: "<tr data-number=\"\(world.tenantBIncidentTicket.number)\"").dropFirst().first)
            #expect(other.components(separatedBy: "</tr>").first?.contains("First answer due by") == true)
            let page = try await kbGet(client, "/staff/tickets/\(world.memberIncidentTicket.number)", session: agent.session)
            #expect(page.body.contains("data-due=\"late\"><strong class=\"due-late\">Late</strong> by 1 h"))
        }
    }

    @Test func theQueueHasPages() async throws {
        let world = try await TicketStaffWorld()
        for index in 1...24 {
            _ = try await world.service.open(TicketRequest(type: "administrative", theme: "billing", description: "Demande numéro \(index)"),
                                             by: world.fixture.member.user, tenantID: world.tenantA.id, allowedProducts: ["loop"])
        }
        let agent = world.fixture.agent
        try await world.test { client in
            let first = try await kbGet(client, "/staff/tickets?sort=oldest", session: agent.session)
            #expect(Self.rows(first.body).count == 25)
            #expect(first.body.contains("28 requests · page 1 of 2"))
            #expect(first.body.contains("href=\"/staff/tickets?page=2&amp;sort=oldest\" rel=\"next\""))
            let second = try await kbGet(client, "/staff/tickets?sort=oldest&page=2", session: agent.session)
            #expect(Self.rows(second.body).count == 3)
            #expect(second.body.contains("rel=\"prev\""))
        }
    }

    @Test func theQueueShowsTheLinkedIncident() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        _ = try await world.service.linkIncident(world.tenantBIncidentTicket.number, incidentID: world.incident.id, by: agent.user)
        try await world.test { client in
            let queue = try await kbGet(client, "/staff/tickets", session: agent.session)
            #expect(queue.body.contains("Linked incident: <a href=\"/staff/incidents/\(world.incident.id)\">Lenteurs sur Cegid Loop</a>"))
        }
    }

    /// Every route under /staff/tickets, pages and forms: a customer is refused (403) and
    /// nothing changes; nobody signed in goes to the login page.
    @Test func nobodyButStaffGetsIn() async throws {
        let world = try await TicketStaffWorld()
        let table = RouteTable()
        let router = buildRouter(site: world.site, routeTable: table)
        let routes = table.all.filter { $0.path.hasPrefix("/staff/tickets") }
        #expect(routes.count >= 10, "\(routes.map(\.path))")
        #expect(routes.allSatisfy { $0.access == .staff })
        let number = world.adminRequest.number.description
        let before = try await world.messages(world.adminRequest.number)
        try await Application(router: router).test(.router) { client in
            for route in routes {
                let uri = route.path.replacingOccurrences(of: ":number", with: number).replacingOccurrences(of: ":id", with: "1")
                for customer in [world.fixture.admin, world.fixture.member, world.tenantBAdmin] {
                    let body = "csrf=\(customer.csrf)&assignee=me&body=hello&kind=note&priority=1&reason=x"
                    let (headers, buffer) = formRequest(session: customer.session, body)
                    let status = try await client.execute(uri: uri, method: route.method, headers: headers, body: buffer) { $0.status }
                    #expect(status == .forbidden, "\(route.method) \(uri) as \(customer.user.email)")
                }
                let (headers, buffer) = formRequest("csrf=x")
                let anonymous = try await client.execute(uri: uri, method: route.method, headers: headers, body: buffer) { ($0.status, $0.headers[.location]) }
                let login = route.method == .get ? anonymous.1?.hasPrefix("/login?next=/staff/tickets") == true : anonymous.1 == "/login"
                #expect(anonymous.0 == .seeOther && login, "\(route.method) \(uri) anonymous → \(anonymous.1 ?? "")")
            }
        }
        #expect(try await world.messages(world.adminRequest.number) == before)
        #expect(try await world.ticket(world.adminRequest.number).assigneeID == nil)
    }

    @Test func theAnswersPageShowsRatingsAndArticleCounts() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        let number = world.adminRequest.number
        _ = try await world.service.assign(number, to: agent.user.id, by: agent.user)
        _ = try await world.service.proposeSolution(number, body: "La facture est renvoyée.", attachments: [], by: agent.user)
        let reader = TicketReader(userID: world.fixture.admin.user.id, adminTenantIDs: [world.tenantA.id])
        _ = try await world.service.acceptSolution(number, by: world.fixture.admin.user, reader: reader)
        try await world.service.rate(number, stars: 4, comment: "Rapide", by: world.fixture.admin.user, reader: reader)
        let article = try await world.fixture.knowledgeBase.store.createArticle(
            ArticleDraft(title: "Renvoyer une facture", body: "Depuis le portail.", category: "Portail", language: .fr), state: .published,
            authorID: nil, at: SiteFixture.now)
        try await world.service.articleAnswered(article.number, by: world.fixture.member.user, tenantID: world.tenantA.id)
        try await world.service.articleAnswered(article.number, by: world.fixture.admin.user, tenantID: world.tenantA.id)
        try await world.test { client in
            let page = try await kbGet(client, "/staff/tickets/answers", session: agent.session)
            #expect(page.status == .ok)
            #expect(page.body.contains("<td data-label=\"Month\">2026-11</td><td data-label=\"Assigned to\">O P</td>"))
            #expect(page.body.contains("4.0 / 5"))
            #expect(page.body.contains("<a href=\"/staff/kb/\(article.number)\">\(article.number)</a></td><td data-label=\"“Yes” answers\">2</td>"))
        }
    }
}
