import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// `/staff/tickets/CS…`: a ticket as agents work it. The whole conversation, internal notes
/// included and marked as such; assign, reply (optionally waiting for the customer), note,
/// propose a solution, change the priority with a reason, link or unlink an incident, close,
/// and turn the solution into a draft article. Every action is a POST with the session's
/// CSRF token; the rules are TicketService's, this only reads forms and shows answers.
struct TicketStaffController<Store: StatusStore>: Sendable {
    let tickets: TicketSite
    let accounts: AccountService
    let store: Store
    /// Where "turn the solution into a draft article" writes; nil shows no such button.
    let knowledgeBase: KnowledgeBaseSite?
    /// Files on replies, notes and solutions; nil shows no file field.
    let attachments: AttachmentServices?
    let pages: Pages
    let calendar: DayCalendar
    let clock: @Sendable () -> Date

    private var service: TicketService { tickets.service }

    /// The notices a redirect may ask for: only these, so a link cannot make the page say anything.
    static var notices: Set<String> { ["assigned", "replied", "awaiting", "noted", "proposed", "priority", "linked", "unlinked", "closed"] }

    func addRoutes(to routes: SiteRoutes) {
        let staff = routes.pages(.staff)
        staff.get("/staff/tickets/:number") { request, context in
            let signedIn = try context.requireUser()
            return try await ticketPage(request, signedIn: signedIn, number: try Self.number(context))
        }
        staff.post("/staff/tickets/:number/assign") { request, context in
            let signedIn = try context.requireUser()
            let number = try Self.number(context)
            let form = try await Forms.read(TicketAssignForm.self, from: request, context: context)
            let agentID: Int64?
            switch form.assignee.trimmed {
            case "": agentID = nil
            case "me": agentID = signedIn.user.id
            case let text:
                guard let id = Int64(text), try await accounts.staffUsers().contains(where: { $0.id == id }) else {
                    return try await ticketPage(request, signedIn: signedIn, number: number, errors: ["assignee": "tstaff_error_agent"],
                                                status: .unprocessableContent)
                }
                agentID = id
            }
            return try await act(request, signedIn: signedIn, number: number, notice: "assigned") {
                try await service.assign(number, to: agentID, by: signedIn.user)
            }
        }
        staff.post("/staff/tickets/:number/messages") { request, context in
            let signedIn = try context.requireUser()
            let number = try Self.number(context)
            let language = pages.language(of: request)
            let upload = try await TicketMessageUpload.read(request, context: context, attachments: attachments, catalog: pages.catalog,
                                                            language: language)
            let form = upload.form
            guard let kind = TicketMessageForm.Kind(rawValue: form.kind.trimmed) else { throw HTTPError(.badRequest, message: "Unknown message kind.") }
            if let refusal = upload.refusal {
                return try await ticketPage(request, signedIn: signedIn, number: number, values: form.keptValues, awaitChecked: form.await == "1",
                                            errors: ["files": refusal], status: .unprocessableContent)
            }
            let body = form.body.trimmed
            let waits = kind == .reply && form.await == "1"
            let notice = switch kind {
            case .reply: waits ? "awaiting" : "replied"
            case .note: "noted"
            case .solution: "proposed"
            }
            return try await act(request, signedIn: signedIn, number: number, notice: notice, values: form.keptValues, awaitChecked: waits) {
                switch kind {
                case .reply:
                    try await service.reply(number, body: body, attachments: upload.attachments, awaitCustomer: waits, by: signedIn.user,
                                            reader: TicketReader(.user(signedIn)))
                case .note:
                    try await service.note(number, body: body, attachments: upload.attachments, by: signedIn.user)
                case .solution:
                    try await service.proposeSolution(number, body: body, attachments: upload.attachments, by: signedIn.user)
                }
            }
        }
        staff.post("/staff/tickets/:number/priority") { request, context in
            let signedIn = try context.requireUser()
            let number = try Self.number(context)
            let form = try await Forms.read(TicketPriorityForm.self, from: request, context: context)
            let values = ["priority": form.priority.orEmpty, "reason": form.reason.orEmpty]
            guard let priority = Int(form.priority.trimmed).flatMap(TicketPriority.init(rawValue:)) else {
                return try await ticketPage(request, signedIn: signedIn, number: number, values: values, errors: ["priority": "error_choice_invalid"],
                                            status: .unprocessableContent)
            }
            return try await act(request, signedIn: signedIn, number: number, notice: "priority", values: values) {
                try await service.changePriority(number, to: priority, reason: form.reason.trimmed, by: signedIn.user)
            }
        }
        staff.post("/staff/tickets/:number/incident") { request, context in
            let signedIn = try context.requireUser()
            let number = try Self.number(context)
            let form = try await Forms.read(TicketIncidentForm.self, from: request, context: context)
            let unlink = form.action == "unlink" || form.incident.trimmed.isEmpty
            var incidentID: String?
            if !unlink {
                guard let incident = try await store.incident(id: form.incident.trimmed) else {
                    return try await ticketPage(request, signedIn: signedIn, number: number, errors: ["incident": "tstaff_error_incident"],
                                                status: .unprocessableContent)
                }
                incidentID = incident.id
            }
            return try await act(request, signedIn: signedIn, number: number, notice: unlink ? "unlinked" : "linked") {
                try await service.linkIncident(number, incidentID: incidentID, by: signedIn.user)
            }
        }
        staff.post("/staff/tickets/:number/close") { request, context in
            let signedIn = try context.requireUser()
            let number = try Self.number(context)
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            return try await act(request, signedIn: signedIn, number: number, notice: "closed") {
                try await service.close(number, by: signedIn.user)
            }
        }
        staff.post("/staff/tickets/:number/article") { request, context in
            let signedIn = try context.requireUser()
            let number = try Self.number(context)
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            guard let knowledgeBase, let category = knowledgeBase.categories.first else { throw HTTPError(.notFound) }
            let reader = TicketReader(.user(signedIn))
            guard let ticket = try await service.ticket(number, for: reader) else { throw HTTPError(.notFound) }
            let solution = try await service.conversation(number, for: reader).last { $0.kind == .solution }
            guard Self.solved(ticket), let solution else {
                return try await ticketPage(request, signedIn: signedIn, number: number, conflict: "tstaff_article_unsolved", status: .conflict)
            }
            let draft = ArticleDraft(title: String(ticket.subject.prefix(ArticleForm.maxTitleLength)),
                                     body: String(solution.body.prefix(ArticleForm.maxBodyLength)), category: category,
                                     productIDs: ticket.productSlug.map { [$0] } ?? [],
                                     language: ArticleLanguage(rawValue: ticket.language) ?? .fr, visibility: .everyone)
            let article = try await knowledgeBase.store.createArticle(draft, state: .draft, authorID: signedIn.user.id, at: clock())
            return Forms.redirect(to: "/staff/kb/\(article.number)?notice=created")
        }
        staff.get("/staff/tickets/:number/attachments/:id") { request, context in
            let number = try Self.number(context)
            guard let attachments, let id = Int64(try context.parameters.require("id")),
                  let attachment = try await service.store.attachment(id: id, of: number, for: TicketReader(context.identity)) else {
                throw HTTPError(.notFound)
            }
            return try await attachments.downloads.response(blob: attachment.blob, fileName: attachment.fileName, request: request, context: context)
        }
    }

    /// A ticket whose solution was accepted: its solution may become an article.
    static func solved(_ ticket: Ticket) -> Bool { ticket.state == .resolved || ticket.state == .closed }

    static func number(_ context: StatusRequestContext) throws -> TicketNumber {
        guard let number = TicketNumber(try context.parameters.require("number")) else { throw HTTPError(.notFound) }
        return number
    }

    /// Runs one of the service's changes and answers as a page does: back to the ticket with a
    /// notice; the form again with the message next to its field; the ticket as it is now when
    /// someone changed it first (409); 404 when there is no such ticket.
    private func act(_ request: Request, signedIn: SignedInUser, number: TicketNumber, notice: String, values: [String: String] = [:],
                     awaitChecked: Bool = false, _ change: () async throws -> Ticket) async throws -> Response {
        do {
            _ = try await change()
            return Forms.redirect(to: "/staff/tickets/\(number)?notice=\(notice)")
        } catch let errors as FormErrors {
            return try await ticketPage(request, signedIn: signedIn, number: number, values: values, awaitChecked: awaitChecked,
                                        errors: errors.fields, status: .unprocessableContent)
        } catch let changed as TicketChanged {
            let words = pages.catalog.text("tstaff_state_\(changed.current.rawValue)", pages.language(of: request))
            return try await ticketPage(request, signedIn: signedIn, number: number, values: values, awaitChecked: awaitChecked,
                                        conflict: pages.catalog.text("tstaff_conflict", pages.language(of: request), words), status: .conflict)
        } catch is NotInTenant {
            throw HTTPError(.notFound)
        } catch is NotAllowed {
            throw HTTPError(.forbidden)
        }
    }

    private func ticketPage(_ request: Request, signedIn: SignedInUser, number: TicketNumber, values: [String: String] = [:],
                            awaitChecked: Bool = false, errors: [String: String] = [:], conflict: String? = nil,
                            status: HTTPResponse.Status = .ok) async throws -> Response {
        let reader = TicketReader(.user(signedIn))
        guard let ticket = try await service.ticket(number, for: reader) else { throw HTTPError(.notFound) }
        let messages = try await service.conversation(number, for: reader)
        let language = pages.language(of: request)
        let words = TicketStaffText(language: language, catalog: pages.catalog, calendar: calendar, now: clock())
        let due = words.due(ticket)
        let base = "/staff/tickets/\(ticket.number)"
        var view = TicketStaffView(page: PageChrome(language: language, catalog: pages.catalog, title: "\(ticket.number) · \(ticket.subject)"),
                                   csrf: signedIn.csrfToken, number: ticket.number.description, subject: ticket.subject, base: base,
                                   state: ticket.state.rawValue, stateWord: words.state(ticket.state), priorityWord: words.priority(ticket.priority),
                                   dueWords: due.words, dueState: due.state, late: due.late)
        if let notice = request.uri.queryParameters.get("notice"), Self.notices.contains(notice) {
            view.notice = words.text("tstaff_notice_\(notice)")
        }
        // A key of the catalogs, or a sentence already (an upload's refusal, a conflict).
        view.conflict = conflict.map { pages.catalog.text($0, language) }
        view.errors = errors.mapValues { pages.catalog.text($0, language) }
        view.hasErrors = !errors.isEmpty
        view.values = Pages.dropEmpty(values)
        view.awaitChecked = awaitChecked

        let staffUsers = try await accounts.staffUsers()
        let people = try await accounts.users(ids: [ticket.contactUserID] + [ticket.assigneeID].compactMap { $0 })
        let tenant = try await accounts.tenant(id: ticket.tenantID)
        let products = Dictionary(try await store.products().map { ($0.slug, $0.name) }) { first, _ in first }
        let linked = try await ticket.incidentID.asyncMap { try await store.incident(id: $0) } ?? nil

        let contact = people[ticket.contactUserID]
        var details: [TicketStaffView.Detail] = [
            .init(label: words.text("tstaff_field_number"), value: ticket.number.description, id: "detail-number"),
            .init(label: words.text("tstaff_field_state"), value: words.state(ticket.state), id: "detail-state"),
            .init(label: words.text("tstaff_field_priority"), value: words.priority(ticket.priority), id: "detail-priority"),
            .init(label: words.text("tstaff_field_assignee"), value: ticket.assigneeID.map { people[$0]?.displayName ?? "—" } ?? words.text("tstaff_unassigned"),
                  id: "detail-assignee"),
            .init(label: words.text("tstaff_field_type"), value: words.type(ticket.type, forms: tickets.forms), id: "detail-type"),
            .init(label: words.text("tstaff_field_tenant"), value: tenant.map { "\($0.name) (\($0.code))" } ?? "—", id: "detail-tenant"),
            .init(label: words.text("tstaff_field_contact"), value: contact.map { "\($0.displayName) · \($0.email)" } ?? "—", id: "detail-contact"),
            .init(label: words.text("tstaff_field_opened"), value: words.shortDate(ticket.openedAt), id: "detail-opened"),
            .init(label: words.text("tstaff_field_updated"), value: words.shortDate(ticket.updatedAt), id: "detail-updated"),
        ]
        if let slug = ticket.productSlug {
            details.append(.init(label: words.text("tstaff_field_product"), value: products[slug] ?? slug, id: "detail-product"))
        }
        if let impact = ticket.impact {
            details.append(.init(label: words.text("tstaff_field_impact"),
                                 value: tickets.forms.impact(impact)?.label.text(language.rawValue) ?? impact, id: "detail-impact"))
        }
        if let project = ticket.project {
            details.append(.init(label: words.text("tstaff_field_project"), value: project, id: "detail-project"))
        }
        let typeFields = tickets.forms.type(ticket.type)?.fields ?? []
        for (key, value) in ticket.fields.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            let field = typeFields.first { $0.key == key }
            let shown = field?.choices.first { $0.key == value }?.label.text(language.rawValue) ?? value
            details.append(.init(label: field?.label.text(language.rawValue) ?? key, value: shown, id: "detail-field-\(key)"))
        }
        if !ticket.followUpEmails.isEmpty {
            details.append(.init(label: words.text("tstaff_field_follow_ups"), value: ticket.followUpEmails.joined(separator: ", "), id: "detail-follow-ups"))
        }
        view.details = details

        view.messages = messages.map { message in
            let attachments = message.attachments.map { TicketStaffView.Attachment(name: $0.fileName, href: "\(base)/attachments/\($0.id)") }
            return TicketStaffView.Message(kind: message.kind.rawValue, kindWord: words.kind(message.kind), author: message.authorName,
                                           initials: Self.initials(message.authorName), at: words.date(message.createdAt),
                                           atMachine: words.machine(message.createdAt), body: message.body, isNote: message.kind == .note,
                                           attachments: attachments, hasAttachments: !attachments.isEmpty)
        }
        let typedAgent = values["assignee"]
        view.agents = [.init(value: "", label: words.text("tstaff_nobody"), selected: ticket.assigneeID == nil && typedAgent == nil)]
            + staffUsers.map { user in
                .init(value: String(user.id), label: "\(user.displayName) (\(words.text("tstaff_role_\(user.staffRole?.rawValue ?? "agent")")))",
                      selected: typedAgent.map { $0 == String(user.id) } ?? (user.id == ticket.assigneeID))
            }
        view.isMine = ticket.assigneeID == signedIn.user.id
        view.assigned = ticket.assigneeID != nil
        let chosenPriority = values["priority"] ?? String(ticket.priority.rawValue)
        view.priorities = TicketPriority.allCases.map { .init(value: String($0.rawValue), label: words.priority($0), selected: String($0.rawValue) == chosenPriority) }
        let recent = try await store.recentIncidents(limit: 50)
        view.incidents = recent.sorted { ($0.isResolved ? 1 : 0, $1.startedAt) < ($1.isResolved ? 1 : 0, $0.startedAt) }.map { incident in
            let status = pages.catalog.text("incident_status_\(incident.status.rawValue)", language)
            return .init(value: incident.id, label: "\(incident.title) (\(status), \(words.shortDate(incident.startedAt)))", selected: incident.id == ticket.incidentID)
        }
        view.hasIncidents = !view.incidents.isEmpty
        if let id = ticket.incidentID {
            view.linkedIncidentTitle = linked?.title ?? id
            view.linkedIncidentHref = "/staff/incidents/\(id)"
        }
        view.isOpen = ticket.state.isOpen
        view.canClose = TicketRules.state(after: .close, from: ticket.state) != nil
        view.canDraftArticle = knowledgeBase?.categories.isEmpty == false && Self.solved(ticket) && messages.contains { $0.kind == .solution }
        view.canUpload = attachments != nil
        return try pages.render(view, template: "staff_tickets_ticket", request: request, status: status)
    }

    /// "MD" for "Marie Durand": the first letters of the first two words.
    static func initials(_ name: String) -> String {
        let letters = name.split(whereSeparator: { $0.isWhitespace || $0 == "-" }).prefix(2).compactMap(\.first)
        return letters.isEmpty ? "?" : String(letters).uppercased()
    }
}
