import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Portal
import StatusModel
import StatusWeb
import Testing

/// Another tenant's ticket, asked for by that tenant's administrator on every customer route
/// (the page, the attachment, each action): 404, and the ticket, its conversation and its
/// follow-up addresses are as they were.
@Suite struct TicketIsolationTests {
    static let routes: [(method: HTTPRequest.Method, path: String, body: String)] = [
        (.get, "", ""),
        (.get, "/cancel", ""),
        (.get, "/refuse", ""),
        (.post, "/cancel", ""),
        (.post, "/accept", ""),
        (.post, "/refuse", "&reason=non"),
        (.post, "/follow-ups", "&add=intrus%40b.fr"),
        (.post, "/rate", "&stars=1"),
        (.post, "/reply", "multipart"),
        (.get, "/attachments/ATTACHMENT", ""),
    ]

    @Test(arguments: routes.indices)
    func anotherTenantsTicketIs404AndNothingChanges(index: Int) async throws {
        let route = Self.routes[index]
        let world = try await TicketsFixture()
        let intake = world.portal.attachments.intake
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-ticket-\(UUID().uuidString).txt")
        try "journal".write(to: folder, atomically: true, encoding: .utf8)
        let taken = try await intake.take(file: folder, fileName: "journal.txt")
        let ticket = try await world.open(by: world.member, attachments: [taken], followUps: "chef@client.fr")
        _ = try await world.service.proposeSolution(ticket.number, body: "Essayez ceci.", attachments: [], by: world.agent.user)
        let attachmentID = try #require(try await world.tickets.messages(of: ticket.number, for: .staff).first?.attachments.first?.id)
        let before = try await world.staffView(ticket.number)
        try await world.test { client in
            let path = "/requests/\(ticket.number)" + route.path.replacingOccurrences(of: "ATTACHMENT", with: String(attachmentID))
            let status: HTTPResponse.Status
            if route.method == .get {
                status = try await world.get(client, path, session: world.adminB.session).status
            } else if route.body == "multipart" {
                var form = MultipartBody()
                form.field("csrf", world.adminB.csrf)
                form.field("body", "Message d'un intrus")
                status = try await world.postMultipart(client, path, session: world.adminB.session, form).status
            } else {
                status = try await world.post(client, path, session: world.adminB.session, "csrf=\(world.adminB.csrf)" + route.body).status
            }
            #expect(status == .notFound, "\(route.method) \(path)")
            // The same route is open to the ticket's own tenant (so the 404 is about the tenant).
            if route.method == .get {
                #expect(try await world.get(client, path, session: world.member.session).status == .ok, "\(path)")
            }
        }
        let after = try await world.staffView(ticket.number)
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
        #expect(try await world.tickets.satisfaction(ticketID: ticket.id) == nil)
    }

    @Test func theListNeverShowsAnotherTenantsTickets() async throws {
        let world = try await TicketsFixture()
        let ticket = try await world.open(by: world.member, description: "Demande confidentielle du client A")
        try await world.test { client in
            let list = try await world.get(client, "/requests?q=\(ticket.number)", session: world.adminB.session)
            #expect(list.status == .ok)
            #expect(!list.body.contains("data-number=\"\(ticket.number)\""))
            let words = try await world.get(client, "/requests?q=confidentielle", session: world.adminB.session)
            #expect(!words.body.contains("data-number="))
        }
    }
}
