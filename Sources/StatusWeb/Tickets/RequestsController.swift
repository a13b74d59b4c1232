import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// "Suivi de vos demandes" (`/requests`) and each ticket's page (`/requests/CS0000001`) with
/// the customer's actions. Every ticket is read through the caller's current tenant with the
/// reader the identity makes (a member: their own; an administrator: all the tenant's), so a
/// ticket of anyone else is a 404 before anything is read from the request or changed.
struct RequestsController<Store: StatusStore>: Sendable {
    let tickets: TicketSite
    let attachments: AttachmentServices
    let accounts: AccountService
    let store: Store
    let pages: Pages
    let calendar: DayCalendar
    let clock: @Sendable () -> Date

    private var service: TicketService { tickets.service }
    private var pageSize: Int { CustomerTicketPages.pageSize }

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.signedIn)
        router.get("/requests") { request, context in
            try await listPage(request, caller: try context.requireTenant())
        }
        router.get("/requests/:number") { request, context in
            let caller = try context.requireTenant()
            let ticket = try await visibleTicket(context, caller: caller)
            let notice = request.uri.queryParameters.get("notice").flatMap { CustomerTicketPages.notices.contains($0) ? "ticket_notice_\($0)" : nil }
            return try await ticketPage(request, caller: caller, ticket: ticket, notice: notice)
        }
        router.get("/requests/:number/attachments/:id") { request, context in
            let caller = try context.requireTenant()
            let ticket = try await visibleTicket(context, caller: caller)
            guard let id = Int64(try context.parameters.require("id")),
                  let attachment = try await service.store.attachment(id: id, of: ticket.number, for: reader(caller)) else {
                throw HTTPError(.notFound)
            }
            return try await attachments.downloads.response(blob: attachment.blob, fileName: attachment.fileName, request: request, context: context)
        }
        router.post("/requests/:number/reply") { request, context in
            let caller = try context.requireTenant()
            let ticket = try await visibleTicket(context, caller: caller)
            return try await receiveReply(request, context: context, caller: caller, ticket: ticket)
        }
        router.get("/requests/:number/cancel") { request, context in
            let caller = try context.requireTenant()
            let ticket = try await visibleTicket(context, caller: caller)
            return try confirmPage(request, caller: caller, ticket: ticket, kind: "cancel")
        }
        router.post("/requests/:number/cancel") { request, context in
            let caller = try context.requireTenant()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            let ticket = try await visibleTicket(context, caller: caller)
            return try await act(request, caller: caller, ticket: ticket, done: "cancelled") {
                _ = try await service.cancel(ticket.number, by: caller.user, reader: reader(caller))
            }
        }
        router.post("/requests/:number/accept") { request, context in
            let caller = try context.requireTenant()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            let ticket = try await visibleTicket(context, caller: caller)
            return try await act(request, caller: caller, ticket: ticket, done: "accepted") {
                _ = try await service.acceptSolution(ticket.number, by: caller.user, reader: reader(caller))
            }
        }
        router.get("/requests/:number/refuse") { request, context in
            let caller = try context.requireTenant()
            let ticket = try await visibleTicket(context, caller: caller)
            return try confirmPage(request, caller: caller, ticket: ticket, kind: "refuse")
        }
        router.post("/requests/:number/refuse") { request, context in
            let caller = try context.requireTenant()
            let form = try await Forms.read(TicketActionForm.self, from: request, context: context)
            let ticket = try await visibleTicket(context, caller: caller)
            let reason = form.reason.trimmed
            guard !reason.isEmpty else {
                return try confirmPage(request, caller: caller, ticket: ticket, kind: "refuse",
                                       error: pages.text("ticket_error_reason_required", request), status: .unprocessableContent)
            }
            do {
                return try await act(request, caller: caller, ticket: ticket, done: "refused") {
                    _ = try await service.refuseSolution(ticket.number, reason: String(reason.prefix(HelpFormValues.maxText)), by: caller.user,
                                                         reader: reader(caller))
                }
            } catch let errors as FormErrors {
                return try confirmPage(request, caller: caller, ticket: ticket, kind: "refuse", reason: reason,
                                       error: errors.fields.values.first.map { pages.text($0, request) }, status: .unprocessableContent)
            }
        }
        router.post("/requests/:number/follow-ups") { request, context in
            let caller = try context.requireTenant()
            let form = try await Forms.read(TicketActionForm.self, from: request, context: context)
            let ticket = try await visibleTicket(context, caller: caller)
            var emails = ticket.followUpEmails
            if let removed = form.remove { emails.removeAll { $0 == removed.lowercased() } }
            let added = form.add.trimmed
            let typed = (emails + (added.isEmpty ? [] : [added])).joined(separator: ", ")
            do {
                return try await act(request, caller: caller, ticket: ticket, done: "follow_ups") {
                    _ = try await service.setFollowUps(ticket.number, emails: typed, by: caller.user, reader: reader(caller))
                }
            } catch let errors as FormErrors {
                let message = errors.messages.values.flatMap { $0 }.map { pages.text($0, request) }.joined(separator: " ")
                return try await ticketPage(request, caller: caller, ticket: ticket, errors: ["followUps": message], followUpsValue: added,
                                            status: .unprocessableContent)
            }
        }
        router.post("/requests/:number/rate") { request, context in
            let caller = try context.requireTenant()
            let form = try await Forms.read(TicketActionForm.self, from: request, context: context)
            let ticket = try await visibleTicket(context, caller: caller)
            guard let stars = form.stars.flatMap({ Int($0) }), (1...5).contains(stars) else {
                return try await ticketPage(request, caller: caller, ticket: ticket, errors: ["stars": pages.text("ticket_error_stars", request)],
                                            ratingComment: form.comment.orEmpty, status: .unprocessableContent)
            }
            do {
                return try await act(request, caller: caller, ticket: ticket, done: "rated", anchor: "avis") {
                    try await service.rate(ticket.number, stars: stars, comment: String(form.comment.trimmed.prefix(2_000)), by: caller.user,
                                           reader: reader(caller))
                }
            } catch let errors as FormErrors {
                let message = errors.messages.values.flatMap { $0 }.map { pages.text($0, request) }.joined(separator: " ")
                return try await ticketPage(request, caller: caller, ticket: ticket, errors: ["stars": message], ratingComment: form.comment.orEmpty,
                                            status: .unprocessableContent)
            }
        }
    }


    struct TicketActionForm: CSRFProtectedForm {
        var csrf: String?
        var reason: String?
        var add: String?
        var remove: String?
        var stars: String?
        var comment: String?
    }

    /// What the caller reads tickets as: their own, and all of the session's tenant when they administer it.
    func reader(_ caller: TenantCaller) -> TicketReader {
        TicketReader(userID: caller.user.id, adminTenantIDs: caller.role == .admin ? [caller.tenantID] : [])
    }

    /// The ticket of the path, when the caller may see it in their current tenant; a 404 otherwise.
    private func visibleTicket(_ context: StatusRequestContext, caller: TenantCaller) async throws -> Ticket {
        guard let number = TicketNumber(try context.parameters.require("number")),
              let ticket = try await service.ticket(number, for: reader(caller)), ticket.tenantID == caller.tenantID else {
            throw HTTPError(.notFound)
        }
        return ticket
    }

    /// Runs a customer's step; a ticket that moved on meanwhile (an agent acted) shows again with a word.
    private func act(_ request: Request, caller: TenantCaller, ticket: Ticket, done: String, anchor: String? = nil,
                     _ step: () async throws -> Void) async throws -> Response {
        do {
            try await step()
        } catch is NotInTenant {
            throw HTTPError(.notFound)
        } catch is NotAllowed {
            // Rating is the contact's alone: an administrator's forged form changes nothing.
            throw HTTPError(.forbidden)
        } catch is TicketChanged {
            let fresh = try await service.ticket(ticket.number, for: reader(caller)) ?? ticket
            return try await ticketPage(request, caller: caller, ticket: fresh, refused: "ticket_changed", status: .conflict)
        }
        return Forms.redirect(to: "/requests/\(ticket.number)?notice=\(done)" + (anchor.map { "#\($0)" } ?? ""))
    }

    private func receiveReply(_ request: Request, context: StatusRequestContext, caller: TenantCaller, ticket: Ticket) async throws -> Response {
        let language = pages.language(of: request)
        let form: MultipartForm
        do {
            form = try await attachments.readForm(request, context: context)
        } catch let tooLarge as UploadTooLarge {
            try Forms.requireCSRF(tooLarge.fields["csrf"]?.first, request: request, context: context)
            return try await ticketPage(request, caller: caller, ticket: ticket,
                                        errors: ["files": attachments.message(for: tooLarge, catalog: pages.catalog, language: language)],
                                        reply: tooLarge.fields["body"]?.first ?? "", filesAgain: true, status: .unprocessableContent)
        }
        defer { form.removeFiles() }
        let body = String((form.value("body") ?? "").prefix(HelpFormValues.maxText))
        if let refused = form.refused.first {
            return try await ticketPage(request, caller: caller, ticket: ticket,
                                        errors: ["files": attachments.message(for: refused.refusal, fileName: refused.fileName, catalog: pages.catalog,
                                                                              language: language)],
                                        reply: body, filesAgain: true, status: .unprocessableContent)
        }
        let files = form.files(named: "files")
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return try await ticketPage(request, caller: caller, ticket: ticket, errors: ["body": pages.text("ticket_error_reply_required", request)],
                                        filesAgain: !files.isEmpty, status: .unprocessableContent)
        }
        var taken: [TakenAttachment] = []
        for file in files {
            do {
                taken.append(try await attachments.intake.take(file: file.url, fileName: file.fileName))
            } catch let refusal as AttachmentRefusal {
                return try await ticketPage(request, caller: caller, ticket: ticket,
                                            errors: ["files": attachments.message(for: refusal, fileName: file.fileName, catalog: pages.catalog,
                                                                                  language: language)],
                                            reply: body, filesAgain: true, status: .unprocessableContent)
            }
        }
        do {
            return try await act(request, caller: caller, ticket: ticket, done: "replied") {
                _ = try await service.reply(ticket.number, body: body, attachments: taken, by: caller.user, reader: reader(caller))
            }
        } catch let errors as FormErrors {
            let message = errors.messages.values.flatMap { $0 }.map { pages.text($0, request) }.joined(separator: " ")
            return try await ticketPage(request, caller: caller, ticket: ticket, errors: ["body": message], reply: body,
                                        filesAgain: !files.isEmpty, status: .unprocessableContent)
        }
    }

    private func words(_ request: Request) -> TicketWords {
        TicketWords(language: pages.language(of: request), catalog: pages.catalog, forms: tickets.forms, calendar: calendar)
    }

    func ticketPage(_ request: Request, caller: TenantCaller, ticket: Ticket, notice: String? = nil, refused: String? = nil,
                    errors: [String: String] = [:], reply: String = "", filesAgain: Bool = false, followUpsValue: String = "",
                    ratingComment: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        let words = words(request)
        var view = TicketPageView(page: PageChrome(language: words.language, catalog: pages.catalog, title: "\(ticket.number) · \(ticket.subject)"),
                                  csrf: caller.session.csrfToken, ticket: ticket, words: words)
        view.notice = notice.map(words.text)
        view.refused = refused.map(words.text)
        let now = clock()
        // The store leaves notes out for a customer's reader; the page checks it again.
        let conversation = try await service.conversation(ticket.number, for: reader(caller)).filter(\.visibleToCustomer)
        view.messages = conversation.reversed().map { TicketPageView.message($0, base: view.base, words: words, now: now) }
        if ticket.state == .solutionProposed, let solution = conversation.last(where: { $0.kind == .solution }) {
            view.solution = TicketPageView.message(solution, base: view.base, words: words, now: now)
        }
        let names = try await accounts.shownNames(of: Set([ticket.contactUserID] + (ticket.assigneeID.map { [$0] } ?? [])))
        let products = try await store.products()
        var details: [TicketPageView.Detail] = [
            .init(id: "detail-number", label: words.text("ticket_number"), value: ticket.number.description),
            .init(id: "detail-assignee", label: words.text("ticket_assignee"),
                  value: ticket.assigneeID.flatMap { names[$0] } ?? words.text("ticket_unassigned")),
            .init(id: "detail-priority", label: words.text("ticket_priority"), value: words.priority(ticket.priority)),
            .init(id: "detail-state", label: words.text("ticket_state"), value: words.state(ticket.state)),
            .init(id: "detail-contact", label: words.text("ticket_contact"), value: names[ticket.contactUserID] ?? "—"),
            .init(id: "detail-opened", label: words.text("ticket_opened"), value: words.date(ticket.openedAt)),
            .init(id: "detail-type", label: words.text("ticket_type"), value: words.type(ticket.type)),
        ]
        if let slug = ticket.productSlug {
            details.append(.init(id: "detail-product", label: words.text("ticket_product"), value: products.first { $0.slug == slug }?.name ?? slug))
        }
        if let project = ticket.project { details.append(.init(id: "detail-project", label: words.text("ticket_project"), value: project)) }
        view.details = details
        if let incidentID = ticket.incidentID, let incident = try await store.incident(id: incidentID) {
            view.incidentTitle = incident.title
            // The product's page tells the incident's timeline (there is no page per incident).
            view.incidentHref = (ticket.productSlug ?? incident.productSlugs.first).map { "/products/\($0)" } ?? "/"
        }
        view.errors = errors
        view.reply = reply
        view.filesAgain = filesAgain
        view.followUpsValue = followUpsValue
        view.maxFileSize = FileSize.text(attachments.limits.maxFileBytes, words.language)
        if [.resolved, .closed].contains(ticket.state), ticket.contactUserID == caller.user.id {
            if let answer = try await service.store.satisfaction(ticketID: ticket.id) {
                view.rated = words.catalog.text("ticket_rated", words.language, answer.stars)
                view.ratingComment = answer.comment.isEmpty ? nil : answer.comment
            } else {
                view.asksRating = true
                view.ratingComment = ratingComment.isEmpty ? nil : ratingComment
            }
        }
        return try pages.render(view, template: "request", request: request, status: status)
    }

    private func confirmPage(_ request: Request, caller: TenantCaller, ticket: Ticket, kind: String, reason: String = "", error: String? = nil,
                             status: HTTPResponse.Status = .ok) throws -> Response {
        let step: TicketStep = kind == "cancel" ? .cancel : .refuseSolution
        let view = ConfirmView(page: pages.chrome(request, titleKey: kind == "cancel" ? "ticket_cancel_title" : "ticket_refuse_title"),
                        csrf: caller.session.csrfToken, number: ticket.number.description, subject: ticket.subject,
                        base: "/requests/\(ticket.number)", cancel: kind == "cancel", refuse: kind == "refuse",
                        allowed: TicketRules.state(after: step, from: ticket.state) != nil, reason: reason, error: error)
        return try pages.render(view, template: "request_confirm", request: request, status: status)
    }

    private func listPage(_ request: Request, caller: TenantCaller) async throws -> Response {
        let words = words(request)
        let parameters = request.uri.queryParameters
        let isAdmin = caller.role == .admin
        let mine = !isAdmin || parameters.get("mine") == "1"
        let stateFilter = parameters.get("state") ?? ""
        let states: [TicketState] = switch stateFilter {
        case "open": TicketState.allCases.filter(\.isOpen)
        case "closed": TicketState.allCases.filter { !$0.isOpen }
        default: TicketState(rawValue: stateFilter).map { [$0] } ?? []
        }
        let type = parameters.get("type").flatMap { tickets.forms.type($0)?.key }
        let products = try await store.products()
        let product = parameters.get("product").flatMap { slug in products.contains { $0.slug == slug } ? slug : nil }
        let text = String((parameters.get("q") ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
        // A page number is range-checked before any arithmetic (the store clamps it to the pages there are).
        guard let page = Int(parameters.get("page") ?? "1"), (1...100_000).contains(page) else {
            throw HTTPError(.badRequest, message: "A page number is out of range.")
        }
        let query = TicketQuery(text: text, states: states, type: type, productSlug: product, tenantID: caller.tenantID,
                                contactUserID: mine ? caller.user.id : nil, sort: .updated, page: page, pageSize: pageSize)
        let results = try await service.list(query, for: reader(caller))
        var names: [Int64: String] = [:]
        if isAdmin { names = try await accounts.shownNames(of: Set(results.tickets.map(\.contactUserID))) }
        let view = RequestsListView(page: pages.chrome(request, titleKey: "requests_title"), words: words, results: results, products: products, audience: caller.audience,
                                    names: names, isAdmin: isAdmin, mine: mine, stateFilter: stateFilter, type: type, product: product, text: text)
        return try pages.render(view, template: "requests", request: request)
    }
}

/// What the customer's ticket pages share outside the generic controller.
enum CustomerTicketPages {
    static let pageSize = 20
    /// The notices a redirect after an action may name (`?notice=`).
    static let notices: Set<String> = ["opened", "replied", "cancelled", "accepted", "refused", "follow_ups", "rated"]
}

/// "Annulation de cette demande" and, without JavaScript, "Refuser la solution": a page that
/// asks before the step is taken.
struct ConfirmView {
    let page: PageChrome
    let csrf: String
    let number: String
    let subject: String
    let base: String
    let cancel: Bool
    let refuse: Bool
    let allowed: Bool
    let reason: String
    let error: String?
}
