import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Notify
import Portal
import StatusModel
import StatusWeb
import Testing

/// The console's incident page and the tickets: it lists the linked ones, and "Lier les
/// demandes ouvertes" links, in one POST, the open tickets on its products opened since it started.
@Suite struct IncidentTicketsTests {
    @Test func theIncidentPageListsItsTicketsAndLinksTheOpenOnes() async throws {
        let world = try await TicketStaffWorld()
        let ops = world.fixture.operatorLogin
        let path = "/staff/incidents/\(world.incident.id)"
        try await world.test { client in
            let before = try await kbGet(client, path, session: ops.session)
            #expect(before.status == .ok)
            #expect(before.body.contains("id=\"linked-tickets-empty\""))
            #expect(before.body.contains("action=\"\(path)/tickets\""))
            let linked = try await staffPost(client, "\(path)/tickets", ops, "csrf=\(ops.csrf)")
            #expect(linked.status == .seeOther && linked.headers[.location] == "\(path)?notice=tickets_linked")
            let after = try await kbGet(client, "\(path)?notice=tickets_linked", session: ops.session)
            #expect(after.body.contains("The open requests on the incident&#39;s products are linked."))
            for ticket in [world.memberIncidentTicket, world.tenantBIncidentTicket] {
                #expect(after.body.contains("<li data-number=\"\(ticket.number)\""))
                #expect(try await world.ticket(ticket.number).incidentID == world.incident.id)
            }
            for ticket in [world.adminRequest, world.tenantBStreamTicket] {
                #expect(!after.body.contains("data-number=\"\(ticket.number)\""))
                #expect(try await world.ticket(ticket.number).incidentID == nil)
            }
            #expect(try await staffPost(client, "\(path)/tickets", ops, "csrf=wrong").status == .forbidden)
            #expect(try await staffPost(client, "\(path)/tickets", world.fixture.agent, "csrf=\(world.fixture.agent.csrf)").status == .forbidden)
            #expect(try await staffPost(client, "/staff/incidents/nope/tickets", ops, "csrf=\(ops.csrf)").status == .notFound)
        }
    }
}

/// Resolving an incident in the console reaches the tickets linked to it, through the
/// follower of the status journal: each gets the resolution as a proposed solution, each of
/// their addresses exactly one mail (the real outbox table), and a ticket not linked nothing.
@Suite struct IncidentResolutionTests {
    @Test func resolvingAnIncidentProposesItsResolutionOnEachLinkedTicketAndMailsEachAddressOnce() async throws {
        let world = try await TicketStaffWorld()
        let ops = world.fixture.operatorLogin
        let agent = world.fixture.agent
        // Three linked tickets from two tenants: two by "Lier les demandes ouvertes", one by hand.
        _ = try await world.service.linkOpenTickets(to: world.incident, by: ops.user)
        _ = try await world.service.linkIncident(world.adminRequest.number, incidentID: world.incident.id, by: agent.user)
        let linked = [world.memberIncidentTicket, world.tenantBIncidentTicket, world.adminRequest]
        let unlinked = world.tenantBStreamTicket
        let follower = TicketIncidentFollower(events: world.fixture.store, tickets: world.service, cursor: world.ticketStore,
                                              logger: Logger(label: "test"))
        // Events before the resolution (the incident's declaration) propose nothing.
        try await follower.followPending()
        let before = try await world.mails().count
        let resolution = "Le stockage a été étendu : Cegid Loop répond normalement."
        try await world.test { client in
            let posted = try await staffPost(client, "/staff/incidents/\(world.incident.id)/updates", ops,
                                             "csrf=\(ops.csrf)&status=resolved&message=\(urlEncoded(resolution))")
            #expect(posted.status == .seeOther)
        }
        try await follower.followPending()
        // A second pass (a restart, another process) proposes and mails nothing more.
        try await follower.followPending()

        for ticket in linked {
            let now = try await world.ticket(ticket.number)
            #expect(now.state == .solutionProposed, "\(ticket.number)")
            let solutions = try await world.messages(ticket.number).filter { $0.kind == .solution }
            #expect(solutions.map(\.body) == [resolution], "\(ticket.number)")
        }
        #expect(try await world.ticket(unlinked.number).state == .new)
        #expect(try await world.messages(unlinked.number).contains { $0.kind == .solution } == false)

        let sent = Array(try await world.mails().dropFirst(before))
        let addresses = ["member@client.fr", "admin@client.fr", "compta@client.fr", "admin@client-b.fr", "dsi@client-b.fr"]
        for address in addresses {
            #expect(sent.filter { $0.to == address }.count == 1, "\(address): \(sent.map(\.to))")
        }
        #expect(Set(sent.map(\.to)) == Set(addresses), "nobody else is mailed")
        #expect(sent.allSatisfy { $0.text.contains(resolution) })
        #expect(!sent.contains { $0.text.contains(unlinked.number.description) }, "the ticket not linked is not mailed about")
    }
}
