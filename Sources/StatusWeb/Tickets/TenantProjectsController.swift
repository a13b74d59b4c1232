import Foundation
import HTTPTypes
import Hummingbird
import Portal

/// `/admin/projects`: a tenant's administrators keep the list of projects and environments the
/// request form offers after "Votre demande concerne-t-elle un projet ? Oui". One per line.
struct TenantProjectsController: Sendable {
    let tickets: TicketSite
    let pages: Pages
    /// The administration's side menu shows the catalog's entries when it is served.
    var servesServices = false

    static let maxProjects = 100
    static let maxLength = 80

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.tenantAdmin)
        router.get("/admin/projects") { request, context in
            let admin = try context.requireTenant()
            let projects = try await tickets.service.store.projects(tenantID: admin.tenantID)
            let saved = request.uri.queryParameters.get("notice") == "saved"
            return try page(request, admin: admin, text: projects.joined(separator: "\n"), notice: saved ? "projects_saved" : nil)
        }
        router.post("/admin/projects") { request, context in
            let admin = try context.requireTenant()
            let form = try await Forms.read(ProjectsForm.self, from: request, context: context)
            let text = form.projects.orEmpty
            switch Self.projects(text) {
            case .failure(let error):
                return try page(request, admin: admin, text: text, error: error, status: .unprocessableContent)
            case .success(let projects):
                try await tickets.service.store.setProjects(projects, tenantID: admin.tenantID)
                return Forms.redirect(to: "/admin/projects?notice=saved")
            }
        }
    }

    struct ProjectsForm: CSRFProtectedForm {
        var csrf: String?
        var projects: String?
    }

    struct ProjectsError: Error {
        let key: String
        let limit: Int
    }

    /// One project per line, trimmed, each once (whatever its case), in the order written.
    static func projects(_ text: String) -> Result<[String], ProjectsError> {
        var projects: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let name = line.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            guard name.count <= maxLength, !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                return .failure(ProjectsError(key: "projects_error_length", limit: maxLength))
            }
            if !projects.contains(where: { $0.lowercased() == name.lowercased() }) { projects.append(name) }
        }
        guard projects.count <= maxProjects else { return .failure(ProjectsError(key: "projects_error_count", limit: maxProjects)) }
        return .success(projects)
    }

    private func page(_ request: Request, admin: TenantCaller, text: String, notice: String? = nil, error: ProjectsError? = nil,
                      status: HTTPResponse.Status = .ok) throws -> Response {
        struct View {
            let page: PageChrome
            let csrf: String
            let nav: AdminNav
            let tenant: String
            let text: String
            let notice: String?
            let error: String?
        }
        let view = View(page: pages.chrome(request, titleKey: "projects_title"), csrf: admin.session.csrfToken,
                        nav: AdminNav(.projects, servesServices: servesServices), tenant: "\(admin.tenant.name) (\(admin.tenant.code))", text: text, notice: notice.map { pages.text($0, request) },
                        error: error.map { pages.catalog.text($0.key, pages.language(of: request), $0.limit) })
        return try pages.render(view, template: "admin_projects", request: request, status: status)
    }
}
