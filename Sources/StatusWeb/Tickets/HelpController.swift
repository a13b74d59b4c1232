import Foundation
import HTTPTypes
import Hummingbird
import Notify
import Portal
import StatusModel

/// "Besoin d'aide ?" (`/help`): the request types, then each type's form, for a signed-in
/// customer in their current tenant. The form shows the chosen product's open incident first
/// (with a one-click subscription), suggests knowledge-base articles while the description is
/// typed ("Oui" ends without a ticket and counts for the article), and opens the ticket with
/// its attachments through the site's intake.
struct HelpController<Store: StatusStore>: Sendable {
    let tickets: TicketSite
    let attachments: AttachmentServices
    let knowledgeBase: KnowledgeBaseSite?
    let subscriptions: SubscriptionService?
    let store: Store
    let pages: Pages
    let calendar: DayCalendar
    let clock: @Sendable () -> Date

    private var forms: TicketForms { tickets.forms }
    private var service: TicketService { tickets.service }

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.signedIn)
        router.get("/help") { request, context in
            let caller = try context.requireTenant()
            return try typesPage(request, caller: caller)
        }
        router.get("/help/new/:type") { request, context in
            let caller = try context.requireTenant()
            let type = try requestType(context)
            var values = HelpFormValues()
            values.product = request.uri.queryParameters.get("product") ?? ""
            return try await formPage(request, caller: caller, type: type, values: values)
        }
        router.post("/help/new/:type") { request, context in
            let caller = try context.requireTenant()
            let type = try requestType(context)
            return try await receive(request, context: context, caller: caller, type: type)
        }
        router.get("/help/articles") { request, context in
            let caller = try context.requireTenant()
            let text = String((request.uri.queryParameters.get("q") ?? "").prefix(2_000))
            let found = try await suggestions(text, context: context)
            return try pages.render(SuggestionsFragment(page: pages.chrome(request, titleKey: "help_title"), csrf: caller.session.csrfToken,
                                                        suggestions: found, hasSuggestions: !found.isEmpty, searched: true),
                                    template: "help_articles", request: request)
        }
        router.post("/help/answered") { request, context in
            let caller = try context.requireTenant()
            let form = try await Forms.read(AnsweredForm.self, from: request, context: context)
            guard let number = form.article.flatMap(ArticleNumber.init),
                  let article = try await knowledgeBase?.store.article(number, for: KnowledgeBaseReader(context.identity)) else {
                throw HTTPError(.notFound)
            }
            try await service.articleAnswered(number, by: caller.user, tenantID: caller.tenantID)
            let view = AnsweredView(page: pages.chrome(request, titleKey: "help_answered_title"), number: number.description,
                                    title: article.content.title, href: "/kb/\(number)")
            return try pages.render(view, template: "help_done", request: request)
        }
        router.post("/help/subscribe") { request, context in
            let caller = try context.requireTenant()
            let form = try await Forms.read(SubscribeForm.self, from: request, context: context)
            let visible = try await store.visibleProducts(for: caller.audience).slugs
            guard let subscriptions, let slug = form.product, visible.contains(slug) else { throw HTTPError(.notFound) }
            let existing = try await subscriptions.store.subscription(userID: caller.user.id)
            // Following every product already covers this one; otherwise it is added to the others.
            if existing?.followsEveryProduct != true || existing?.confirmedAt == nil {
                let slugs = Array(Set((existing?.productSlugs ?? []) + [slug])).sorted()
                _ = try await subscriptions.subscribeUser(userID: caller.user.id, email: caller.user.email,
                                                          language: pages.language(of: request).rawValue, productSlugs: slugs, now: clock())
            }
            let type = form.type.flatMap { forms.type($0) }?.key ?? "incident"
            return Forms.redirect(to: "/help/new/\(type)?product=\(slug)#notice-\(slug)")
        }
    }

    struct AnsweredForm: CSRFProtectedForm {
        var csrf: String?
        var article: String?
    }

    struct SubscribeForm: CSRFProtectedForm {
        var csrf: String?
        var product: String?
        var type: String?
    }

    struct AnsweredView {
        let page: PageChrome
        let number: String
        let title: String
        let href: String
    }

    struct SuggestionsFragment {
        let page: PageChrome
        let csrf: String
        let suggestions: [HelpFormView.Suggestion]
        let hasSuggestions: Bool
        let searched: Bool
    }

    private func requestType(_ context: StatusRequestContext) throws -> RequestType {
        guard let type = forms.type(try context.parameters.require("type")) else { throw HTTPError(.notFound) }
        return type
    }

    private func typesPage(_ request: Request, caller: TenantCaller) throws -> Response {
        let language = pages.language(of: request).rawValue
        let view = HelpTypesView(page: pages.chrome(request, titleKey: "help_title"), types: forms.types.map {
            HelpTypesView.TypeLink(key: $0.key, label: $0.label.text(language), summary: $0.summary.text(language), href: "/help/new/\($0.key)")
        })
        return try pages.render(view, template: "help", request: request)
    }

    /// The form's POST: a step of the form without JavaScript, or the ticket sent.
    private func receive(_ request: Request, context: StatusRequestContext, caller: TenantCaller, type: RequestType) async throws -> Response {
        let language = pages.language(of: request)
        let form: MultipartForm
        do {
            form = try await attachments.readForm(request, context: context)
        } catch let tooLarge as UploadTooLarge {
            // What was read before the limit is kept; the files were deleted.
            try Forms.requireCSRF(tooLarge.fields["csrf"]?.first, request: request, context: context)
            var errors = FormErrors()
            errors.add("files", "upload_too_large")
            return try await formPage(request, caller: caller, type: type, values: HelpFormValues(tooLarge.fields, type: type), errors: errors,
                                      fileMessage: attachments.message(for: tooLarge, catalog: pages.catalog, language: language),
                                      filesAgain: true, status: .unprocessableContent)
        }
        defer { form.removeFiles() }
        let values = HelpFormValues(form.fields, type: type)
        let sentFiles = !form.files.isEmpty || !form.refused.isEmpty
        switch values.step {
        case "choose":
            return try await formPage(request, caller: caller, type: type, values: values, filesAgain: sentFiles)
        case "search":
            let found = try await suggestions(values.description, context: context)
            return try await formPage(request, caller: caller, type: type, values: values, filesAgain: sentFiles, suggestions: found, searched: true)
        default:
            break
        }
        let pageErrors = values.pageErrors(type)
        if let refused = form.refused.first {
            return try await formPage(request, caller: caller, type: type, values: values, errors: pageErrors,
                                      fileMessage: attachments.message(for: refused.refusal, fileName: refused.fileName, catalog: pages.catalog,
                                                                       language: language),
                                      filesAgain: true, status: .unprocessableContent)
        }
        guard pageErrors.isEmpty else {
            return try await formPage(request, caller: caller, type: type, values: values, errors: pageErrors, filesAgain: sentFiles,
                                      status: .unprocessableContent)
        }
        var taken: [TakenAttachment] = []
        for file in form.files(named: "files") {
            do {
                taken.append(try await attachments.intake.take(file: file.url, fileName: file.fileName))
            } catch let refusal as AttachmentRefusal {
                return try await formPage(request, caller: caller, type: type, values: values,
                                          fileMessage: attachments.message(for: refusal, fileName: file.fileName, catalog: pages.catalog, language: language),
                                          filesAgain: true, status: .unprocessableContent)
            }
        }
        let visible = try await store.visibleProducts(for: caller.audience).slugs
        var incidentID: String?
        if type.asksProduct, !values.product.isEmpty {
            incidentID = try await notices(now: clock()).first { $0.product == values.product }?.id
        }
        do {
            let ticket = try await service.open(values.request(type, attachments: taken, incidentID: incidentID), by: caller.user,
                                                tenantID: caller.tenantID, allowedProducts: visible.sorted())
            return Forms.redirect(to: "/requests/\(ticket.number)?notice=opened")
        } catch let errors as FormErrors {
            var shown = FormErrors()
            for (field, messages) in errors.messages {
                for message in messages { shown.add(HelpFormValues.pageField(field), message) }
            }
            return try await formPage(request, caller: caller, type: type, values: values, errors: shown, filesAgain: sentFiles,
                                      status: .unprocessableContent)
        }
    }

    private func suggestions(_ text: String, context: StatusRequestContext) async throws -> [HelpFormView.Suggestion] {
        guard let knowledgeBase else { return [] }
        let found = try await ArticleSuggestions(store: knowledgeBase.store).find(text, for: KnowledgeBaseReader(context.identity))
        return found.enumerated().map { index, article in
            .init(number: article.number.description, title: article.title, href: "/kb/\(article.number)", checked: index == 0)
        }
    }

    /// What is going on now on each public product: its unresolved incidents, then its
    /// maintenance in progress (the first of each product is what the form shows).
    private func notices(now: Date) async throws -> [(product: String, id: String, kind: String, title: String, latest: String, at: Date)] {
        var found: [(product: String, id: String, kind: String, title: String, latest: String, at: Date)] = []
        for incident in try await store.unresolvedIncidents().sorted(by: { $0.startedAt > $1.startedAt }) {
            let latest = incident.updates.last
            for slug in incident.productSlugs {
                found.append((slug, incident.id, "incident", incident.title, latest?.message ?? "", latest?.at ?? incident.startedAt))
            }
        }
        for maintenance in try await store.maintenances(overlapping: DateInterval(start: now, duration: 1))
        where maintenance.status(at: now) == .inProgress {
            for slug in maintenance.productSlugs {
                found.append((slug, maintenance.id, "maintenance", maintenance.title, maintenance.message, maintenance.start))
            }
        }
        return found
    }

    func formPage(_ request: Request, caller: TenantCaller, type: RequestType, values: HelpFormValues, errors: FormErrors = FormErrors(),
                  fileMessage: String? = nil, filesAgain: Bool = false, suggestions: [HelpFormView.Suggestion] = [], searched: Bool = false,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = pages.language(of: request)
        let lang = language.rawValue
        let catalog = pages.catalog
        var view = HelpFormView(page: pages.chrome(request, titleKey: "help_form_title"), csrf: caller.session.csrfToken, type: type,
                                values: values, language: language)
        let products = try await store.visibleProducts(for: caller.audience).products
        view.products = products.map { .init(value: $0.slug, label: $0.name, selected: $0.slug == values.product) }
        let subscription = try await subscriptions?.store.subscription(userID: caller.user.id)
        let formatter = DayFormatter(language: language, calendar: calendar)
        var seen: Set<String> = []
        if type.asksProduct {
            view.notices = try await notices(now: clock()).compactMap { notice in
                guard seen.insert(notice.product).inserted, let product = products.first(where: { $0.slug == notice.product }) else { return nil }
                return .init(product: product.slug, productName: product.name, kind: notice.kind,
                             kindLabel: catalog.text("ticket_notice_\(notice.kind)", language), title: notice.title, latest: notice.latest,
                             latestAt: formatter.instant(notice.at), href: "/products/\(product.slug)", shown: product.slug == values.product,
                             subscribed: subscription.map { $0.confirmedAt != nil && $0.follows(any: [product.slug]) } ?? false)
            }
        }
        view.impacts = forms.impacts.map { .init(value: $0.key, label: $0.label.text(lang), selected: $0.key == values.impact) }
        var messages: [String: String] = [:]
        for (field, keys) in errors.messages { messages[field] = keys.map { catalog.text($0, language) }.joined(separator: " ") }
        if let fileMessage { messages["files"] = fileMessage }
        view.fields = type.fields.map { field in
            let value = values.fields[field.key] ?? ""
            return .init(id: HelpFormValues.fieldPrefix + field.key, name: HelpFormValues.fieldPrefix + field.key, label: field.label.text(lang),
                         help: field.help?.text(lang), required: field.required, isText: field.kind == .text, isTextarea: field.kind == .textarea,
                         isChoice: field.kind == .choice, value: value,
                         choices: field.choices.map { .init(value: $0.key, label: $0.label.text(lang), selected: $0.key == value) },
                         error: messages[HelpFormValues.fieldPrefix + field.key] ?? messages[field.key])
        }
        if type.asksProject {
            let projects = try await service.store.projects(tenantID: caller.tenantID)
            view.projects = projects.map { .init(value: $0, label: $0, selected: $0 == values.project) }
            view.hasProjects = !projects.isEmpty
        }
        view.isAdmin = caller.role == .admin
        view.errors = messages
        view.hasErrors = !messages.isEmpty
        let known = Set(["path", "product", "impact", "project", "concernsProject", "description", "followUps", "files"])
            .union(type.fields.flatMap { [$0.key, HelpFormValues.fieldPrefix + $0.key] })
        // A message the page has no field for still shows, at the top.
        view.errorList = messages.filter { !known.contains($0.key) }.map(\.value).sorted()
        view.filesAgain = filesAgain
        view.maxFileSize = FileSize.text(attachments.limits.maxFileBytes, pages.language(of: request))
        view.suggestions = suggestions
        view.hasSuggestions = !suggestions.isEmpty
        view.searched = searched
        return try pages.render(view, template: "help_form", request: request, status: status)
    }
}

/// `/help`: the request types, each a link to its form.
struct HelpTypesView {
    struct TypeLink {
        let key: String
        let label: String
        let summary: String
        let href: String
    }

    let page: PageChrome
    let types: [TypeLink]
}
