import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Notify
import Portal
import StatusModel
import StatusWeb
import Testing
import TestSupport

/// A ticket's page as agents work it: every action, its CSRF token, the messages next to the
/// fields, and what reaches the customer (never an internal note).
@Suite struct TicketStaffActionTests {
    @Test func theTicketPageShowsTheWholeConversationWithNotesMarkedInternal() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        let number = world.memberIncidentTicket.number
        _ = try await world.service.note(number, body: "Voir le ticket <b>interne</b> du fournisseur.", attachments: [], by: agent.user)
        try await world.test { client in
            let page = try await kbGet(client, "/staff/tickets/\(number)", session: agent.session)
            #expect(page.status == .ok)
            #expect(page.body.contains("La saisie des factures ne répond plus depuis ce matin."))
            #expect(page.body.contains("Voir le ticket &lt;b&gt;interne&lt;/b&gt; du fournisseur."))
            #expect(!page.body.contains("<b>interne</b>"))
            let note = try #require(page.body.components(separatedBy: "data-kind=\"note\"").dropFirst().first)
            #expect(note.contains("Internal note: hidden from the customer"))
            #expect(page.body.contains("class=\"ticket-message m-note internal\""))
            #expect(page.body.contains("id=\"detail-contact\">F L · member@client.fr"))
            #expect(page.body.contains("id=\"detail-field-error_shown\">Erreur 504"))
            #expect(page.body.contains("id=\"detail-priority\">1 - Critical"))
            #expect(try await kbGet(client, "/staff/tickets/CS9999999", session: agent.session).status == .notFound)
            #expect(try await kbGet(client, "/staff/tickets/nonsense", session: agent.session).status == .notFound)
        }
    }

    @Test func anAgentAssignsRepliesWaitsProposesAndCloses() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent, ops = world.fixture.operatorLogin
        let number = world.adminRequest.number
        let path = "/staff/tickets/\(number)"
        try await world.test { client in
            let page = try await kbGet(client, path, session: agent.session)
            #expect(page.body.contains("<option value=\"\(ops.user.id)\">O P (operator)</option>"))
            let taken = try await staffPost(client, "\(path)/assign", agent, "csrf=\(agent.csrf)&assignee=me")
            #expect(taken.status == .seeOther && taken.headers[.location] == "\(path)?notice=assigned")
            #expect(try await world.ticket(number).assigneeID == agent.user.id)
            #expect(try await world.ticket(number).state == .inProgress)
            let given = try await staffPost(client, "\(path)/assign", agent, "csrf=\(agent.csrf)&assignee=\(ops.user.id)")
            #expect(given.status == .seeOther)
            #expect(try await world.ticket(number).assigneeID == ops.user.id)
            let customer = try await staffPost(client, "\(path)/assign", agent, "csrf=\(agent.csrf)&assignee=\(world.fixture.admin.user.id)")
            #expect(customer.status == .unprocessableContent)
            #expect(customer.body.showsError("Choose an agent or an operator from the list.", nextTo: "assignee"))
            #expect(try await world.ticket(number).assigneeID == ops.user.id)

            let reply = try await staffPost(client, "\(path)/messages", agent, "csrf=\(agent.csrf)&kind=reply&await=1&body=\(urlEncoded("Quel mois ?"))")
            #expect(reply.status == .seeOther && reply.headers[.location] == "\(path)?notice=awaiting")
            #expect(try await world.ticket(number).state == .awaitingCustomer)
            let shown = try await kbGet(client, "\(path)?notice=awaiting", session: agent.session)
            #expect(shown.body.contains("Reply sent: the request waits for the customer."))
            #expect(shown.body.contains("Quel mois ?"))

            let empty = try await staffPost(client, "\(path)/messages", agent, "csrf=\(agent.csrf)&kind=solution&body=+")
            #expect(empty.status == .unprocessableContent)
            let solution = try await staffPost(client, "\(path)/messages", agent,
                                               "csrf=\(agent.csrf)&kind=solution&body=\(urlEncoded("La facture de novembre est renvoyée."))")
            #expect(solution.status == .seeOther)
            #expect(try await world.ticket(number).state == .solutionProposed)
            #expect(try await kbGet(client, path, session: agent.session).body.contains("id=\"close-form\"") == false)

            let reader = TicketReader(userID: world.fixture.admin.user.id, adminTenantIDs: [world.tenantA.id])
            _ = try await world.service.acceptSolution(number, by: world.fixture.admin.user, reader: reader)
            let resolved = try await kbGet(client, path, session: agent.session)
            #expect(resolved.body.contains("id=\"close-form\"") && resolved.body.contains("id=\"article-form\""))
            let closed = try await staffPost(client, "\(path)/close", agent, "csrf=\(agent.csrf)")
            #expect(closed.status == .seeOther && closed.headers[.location] == "\(path)?notice=closed")
            #expect(try await world.ticket(number).state == .closed)
            let closedPage = try await kbGet(client, path, session: agent.session)
            #expect(!closedPage.body.contains("id=\"send-reply\"") && !closedPage.body.contains("id=\"priority-form\""),
                    "a closed ticket offers only a note")
            #expect(closedPage.body.contains("id=\"send-note\""))
            let again = try await staffPost(client, "\(path)/close", agent, "csrf=\(agent.csrf)")
            #expect(again.status == .conflict)
            #expect(again.body.contains("The request changed meanwhile (it is now “Closed”)"))
        }
    }

    @Test func aPriorityChangeNeedsAReason() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        let number = world.tenantBIncidentTicket.number
        let path = "/staff/tickets/\(number)"
        try await world.test { client in
            let refused = try await staffPost(client, "\(path)/priority", agent, "csrf=\(agent.csrf)&priority=2&reason=+")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("aria-invalid=\"true\""))
            #expect(refused.body.contains("<option value=\"2\" selected>2 - High</option>"), "the chosen priority is kept")
            let reasonError = try #require(refused.body.components(separatedBy: "id=\"reason\"").dropFirst().first)
            #expect(reasonError.prefix(400).contains("class=\"field-error\""), "the message is next to the reason")
            #expect(try await world.ticket(number).priority == .low)
            let bad = try await staffPost(client, "\(path)/priority", agent, "csrf=\(agent.csrf)&priority=9&reason=urgent")
            #expect(bad.status == .unprocessableContent)
            let changed = try await staffPost(client, "\(path)/priority", agent,
                                              "csrf=\(agent.csrf)&priority=2&reason=\(urlEncoded("Toute la DSI est bloquée"))")
            #expect(changed.status == .seeOther)
            #expect(try await world.ticket(number).priority == .high)
            #expect(try await world.messages(number).contains { $0.kind == .event && $0.body.contains("Toute la DSI est bloquée") })
        }
    }

    @Test func everyFormNeedsItsCSRFToken() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        let number = world.adminRequest.number
        let before = try await world.messages(number)
        try await world.test { client in
            for (action, body) in [("assign", "assignee=me"), ("messages", "kind=note&body=x"), ("priority", "priority=1&reason=x"),
                                   ("incident", "incident=\(world.incident.id)"), ("close", ""), ("article", "")] {
                let response = try await staffPost(client, "/staff/tickets/\(number)/\(action)", agent, "csrf=wrong&\(body)")
                #expect(response.status == .forbidden, "\(action)")
            }
        }
        #expect(try await world.messages(number) == before)
        #expect(try await world.ticket(number).assigneeID == nil)
        #expect(try await world.ticket(number).incidentID == nil)
    }

    @Test func anAgentLinksAndUnlinksAnIncident() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        let number = world.tenantBIncidentTicket.number
        let path = "/staff/tickets/\(number)"
        try await world.test { client in
            let page = try await kbGet(client, path, session: agent.session)
            #expect(page.body.contains("<option value=\"\(world.incident.id)\">Lenteurs sur Cegid Loop (Investigating"))
            let unknown = try await staffPost(client, "\(path)/incident", agent, "csrf=\(agent.csrf)&incident=nope")
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.body.showsError("Choose an incident from the list.", nextTo: "incident"))
            let linked = try await staffPost(client, "\(path)/incident", agent, "csrf=\(agent.csrf)&incident=\(world.incident.id)")
            #expect(linked.status == .seeOther && linked.headers[.location] == "\(path)?notice=linked")
            #expect(try await world.ticket(number).incidentID == world.incident.id)
            let shown = try await kbGet(client, path, session: agent.session)
            #expect(shown.body.contains("id=\"linked-incident\">Linked incident: <a href=\"/staff/incidents/\(world.incident.id)\">Lenteurs sur Cegid Loop</a>"))
            let unlinked = try await staffPost(client, "\(path)/incident", agent, "csrf=\(agent.csrf)&incident=\(world.incident.id)&action=unlink")
            #expect(unlinked.status == .seeOther && unlinked.headers[.location] == "\(path)?notice=unlinked")
            #expect(try await world.ticket(number).incidentID == nil)
        }
    }

    @Test func theSolutionBecomesADraftArticleOnlyStaffSee() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        let number = world.memberIncidentTicket.number
        let path = "/staff/tickets/\(number)"
        try await world.test { client in
            _ = try await staffPost(client, "\(path)/messages", agent, "csrf=\(agent.csrf)&kind=solution&body=\(urlEncoded("Videz le cache **du navigateur**."))")
            let early = try await staffPost(client, "\(path)/article", agent, "csrf=\(agent.csrf)")
            #expect(early.status == .conflict, "a solution not accepted yet is no article")
            let reader = TicketReader(userID: world.fixture.member.user.id)
            _ = try await world.service.acceptSolution(number, by: world.fixture.member.user, reader: reader)
            let created = try await staffPost(client, "\(path)/article", agent, "csrf=\(agent.csrf)")
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            #expect(location.hasPrefix("/staff/kb/KB") && location.hasSuffix("?notice=created"))
            let articleNumber = try #require(ArticleNumber(String(location.dropFirst("/staff/kb/".count).prefix(9))))
            let article = try #require(try await world.fixture.knowledgeBase.store.article(articleNumber, for: .staff))
            #expect(article.state == .draft)
            #expect(article.content.title == world.memberIncidentTicket.subject)
            #expect(article.content.body == "Videz le cache **du navigateur**.")
            #expect(article.content.category == TestKnowledgeBase.categories[0])
            #expect(article.content.productIDs == ["loop"])
            let editor = try await kbGet(client, String(location.split(separator: "?")[0]), session: agent.session)
            #expect(editor.status == .ok && editor.body.contains("Videz le cache **du navigateur**."))
            for login in [world.fixture.member, world.fixture.admin] {
                #expect(try await kbGet(client, "/kb/\(articleNumber)", session: login.session).status == .notFound)
                #expect(try await kbGet(client, "/staff/kb/\(articleNumber)", session: login.session).status == .forbidden)
            }
            #expect(try await kbGet(client, "/kb/\(articleNumber)").status == .notFound)
        }
    }

    @Test func repliesCarryAttachmentsAndARefusedFileKeepsTheText() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        let number = world.tenantBIncidentTicket.number
        let path = "/staff/tickets/\(number)"
        @Sendable func upload(_ fileName: String, _ type: String, _ bytes: Data, kind: String = "note") -> (HTTPFields, ByteBuffer) {
            var body = MultipartBody()
            body.field("csrf", agent.csrf)
            body.field("kind", kind)
            body.field("body", "Journal du serveur ci-joint")
            body.file("files", fileName: fileName, type: type, bytes)
            var headers = pageHeaders(session: agent.session)
            headers[.contentType] = MultipartBody.contentType
            return (headers, ByteBuffer(bytes: body.encoded()))
        }
        try await world.test { client in
            let (refusedHeaders, refusedBody) = upload("page.html", "text/html", Data("<html><script>alert(1)</script></html>".utf8))
            let refused = try await client.execute(uri: "\(path)/messages", method: .post, headers: refusedHeaders, body: refusedBody) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(refused.0 == .unprocessableContent)
            #expect(refused.1.keeps("Journal du serveur ci-joint", in: "body"))
            let fileError = try #require(refused.1.components(separatedBy: "id=\"files\"").dropFirst().first)
            #expect(fileError.prefix(300).contains("class=\"field-error\">page.html"))
            #expect(try await world.messages(number).count == 1)

            let (headers, body) = upload("journal serveur.txt", "text/plain", Data("erreur 504 à 09:14".utf8))
            let kept = try await client.execute(uri: "\(path)/messages", method: .post, headers: headers, body: body) { ($0.status, $0.headers[.location]) }
            #expect(kept.0 == .seeOther && kept.1 == "\(path)?notice=noted")
            let note = try #require(try await world.messages(number).last)
            #expect(note.kind == .note && note.attachments.map(\.fileName) == ["journal serveur.txt"])
            let attachment = try #require(note.attachments.first)
            let page = try await kbGet(client, path, session: agent.session)
            #expect(page.body.contains("href=\"\(path)/attachments/\(attachment.id)\" download>journal serveur.txt</a>"))
            let download = try await kbGet(client, "\(path)/attachments/\(attachment.id)", session: agent.session)
            #expect(download.status == .ok && download.body == "erreur 504 à 09:14")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(try await kbGet(client, "\(path)/attachments/\(attachment.id)", session: world.tenantBAdmin.session).status == .forbidden)
            #expect(try await kbGet(client, "\(path)/attachments/999", session: agent.session).status == .notFound)
        }
    }

    /// An internal note reaches no customer: not their API answer, not a mail (the outbox), not
    /// their tenant's listing; the staff key's answer has it.
    @Test func aNoteNeverReachesTheCustomer() async throws {
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        let number = world.tenantBIncidentTicket.number
        let secret = "Le client B a dépassé son quota, ne pas le dire"
        let mailsBefore = try await world.mails().count
        try await world.test { client in
            let noted = try await staffPost(client, "/staff/tickets/\(number)/messages", agent, "csrf=\(agent.csrf)&kind=note&body=\(urlEncoded(secret))")
            #expect(noted.status == .seeOther)
            _ = try await staffPost(client, "/staff/tickets/\(number)/messages", agent, "csrf=\(agent.csrf)&kind=reply&body=\(urlEncoded("Nous regardons."))")
            _ = try await staffPost(client, "/staff/tickets/\(number)/messages", agent, "csrf=\(agent.csrf)&kind=solution&body=\(urlEncoded("C'est réparé."))")

            let tenant = try await ticketAPI(client, .get, "/api/v1/tickets/\(number)", key: world.tenantBKey)
            #expect(tenant.status == .ok)
            #expect(!tenant.text.contains(secret) && !tenant.text.contains("\"note\""))
            #expect(tenant.text.contains("Nous regardons.") && tenant.text.contains("C'est réparé."))
            let search = try await ticketAPI(client, .get, "/api/v1/tickets?q=quota", key: world.tenantBKey)
            #expect(search.status == .ok && (search["tickets"] as? [Any])?.isEmpty == true, "a customer's search does not read notes")
            let staff = try await ticketAPI(client, .get, "/api/v1/tickets/\(number)", key: world.staffKey)
            #expect(staff.text.contains(secret) && staff.text.contains("\"kind\":\"note\""))
        }
        let mails = try await world.mails()
        #expect(mails.count > mailsBefore, "the reply and the solution were mailed")
        for mail in mails {
            #expect(!mail.text.contains(secret) && !(mail.html ?? "").contains(secret) && !mail.subject.contains(secret), "mail to \(mail.to)")
        }
    }
}
