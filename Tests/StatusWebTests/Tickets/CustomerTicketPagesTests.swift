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

extension String {
    /// Whether a field error follows the element `id="field"` before any other label.
    func hasError(nextTo field: String) -> Bool {
        guard let input = range(of: "id=\"\(field)\"") else { return false }
        let rest = self[input.upperBound...]
        guard let error = rest.range(of: "<p class=\"field-error\">") else { return false }
        return !rest[..<error.lowerBound].contains("<label")
    }
}

/// The customer's pages of support requests, through the router: each page, the form's steps
/// and its refusals (everything typed kept, each message next to its field), the ticket page's
/// actions, and what a customer never sees.
@Suite struct CustomerTicketPagesTests {
    @Test func helpListsTheSixTypesAndTheMenuLinksToIt() async throws {
        let world = try await TicketsFixture()
        try await world.test { client in
            let page = try await world.get(client, "/help", session: world.member.session)
            #expect(page.status == .ok)
            for type in ["incident", "administrative", "application", "portal", "technical", "hardware"] {
                #expect(page.body.contains("href=\"/help/new/\(type)\""), "\(type)")
            }
            #expect(page.body.contains("Need help?"))
            #expect(page.body.contains("id=\"menu-help\"") && page.body.contains("id=\"menu-requests\""))
            let account = try await world.get(client, "/account", session: world.member.session)
            #expect(account.body.contains("href=\"/help\"") && account.body.contains("href=\"/requests\""))
            let anonymous = try await world.get(client, "/help", session: nil)
            #expect(anonymous.status != .ok)
            #expect(try await world.get(client, "/help/new/nothing", session: world.member.session).status == .notFound)
        }
    }

    @Test func withoutJavaScriptTheListsComeFirstThenTheRest() async throws {
        let world = try await TicketsFixture()
        try await world.test { client in
            let first = try await world.get(client, "/help/new/portal", session: world.member.session)
            #expect(first.status == .ok)
            #expect(first.body.contains("<div id=\"ticket-rest\" class=\"ticket-rest\" hidden>"))
            #expect(first.body.contains("<option value=\"portal/administration/sign_in\" >1 - Signing in</option>"))
            var form = MultipartBody()
            form.field("csrf", world.member.csrf)
            form.field("path", "portal/administration/sign_in")
            form.field("step", "choose")
            let second = try await world.postMultipart(client, "/help/new/portal", session: world.member.session, form)
            #expect(second.status == .ok)
            #expect(second.body.contains("<div id=\"ticket-rest\" class=\"ticket-rest\" >"))
            #expect(second.body.contains("Portal : Administration and use - 1 - Signing in"))
        }
    }

    @Test func aTicketSentOpensAndShowsInTheList() async throws {
        let world = try await TicketsFixture()
        try await world.test { client in
            var form = MultipartBody()
            form.field("csrf", world.member.csrf)
            form.field("path", "portal/administration/users")
            form.field("step", "send")
            form.field("description", "Impossible d'inviter un collègue <b>vite</b>.")
            form.file("files", fileName: "capture.txt", type: "text/plain", Data("La page affiche une erreur.".utf8))
            let sent = try await world.postMultipart(client, "/help/new/portal", session: world.member.session, form)
            #expect(sent.status == .seeOther, "\(sent.body)")
            let location = try #require(sent.headers[.location])
            #expect(location.hasPrefix("/requests/CS0000001"))
            let page = try await world.get(client, "/requests/CS0000001", session: world.member.session)
            #expect(page.status == .ok)
            #expect(page.body.contains("Portail : Administration et utilisation - 2 - Gestion des utilisateurs")
                || page.body.contains("Portal : Administration and use - 2 - Managing users"))
            #expect(page.body.contains("&lt;b&gt;vite&lt;/b&gt;"), "user text is escaped")
            #expect(page.body.contains("capture.txt"))
            for id in ["detail-number", "detail-assignee", "detail-priority", "detail-state", "detail-contact", "detail-opened"] {
                #expect(page.body.contains("id=\"\(id)\""), "\(id)")
            }
            #expect(page.body.contains("<time datetime="))
            let list = try await world.get(client, "/requests", session: world.member.session)
            #expect(list.body.contains("data-number=\"CS0000001\""))
            let attachment = try #require(try await world.tickets.messages(of: TicketNumber(1), for: .staff).first?.attachments.first)
            let download = try await world.get(client, "/requests/CS0000001/attachments/\(attachment.id)", session: world.member.session)
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(download.headers[.xContentTypeOptions] == "nosniff")
            #expect(download.body == "La page affiche une erreur.")
        }
    }

    @Test func badInputComesBackWithEachMessageNextToItsFieldAndEverythingKept() async throws {
        let world = try await TicketsFixture()
        try await world.test { client in
            var form = MultipartBody()
            form.field("csrf", world.member.csrf)
            form.field("path", "access/sign_in/password")
            form.field("step", "send")
            form.field("product", "loop")
            form.field("impact", "partial")
            form.field("field_problem", "slow")
            form.field("field_error_shown", "ERR-42 <script>")
            form.field("concernsProject", "yes")
            form.field("followUps", "colleague@client.fr")
            form.field("description", "")
            form.file("files", fileName: "notes.txt", type: "text/plain", Data("x".utf8))
            let page = try await world.postMultipart(client, "/help/new/incident", session: world.member.session, form)
            #expect(page.status == .unprocessableContent)
            #expect(page.body.showsError("Describe your request.", nextTo: "description"))
            #expect(page.body.hasError(nextTo: "project"))
            #expect(page.body.keeps("ERR-42 &lt;script&gt;", in: "field_error_shown"))
            #expect(page.body.keeps("colleague@client.fr", in: "followUps"))
            #expect(page.body.contains("<option value=\"slow\" selected>"))
            #expect(page.body.contains("id=\"impact-partial\" checked"))
            #expect(page.body.contains("<option value=\"access/sign_in/password\" selected>"))
            #expect(page.body.contains("id=\"files-again\""), "the files must be chosen again, and the page says so")
            #expect(try await world.tickets.tickets(TicketQuery(), for: .staff).total == 0)
        }
    }

    @Test(arguments: ["html", "large"])
    func aRefusedFileIsSaidNextToTheFieldAndTheRestKept(kind: String) async throws {
        let world = try await TicketsFixture()
        try await world.test { client in
            var form = MultipartBody()
            form.field("csrf", world.member.csrf)
            form.field("path", "portal/administration/sign_in")
            form.field("step", "send")
            form.field("description", "Voici la capture de l'erreur.")
            if kind == "html" {
                form.file("files", fileName: "rapport.pdf", type: "application/pdf", Data("<html><script>alert(1)</script></html>".utf8))
            } else {
                form.file("files", fileName: "huge.txt", type: "text/plain", Data(repeating: 0x61, count: Int(TestKnowledgeBase.uploadLimit) + 10))
            }
            let page = try await world.postMultipart(client, "/help/new/portal", session: world.member.session, form)
            #expect(page.status == .unprocessableContent)
            #expect(page.body.hasError(nextTo: "files"))
            #expect(page.body.contains(kind == "html" ? "rapport.pdf" : "huge.txt"))
            #expect(page.body.contains(">Voici la capture de l&#39;erreur.</textarea>") || page.body.contains(">Voici la capture de l'erreur.</textarea>"))
            #expect(try await world.tickets.tickets(TicketQuery(), for: .staff).total == 0)
        }
    }

    @Test func aCustomerNeverSeesAnInternalNote() async throws {
        let world = try await TicketsFixture()
        let ticket = try await world.open(by: world.member)
        _ = try await world.service.note(ticket.number, body: "NOTE-INTERNE-7731 le client est difficile", attachments: [], by: world.agent.user)
        _ = try await world.service.reply(ticket.number, body: "Bonjour, nous regardons.", attachments: [], by: world.agent.user, reader: .staff)
        try await world.test { client in
            for session in [world.member.session, world.admin.session] {
                let page = try await world.get(client, "/requests/\(ticket.number)", session: session)
                #expect(page.status == .ok)
                #expect(!page.body.contains("NOTE-INTERNE-7731"))
                #expect(page.body.contains("Bonjour, nous regardons."))
                let list = try await world.get(client, "/requests?q=NOTE-INTERNE-7731", session: session)
                #expect(!list.body.contains("data-number=\"\(ticket.number)\""), "a note's words find nothing for a customer")
            }
        }
    }

    @Test func aMemberSeesTheirOwnAndAnAdministratorAllTheTenantsWithFilters() async throws {
        let world = try await TicketsFixture()
        let mine = try await world.open(by: world.member, description: "Première demande du membre")
        let admins = try await world.open(by: world.admin, type: "administrative", path: ["billing", "invoice", "copy"], description: "Duplicata de facture")
        _ = try await world.service.cancel(admins.number, by: world.admin.user, reader: TicketReader(userID: world.admin.user.id, adminTenantIDs: [world.tenantA.id]))
        try await world.test { client in
            let member = try await world.get(client, "/requests", session: world.member.session)
            #expect(member.body.contains("data-number=\"\(mine.number)\"") && !member.body.contains("data-number=\"\(admins.number)\""))
            #expect(try await world.get(client, "/requests/\(admins.number)", session: world.member.session).status == .notFound)
            let admin = try await world.get(client, "/requests", session: world.admin.session)
            #expect(admin.body.contains("data-number=\"\(mine.number)\"") && admin.body.contains("data-number=\"\(admins.number)\""))
            let open = try await world.get(client, "/requests?state=open", session: world.admin.session)
            #expect(open.body.contains("data-number=\"\(mine.number)\"") && !open.body.contains("data-number=\"\(admins.number)\""))
            let byType = try await world.get(client, "/requests?type=administrative", session: world.admin.session)
            #expect(!byType.body.contains("data-number=\"\(mine.number)\"") && byType.body.contains("data-number=\"\(admins.number)\""))
            let byNumber = try await world.get(client, "/requests?q=\(mine.number)", session: world.admin.session)
            #expect(byNumber.body.contains("data-number=\"\(mine.number)\"") && !byNumber.body.contains("data-number=\"\(admins.number)\""))
            let mineOnly = try await world.get(client, "/requests?mine=1", session: world.admin.session)
            #expect(!mineOnly.body.contains("data-number=\"\(mine.number)\"") && mineOnly.body.contains("data-number=\"\(admins.number)\""))
            #expect(try await world.get(client, "/requests?page=99999999999999999999", session: world.admin.session).status == .badRequest)
        }
    }

    @Test func cancellationAsksForAConfirmation() async throws {
        let world = try await TicketsFixture()
        let ticket = try await world.open(by: world.member)
        try await world.test { client in
            let confirm = try await world.get(client, "/requests/\(ticket.number)/cancel", session: world.member.session)
            #expect(confirm.status == .ok && confirm.body.contains("id=\"confirm-cancel\""))
            #expect(try await world.tickets.ticket(ticket.number, for: .staff)?.state == .new, "showing the confirmation changes nothing")
            let done = try await world.post(client, "/requests/\(ticket.number)/cancel", session: world.member.session, "csrf=\(world.member.csrf)")
            #expect(done.status == .seeOther)
            #expect(try await world.tickets.ticket(ticket.number, for: .staff)?.state == .cancelled)
            let page = try await world.get(client, "/requests/\(ticket.number)", session: world.member.session)
            #expect(!page.body.contains("id=\"cancel-request\""))
            let forged = try await world.post(client, "/requests/\(ticket.number)/cancel", session: world.member.session, "csrf=wrong")
            #expect(forged.status == .forbidden)
        }
    }

    @Test func aSolutionIsRefusedWithAReasonThenAcceptedThenRatedOnce() async throws {
        let world = try await TicketsFixture()
        let ticket = try await world.open(by: world.member)
        _ = try await world.service.proposeSolution(ticket.number, body: "Videz le cache du navigateur.", attachments: [], by: world.agent.user)
        try await world.test { client in
            let page = try await world.get(client, "/requests/\(ticket.number)", session: world.member.session)
            #expect(page.body.contains("id=\"accept-solution\"") && page.body.contains("id=\"refuse-dialog\""))
            let plain = try await world.get(client, "/requests/\(ticket.number)/refuse", session: world.member.session)
            #expect(plain.status == .ok && plain.body.contains("id=\"reason\""))
            let empty = try await world.post(client, "/requests/\(ticket.number)/refuse", session: world.member.session, "csrf=\(world.member.csrf)&reason=+")
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.hasError(nextTo: "reason"))
            #expect(try await world.tickets.ticket(ticket.number, for: .staff)?.state == .solutionProposed)
            let refused = try await world.post(client, "/requests/\(ticket.number)/refuse", session: world.member.session,
                                               "csrf=\(world.member.csrf)&reason=\(urlEncoded("Le cache est déjà vide."))")
            #expect(refused.status == .seeOther)
            #expect(try await world.tickets.ticket(ticket.number, for: .staff)?.state == .inProgress)
            _ = try await world.service.proposeSolution(ticket.number, body: "Nous avons corrigé votre compte.", attachments: [], by: world.agent.user)
            let accepted = try await world.post(client, "/requests/\(ticket.number)/accept", session: world.member.session, "csrf=\(world.member.csrf)")
            #expect(accepted.status == .seeOther)
            #expect(try await world.tickets.ticket(ticket.number, for: .staff)?.state == .resolved)
            let resolved = try await world.get(client, "/requests/\(ticket.number)", session: world.member.session)
            #expect(resolved.body.contains("id=\"avis\"") && resolved.body.contains("id=\"send-rating\""))
            #expect(resolved.body.contains("Le cache est déjà vide."))
            let rated = try await world.post(client, "/requests/\(ticket.number)/rate", session: world.member.session,
                                             "csrf=\(world.member.csrf)&stars=4&comment=Rapide")
            #expect(rated.status == .seeOther)
            #expect(rated.headers[.location]?.hasSuffix("#avis") == true)
            #expect(try await world.tickets.satisfaction(ticketID: ticket.id)?.stars == 4)
            let after = try await world.get(client, "/requests/\(ticket.number)", session: world.member.session)
            #expect(after.body.contains("id=\"rated\"") && !after.body.contains("id=\"send-rating\""))
            _ = try await world.post(client, "/requests/\(ticket.number)/rate", session: world.member.session, "csrf=\(world.member.csrf)&stars=1")
            #expect(try await world.tickets.satisfaction(ticketID: ticket.id)?.stars == 4, "once")
        }
    }

    @Test func followUpAddressesAreAddedAndRemoved() async throws {
        let world = try await TicketsFixture()
        let ticket = try await world.open(by: world.member)
        try await world.test { client in
            let added = try await world.post(client, "/requests/\(ticket.number)/follow-ups", session: world.member.session,
                                             "csrf=\(world.member.csrf)&add=\(urlEncoded("Boss@Client.fr"))")
            #expect(added.status == .seeOther)
            #expect(try await world.tickets.ticket(ticket.number, for: .staff)?.followUpEmails == ["boss@client.fr"])
            let bad = try await world.post(client, "/requests/\(ticket.number)/follow-ups", session: world.member.session,
                                           "csrf=\(world.member.csrf)&add=not-an-address")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.hasError(nextTo: "followUps"))
            #expect(bad.body.keeps("not-an-address", in: "followUps"))
            let removed = try await world.post(client, "/requests/\(ticket.number)/follow-ups", session: world.member.session,
                                               "csrf=\(world.member.csrf)&remove=boss%40client.fr")
            #expect(removed.status == .seeOther)
            #expect(try await world.tickets.ticket(ticket.number, for: .staff)?.followUpEmails == [])
        }
    }

    @Test func aReplyWithoutTextIsRefusedAndOneWithAFileIsKept() async throws {
        let world = try await TicketsFixture()
        let ticket = try await world.open(by: world.member)
        try await world.test { client in
            var empty = MultipartBody()
            empty.field("csrf", world.member.csrf)
            empty.field("body", "  ")
            let refused = try await world.postMultipart(client, "/requests/\(ticket.number)/reply", session: world.member.session, empty)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.hasError(nextTo: "body"))
            var reply = MultipartBody()
            reply.field("csrf", world.member.csrf)
            reply.field("body", "Voici le journal.")
            reply.file("files", fileName: "journal.txt", type: "text/plain", Data("ligne 1".utf8))
            let sent = try await world.postMultipart(client, "/requests/\(ticket.number)/reply", session: world.member.session, reply)
            #expect(sent.status == .seeOther)
            let messages = try await world.tickets.messages(of: ticket.number, for: .staff)
            #expect(messages.last?.body == "Voici le journal." && messages.last?.attachments.first?.fileName == "journal.txt")
        }
    }

    @Test func yesToAnArticleEndsWithoutATicketAndCountsForIt() async throws {
        let world = try await TicketsFixture()
        let article = try await world.portal.knowledgeBase.store.createArticle(
            ArticleDraft(title: "Réinitialiser son mot de passe", body: "Cliquez sur « Mot de passe oublié » sur la page de connexion.",
                         category: "Portail", productIDs: [], language: .fr, visibility: .everyone),
            state: .published, authorID: nil, at: SiteFixture.now)
        try await world.test { client in
            let found = try await world.get(client, "/help/articles?q=\(urlEncoded("je dois réinitialiser mon mot de passe"))", session: world.member.session)
            #expect(found.status == .ok)
            #expect(found.body.contains(article.number.description))
            var search = MultipartBody()
            search.field("csrf", world.member.csrf)
            search.field("path", "portal/administration/sign_in")
            search.field("step", "search")
            search.field("description", "Comment réinitialiser mon mot de passe ?")
            let withoutScript = try await world.postMultipart(client, "/help/new/portal", session: world.member.session, search)
            #expect(withoutScript.body.contains("id=\"kb-yes\"") && withoutScript.body.contains(article.number.description))
            let done = try await world.post(client, "/help/answered", session: world.member.session, "csrf=\(world.member.csrf)&article=\(article.number)")
            #expect(done.status == .ok && done.body.contains("id=\"answered\""))
            #expect(try await world.service.articleAnswers().first { $0.article == article.number }?.count == 1)
            #expect(try await world.tickets.tickets(TicketQuery(), for: .staff).total == 0)
        }
    }

    @Test func anOpenIncidentShowsFirstSubscribesInOneClickAndIsLinked() async throws {
        let world = try await TicketsFixture()
        try await world.portal.store.save(Incident(id: "inc-loop", title: "Lenteurs sur Cegid Loop", impact: .minor, productSlugs: ["loop"],
                                                   startedAt: SiteFixture.now.addingTimeInterval(-3600),
                                                   updates: [.init(status: .investigating, message: "Nous analysons les lenteurs.",
                                                                   at: SiteFixture.now.addingTimeInterval(-3600))]))
        try await world.test { client in
            let form = try await world.get(client, "/help/new/incident?product=loop", session: world.member.session)
            #expect(form.body.contains("id=\"notice-loop\" data-product=\"loop\"  aria-live"), "shown for the chosen product")
            #expect(form.body.contains("Lenteurs sur Cegid Loop") && form.body.contains("Nous analysons les lenteurs."))
            #expect(form.body.contains("products are not yet tied") || form.body.contains("not yet tied to products"))
            #expect(!form.body.contains("Secret Beta"), "hidden products are not offered")
            let subscribed = try await world.post(client, "/help/subscribe", session: world.member.session, "csrf=\(world.member.csrf)&product=loop&type=incident")
            #expect(subscribed.status == .seeOther)
            #expect(try await world.portal.subscriptions.store.subscription(userID: world.member.user.id)?.productSlugs == ["loop"])
            var send = MultipartBody()
            send.field("csrf", world.member.csrf)
            send.field("path", "access/availability/unreachable")
            send.field("step", "send")
            send.field("product", "loop")
            send.field("impact", "blocking")
            send.field("field_problem", "slow")
            send.field("concernsProject", "no")
            send.field("description", "Tout est très lent depuis ce matin.")
            let sent = try await world.postMultipart(client, "/help/new/incident", session: world.member.session, send)
            #expect(sent.status == .seeOther, "\(sent.body)")
            let ticket = try #require(try await world.tickets.ticket(TicketNumber(1), for: .staff))
            #expect(ticket.incidentID == "inc-loop")
            #expect(ticket.priority == .critical)
        }
    }

    @Test func tenantAdministratorsKeepTheProjectList() async throws {
        let world = try await TicketsFixture()
        try await world.test { client in
            let saved = try await world.post(client, "/admin/projects", session: world.admin.session,
                                             "csrf=\(world.admin.csrf)&projects=\(urlEncoded("Recette\nMigration 2027\nrecette\n"))")
            #expect(saved.status == .seeOther)
            #expect(try await world.tickets.projects(tenantID: world.tenantA.id) == ["Recette", "Migration 2027"])
            #expect(try await world.post(client, "/admin/projects", session: world.member.session, "csrf=\(world.member.csrf)&projects=X").status == .forbidden)
            let form = try await world.get(client, "/help/new/application", session: world.member.session)
            #expect(form.body.contains("<option value=\"Migration 2027\" >"))
            #expect(try await world.tickets.projects(tenantID: world.tenantB.id).isEmpty)
        }
    }
}
