import Foundation
import Hummingbird
import StatusModel

/// Incidents: the public list and timeline; operators declare, edit and update them.
struct APIv1IncidentsController<Store: StatusStore>: Sendable {
    let support: APIv1Support<Store>
    let announcementsChanged: @Sendable () -> Void

    private var store: Store { support.store }
    private var calendar: DayCalendar { support.calendar }
    private func clock() -> Date { support.clock() }

    func addRoutes(to routes: SiteRoutes) {
        let api = routes.api(.anyone)
        let staff = routes.api(.staffKey)
        api.get("incidents") { request, context in
            let limit = try APIv1Input.queryInt(request, "limit", in: 1...100, fallback: 20)
            let shown = try await store.visibleProducts(for: context.audience).slugs
            // Incidents of products the caller does not see are left out, so ask for more than the page.
            let incidents = try await store.recentIncidents(limit: limit + 200).filter { isShown($0.productSlugs, shown) }.prefix(limit)
            return APIv1.IncidentList(incidents: incidents.map { APIv1.IncidentView($0, timeZone: calendar.timeZone, shown: shown) })
        }
        api.get("incidents/:id") { _, context in
            let shown = try await store.visibleProducts(for: context.audience).slugs
            guard let incident = try await store.incident(id: try context.parameters.require("id")), isShown(incident.productSlugs, shown) else {
                throw APIError.notFound("incident")
            }
            return APIv1.IncidentView(incident, timeZone: calendar.timeZone, shown: shown)
        }
        staff.post("incidents") { request, _ in
            let body = try await APIv1JSON.decode(IncidentBody.self, from: request)
            guard let title = body.title else { throw APIError.missing("title") }
            guard let slugs = body.products else { throw APIError.missing("products") }
            guard let impactText = body.impact else { throw APIError.missing("impact") }
            let impact = try incidentImpact(impactText)
            let status = try incidentStatus(body.status ?? Incident.Status.investigating.rawValue)
            let message = body.message ?? ""
            if let violation = AnnouncementRules.check(title: title, message: message, productSlugs: slugs) { throw APIError(violation) }
            let now = clock()
            var incident = Incident(id: IncidentID.make(), title: title, impact: impact, productSlugs: try await support.knownProductSlugs(slugs), startedAt: now)
            incident.post(.init(status: status, message: message, at: now))
            try await store.save(incident)
            announcementsChanged()
            return EditedResponse(status: .created, headers: [.location: "/api/v1/incidents/\(incident.id)"], response: APIv1.IncidentView(incident, timeZone: calendar.timeZone))
        }
        staff.patch("incidents/:id") { request, context in
            let id = try context.parameters.require("id")
            guard let current = try await store.incident(id: id) else { throw APIError.notFound("incident") }
            let body = try await APIv1JSON.decode(IncidentBody.self, from: request)
            if body.status != nil || body.message != nil {
                throw APIError.invalid(body.status != nil ? "status" : "message", "Post a status or a message to /api/v1/incidents/{id}/updates.")
            }
            let title = body.title ?? current.title
            let impact = try body.impact.map { try incidentImpact($0) }
            let slugs = body.products ?? current.productSlugs
            if let violation = AnnouncementRules.check(title: title, message: "", productSlugs: slugs) { throw APIError(violation) }
            let known = try await support.knownProductSlugs(slugs)
            // Only the fields given change, on the incident as it is now: a step posted meanwhile stays.
            guard let incident = try await store.changeIncident(id: id, {
                $0.title = title
                if let impact { $0.impact = impact }
                $0.productSlugs = known
            }) else { throw APIError.notFound("incident") }
            announcementsChanged()
            return APIv1.IncidentView(incident, timeZone: calendar.timeZone)
        }
        staff.post("incidents/:id/updates") { request, context in
            let id = try context.parameters.require("id")
            guard let current = try await store.incident(id: id) else { throw APIError.notFound("incident") }
            let body = try await APIv1JSON.decode(IncidentUpdateBody.self, from: request)
            guard let statusText = body.status else { throw APIError.missing("status") }
            let status = try incidentStatus(statusText)
            let message = body.message ?? ""
            if let violation = AnnouncementRules.check(title: current.title, message: message, productSlugs: current.productSlugs) {
                throw APIError(violation)
            }
            // Incident.post holds the rule: resolved resolves, any other step opens it again.
            let now = clock()
            guard let incident = try await store.changeIncident(id: id, { $0.post(.init(status: status, message: message, at: now)) }) else {
                throw APIError.notFound("incident")
            }
            announcementsChanged()
            return EditedResponse(status: .created, headers: [.location: "/api/v1/incidents/\(incident.id)"], response: APIv1.IncidentView(incident, timeZone: calendar.timeZone))
        }
    }

    /// Readers see an incident when it touches at least one product they see, with those only.
    private func isShown(_ slugs: [String], _ shown: Set<String>) -> Bool {
        slugs.contains { shown.contains($0) }
    }

    private func incidentImpact(_ text: String) throws -> Incident.Impact {
        guard let impact = Incident.Impact(rawValue: text) else {
            throw APIError.invalid("impact", "impact is one of: \(Incident.Impact.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return impact
    }

    private func incidentStatus(_ text: String) throws -> Incident.Status {
        guard let status = Incident.Status(rawValue: text) else {
            throw APIError.invalid("status", "status is one of: \(Incident.Status.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return status
    }
}

/// The body of `POST /api/v1/incidents` and `PATCH /api/v1/incidents/{id}`.
struct IncidentBody: Decodable {
    var title: String?
    var products: [String]?
    var impact: String?
    var status: String?
    var message: String?
}

/// The body of `POST /api/v1/incidents/{id}/updates`.
struct IncidentUpdateBody: Decodable {
    var status: String?
    var message: String?
}
