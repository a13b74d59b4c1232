import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The operators' console for incidents: declare one, post updates to its timeline, edit it.
struct IncidentConsoleController<Store: StatusStore>: Sendable {
    let console: ConsolePages<Store>
    let announcementsChanged: @Sendable () -> Void
    /// The tickets linked to incidents; nil shows none.
    var tickets: TicketSite? = nil
    let clock: @Sendable () -> Date

    private var store: Store { console.store }
    private var pages: Pages { console.pages }
    private var calendar: DayCalendar { console.calendar }

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.operator)
        router.get("/staff/incidents") { request, context in
            let staff = try context.requireUser()
            return try await incidentsPage(request, csrf: staff.csrfToken)
        }
        router.post("/staff/incidents") { request, context in
            let staff = try context.requireUser()
            let form = try await Forms.read(IncidentForm.self, from: request, context: context)
            let draft = AnnouncementDraft(title: form.title.orEmpty, message: form.message.orEmpty, productSlugs: form.chosenProducts)
            var errors = draft.errors(knownSlugs: try await console.productSlugs(), messageRequired: true)
            let impact = Incident.Impact(rawValue: form.impact.orEmpty)
            let status = Incident.Status(rawValue: form.status.orEmpty)
            if impact == nil { errors["impact"] = "error_choice_invalid" }
            if status == nil { errors["status"] = "error_choice_invalid" }
            guard errors.isEmpty, let impact, let status else {
                return try await incidentsPage(request, csrf: staff.csrfToken, form: form, errors: errors, status: .unprocessableContent)
            }
            let now = clock()
            var incident = Incident(id: IncidentID.make(), title: draft.title, impact: impact, productSlugs: draft.productSlugs, startedAt: now)
            incident.post(.init(status: status, message: draft.message, at: now))
            try await store.save(incident)
            announcementsChanged()
            return Forms.redirect(to: "/staff/incidents/\(incident.id)")
        }
        router.get("/staff/incidents/:id") { request, context in
            let staff = try context.requireUser()
            let incident = try await requireIncident(context)
            return try await incidentPage(request, csrf: staff.csrfToken, incident: incident)
        }
        router.post("/staff/incidents/:id/updates") { request, context in
            let staff = try context.requireUser()
            var incident = try await requireIncident(context)
            let form = try await Forms.read(IncidentUpdateForm.self, from: request, context: context)
            let message = form.message.trimmed
            var errors: [String: String] = [:]
            let status = Incident.Status(rawValue: form.status.orEmpty)
            if status == nil { errors["status"] = "error_choice_invalid" }
            if message.isEmpty { errors["message"] = "error_message_required" }
            if message.count > AnnouncementDraft.maxMessage { errors["message"] = "error_message_too_long" }
            guard errors.isEmpty, let status else {
                return try await incidentPage(request, csrf: staff.csrfToken, incident: incident, update: form, errors: errors,
                                              status: .unprocessableContent)
            }
            let now = clock()
            guard let posted = try await store.changeIncident(id: incident.id, {
                $0.post(.init(status: status, message: message, at: max(now, $0.updates.last?.at ?? $0.startedAt)))
            }) else { throw HTTPError(.notFound) }
            incident = posted
            announcementsChanged()
            return Forms.redirect(to: "/staff/incidents/\(incident.id)?notice=update_posted")
        }
        if let tickets {
            // "Lier les demandes ouvertes": the open tickets on the incident's products opened since it started.
            router.post("/staff/incidents/:id/tickets") { request, context in
                let staff = try context.requireUser()
                _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
                let incident = try await requireIncident(context)
                _ = try await tickets.service.linkOpenTickets(to: incident, by: staff.user)
                return Forms.redirect(to: "/staff/incidents/\(incident.id)?notice=tickets_linked")
            }
        }
        router.post("/staff/incidents/:id") { request, context in
            let staff = try context.requireUser()
            var incident = try await requireIncident(context)
            let form = try await Forms.read(IncidentForm.self, from: request, context: context)
            let draft = AnnouncementDraft(title: form.title.orEmpty, message: "", productSlugs: form.chosenProducts)
            var errors = draft.errors(knownSlugs: try await console.productSlugs(), messageRequired: false)
            let impact = Incident.Impact(rawValue: form.impact.orEmpty)
            if impact == nil { errors["impact"] = "error_choice_invalid" }
            guard errors.isEmpty, let impact else {
                return try await incidentPage(request, csrf: staff.csrfToken, incident: incident, edit: form, errors: errors,
                                              status: .unprocessableContent)
            }
            guard let edited = try await store.changeIncident(id: incident.id, {
                $0.title = draft.title
                $0.impact = impact
                $0.productSlugs = draft.productSlugs
            }) else { throw HTTPError(.notFound) }
            incident = edited
            return Forms.redirect(to: "/staff/incidents/\(incident.id)?notice=incident_saved")
        }
    }

    private func requireIncident(_ context: StatusRequestContext) async throws -> Incident {
        guard let incident = try await store.incident(id: try context.parameters.require("id")) else { throw HTTPError(.notFound) }
        return incident
    }

    /// `form`: the declaration refused, shown again as typed; nil shows an empty form.
    private func incidentsPage(_ request: Request, csrf: String, form: IncidentForm? = nil, errors: [String: String] = [:],
                               status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = pages.language(of: request)
        var view = try await console.view(request, titleKey: "console_incidents_title", csrf: csrf, values: form?.keptValues ?? [:],
                                          chosen: form?.chosenProducts ?? [], errors: errors)
        view.impacts = Incident.Impact.allCases.map {
            .init(value: $0.rawValue, label: pages.catalog.text("impact_\($0.rawValue)", language), selected: (form?.impact ?? "major") == $0.rawValue)
        }
        view.statuses = statusChoices(selected: form?.status ?? "investigating", language: language)
        let names = try await console.productNames()
        view.incidents = try await store.recentIncidents(limit: 50).map { incidentRow($0, names: names, language: language) }
        return try console.page(view, template: "console_incidents", status: status)
    }

    /// The page holds two forms: the one posted (`edit` or `update`) keeps what was typed, the
    /// other shows the incident as it is.
    private func incidentPage(_ request: Request, csrf: String, incident: Incident, edit: IncidentForm? = nil, update: IncidentUpdateForm? = nil,
                              errors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = pages.language(of: request)
        let shown = edit ?? IncidentForm(title: incident.title, impact: incident.impact.rawValue, products: incident.productSlugs)
        let values = shown.keptValues.merging(update?.keptValues ?? [:]) { _, typed in typed }
        var view = try await console.view(request, titleKey: "console_incident_title", csrf: csrf, values: values,
                                          chosen: shown.chosenProducts, errors: errors)
        view.impacts = Incident.Impact.allCases.map {
            .init(value: $0.rawValue, label: pages.catalog.text("impact_\($0.rawValue)", language), selected: shown.impact.orEmpty == $0.rawValue)
        }
        view.statuses = statusChoices(selected: update?.status ?? (incident.isResolved ? "resolved" : incident.status.rawValue), language: language)
        view.incident = incidentRow(incident, names: try await console.productNames(), language: language)
        if let tickets {
            view.servesTickets = true
            view.linkedTickets = try await tickets.service.store.tickets(linkedTo: incident.id).map {
                .init(number: $0.number.description, href: "/staff/tickets/\($0.number)", subject: $0.subject, state: $0.state.rawValue,
                      stateWord: pages.catalog.text("tstaff_state_\($0.state.rawValue)", language),
                      priorityWord: pages.catalog.text("tstaff_priority_\($0.priority.rawValue)", language))
            }
            view.hasLinkedTickets = !view.linkedTickets.isEmpty
        }
        return try console.page(view, template: "console_incident", status: status)
    }

    private func statusChoices(selected: String, language: Language) -> [ConsoleView.Choice] {
        Incident.Status.allCases.map { .init(value: $0.rawValue, label: pages.catalog.text("incident_status_\($0.rawValue)", language), selected: selected == $0.rawValue) }
    }

    private func incidentRow(_ incident: Incident, names: [String: String], language: Language) -> ConsoleView.IncidentRow {
        let format = DayFormatter(language: language, calendar: calendar)
        return .init(id: incident.id, title: incident.title, impact: pages.catalog.text("impact_\(incident.impact.rawValue)", language),
                     status: incident.status.rawValue, statusWord: pages.catalog.text("incident_status_\(incident.status.rawValue)", language),
                     products: incident.productSlugs.map { names[$0] ?? $0 }.joined(separator: ", "),
                     started: format.instant(incident.startedAt), resolved: incident.isResolved, automatic: incident.origin == .probes,
                     updates: incident.updates.reversed().map {
                         .init(statusWord: pages.catalog.text("incident_status_\($0.status.rawValue)", language), message: $0.message, at: format.instant($0.at))
                     })
    }
}
