import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Portal
import StatusModel
import StatusWeb
import Testing

/// `/api/v1/tickets`: a tenant's key sees its tenant's tickets and never a note, opens and
/// writes to them; a staff key reads everything; every refusal is a 4xx JSON error.
@Suite struct TicketAPITests {
    static func numbers(_ answer: APIAnswer) -> Set<String> {
        Set((answer["tickets"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String })
    }

    @Test func aTenantKeySeesItsTenantsTicketsOnly() async throws {
        let world = try await TicketStaffWorld()
        let a = [world.memberIncidentTicket, world.adminRequest].map(\.number.description)
        let b = [world.tenantBIncidentTicket, world.tenantBStreamTicket].map(\.number.description)
        try await world.test { client in
            let listA = try await ticketAPI(client, .get, "/api/v1/tickets", key: world.tenantAKey)
            #expect(listA.status == .ok && Self.numbers(listA) == Set(a))
            let listB = try await ticketAPI(client, .get, "/api/v1/tickets", key: world.tenantBKey)
            #expect(Self.numbers(listB) == Set(b))
            let staff = try await ticketAPI(client, .get, "/api/v1/tickets", key: world.staffKey)
            #expect(Self.numbers(staff) == Set(a + b))
            let staffB = try await ticketAPI(client, .get, "/api/v1/tickets?tenant=2000", key: world.staffKey)
            #expect(Self.numbers(staffB) == Set(b))
            let filtered = try await ticketAPI(client, .get, "/api/v1/tickets?state=open&priority=1", key: world.tenantAKey)
            #expect(Self.numbers(filtered) == [world.memberIncidentTicket.number.description])

            for number in b {
                let read = try await ticketAPI(client, .get, "/api/v1/tickets/\(number)", key: world.tenantAKey)
                #expect(read.status == .notFound && read.errorCode == "not_found")
                let write = try await ticketAPI(client, .post, "/api/v1/tickets/\(number)/messages", key: world.tenantAKey, body: #"{"body": "coucou"}"#)
                #expect(write.status == .notFound)
            }
            #expect(try await world.messages(world.tenantBIncidentTicket.number).count == 1, "nothing written to B's ticket")
            let own = try await ticketAPI(client, .get, "/api/v1/tickets/\(a[0])", key: world.tenantAKey)
            #expect(own.status == .ok)
            let ticket = try #require(own["ticket"] as? [String: Any])
            #expect(ticket["number"] as? String == a[0] && ticket["priority"] as? Int == 1 && ticket["tenant_code"] as? String == "1000")
            #expect((own["fields"] as? [[String: String]]) == [["key": "error_shown", "value": "Erreur 504"]])
            #expect((own["messages"] as? [[String: Any]])?.first?["body"] as? String == "La saisie des factures ne répond plus depuis ce matin.")
        }
    }

    @Test func refusalsAreJSONErrors() async throws {
        let world = try await TicketStaffWorld()
        let number = world.adminRequest.number
        try await world.test { client in
            let malformed = try await ticketAPI(client, .post, "/api/v1/tickets", key: world.tenantAKey, body: "{not json")
            #expect(malformed.status == .badRequest && malformed.errorCode == "malformed_json")
            #expect(malformed.headers[.contentType]?.hasPrefix("application/json") == true)
            let wrongType = try await ticketAPI(client, .post, "/api/v1/tickets/\(number)/messages", key: world.tenantAKey, body: #"{"body": 12}"#)
            #expect(wrongType.status == .badRequest && wrongType.errorField == "body")
            let array = try await ticketAPI(client, .post, "/api/v1/tickets/\(number)/messages", key: world.tenantAKey, body: "[1]")
            #expect(array.status == .badRequest)
            for query in ["state=done", "priority=0", "priority=99999999999999999999", "page=0", "per_page=500", "sort=zzz", "type=nope", "tenant=2000"] {
                let answer = try await ticketAPI(client, .get, "/api/v1/tickets?\(query)", key: world.tenantAKey)
                #expect(answer.status == .badRequest && answer.errorCode == "invalid_parameter", "\(query): \(answer.text)")
            }
            let noKey = try await ticketAPI(client, .get, "/api/v1/tickets", key: nil)
            #expect(noKey.status == .unauthorized && noKey.errorCode == "unauthorized")
            let staffWrite = try await ticketAPI(client, .post, "/api/v1/tickets/\(number)/messages", key: world.staffKey, body: #"{"body": "x"}"#)
            #expect(staffWrite.status == .forbidden && staffWrite.errorCode == "forbidden")
            let stranger = try await ticketAPI(client, .post, "/api/v1/tickets", key: world.tenantAKey,
                                               body: #"{"contact": "admin@client-b.fr", "type": "administrative", "theme": "billing", "description": "x"}"#)
            #expect(stranger.status == .unprocessableContent && stranger.errorField == "contact")
            let badType = try await ticketAPI(client, .post, "/api/v1/tickets", key: world.tenantAKey,
                                              body: #"{"contact": "member@client.fr", "type": "nope", "description": "x"}"#)
            #expect(badType.status == .unprocessableContent && badType.errorField != nil, "\(badType.text)")
            let unknown = try await ticketAPI(client, .get, "/api/v1/tickets/CS9999999", key: world.staffKey)
            #expect(unknown.status == .notFound)
            let nonsense = try await ticketAPI(client, .get, "/api/v1/tickets/zzz", key: world.staffKey)
            #expect(nonsense.status == .notFound)
        }
    }

    @Test func aTenantKeyOpensATicketAndWritesToIt() async throws {
        let world = try await TicketStaffWorld()
        try await world.test { client in
            let created = try await ticketAPI(client, .post, "/api/v1/tickets", key: world.tenantAKey, body: """
                {"contact": "member@client.fr", "type": "incident", "product": "loop", "impact": "minor",
                 "fields": [{"key": "error_shown", "value": "Erreur 500"}], "description": "L'export plante.",
                 "follow_up_emails": ["chef@client.fr"]}
                """)
            #expect(created.status == .created, "\(created.text)")
            let ticket = try #require(created["ticket"] as? [String: Any])
            let number = try #require(ticket["number"] as? String)
            #expect(created.headers[.location] == "/api/v1/tickets/\(number)")
            #expect(ticket["contact"] as? String == "member@client.fr" && ticket["priority"] as? Int == 4)
            #expect(created["follow_up_emails"] as? [String] == ["chef@client.fr"])
            let written = try await ticketAPI(client, .post, "/api/v1/tickets/\(number)/messages", key: world.tenantAKey,
                                              body: #"{"body": "Toujours en erreur ce matin.", "author": "admin@client.fr"}"#)
            #expect(written.status == .created, "\(written.text)")
            let messages = try #require(written["messages"] as? [[String: Any]])
            #expect(messages.last?["body"] as? String == "Toujours en erreur ce matin." && messages.last?["kind"] as? String == "customer")
            let empty = try await ticketAPI(client, .post, "/api/v1/tickets/\(number)/messages", key: world.tenantAKey, body: #"{"body": "  "}"#)
            #expect(empty.status == .unprocessableContent && empty.errorField == "body", "\(empty.text)")
        }
    }

    /// Every route of /api/v1/tickets: no key is a JSON 401, a session cookie is no key, and the
    /// routes that write take a tenant's key only (a staff key is a 403, nothing written).
    @Test func everyTicketRouteNeedsAKey() async throws {
        let world = try await TicketStaffWorld()
        let table = RouteTable()
        let router = buildRouter(site: world.site, routeTable: table)
        let routes = table.all.filter { $0.path.hasPrefix("/api/v1/tickets") }
        #expect(routes.count == 4, "\(routes.map(\.path))")
        let number = world.adminRequest.number.description
        let before = try await world.messages(world.adminRequest.number)
        try await Application(router: router).test(.router) { client in
            for route in routes {
                let uri = route.path.replacingOccurrences(of: ":number", with: number)
                let body = #"{"body": "x", "contact": "member@client.fr", "type": "administrative", "theme": "billing", "description": "x"}"#
                let anonymous = try await ticketAPI(client, route.method, uri, key: nil, body: body)
                #expect(anonymous.status == .unauthorized && anonymous.errorCode == "unauthorized", "\(route.method) \(uri)")
                var headers = pageHeaders(session: world.fixture.operatorLogin.session)
                headers[.contentType] = "application/json"
                let cookie = try await client.execute(uri: uri, method: route.method, headers: headers, body: ByteBuffer(string: body)) { $0.status }
                #expect(cookie == .unauthorized, "\(route.method) \(uri) with a session cookie")
                if route.method == .post {
                    #expect(route.access == .tenantKey)
                    let staff = try await ticketAPI(client, .post, uri, key: world.staffKey, body: body)
                    #expect(staff.status == .forbidden, "\(uri) with a staff key")
                } else {
                    #expect(route.access == .apiKey)
                }
            }
        }
        #expect(try await world.messages(world.adminRequest.number) == before)
        #expect(try await world.ticketStore.tickets(TicketQuery(), for: .staff).total == 4)
    }
}
