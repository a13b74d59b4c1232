import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The operators' administration of the service catalog: create, edit, retire, restore; each
/// service says which status products it opens and whether a request waits for a tenant
/// administrator's validation.
struct ServiceCatalogConsoleController: Sendable {
    let services: ServiceCatalog
    let pages: Pages
    /// The status products a service can cover (the status store's, hidden ones included).
    let products: @Sendable () async throws -> [Product]

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.operator)
        router.get("/staff/services") { request, context in
            let staff = try context.requireUser()
            return try await staffServicesPage(request, staff: staff)
        }
        router.post("/staff/services") { request, context in
            let staff = try context.requireUser()
            let fields = try await Forms.read(ServiceConsoleForm.self, from: request, context: context)
            let form = fields.serviceForm
            do {
                let known = try await productSlugs()
                let created = try await ServiceAnswers.run { try await services.createService(form, knownProducts: known, by: staff.user) }
                return try await staffServicesPage(request, staff: staff,
                                                   notice: "\(pages.catalog.text("staff_services_created", pages.language(of: request))) \(created.name)")
            } catch let errors as FormErrors {
                return try await staffServicesPage(request, staff: staff, form: form, errors: errors, status: .unprocessableContent)
            }
        }
        router.get("/staff/services/:id") { request, context in
            let staff = try context.requireUser()
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            let service = try await ServiceAnswers.run { try await services.service(id: id, by: staff.user) }
            return try await editServicePage(request, staff: staff, id: id,
                                             form: .init(name: service.name, family: service.family, description: service.description,
                                                         productSlugs: service.productSlugs, needsValidation: service.needsValidation))
        }
        router.post("/staff/services/:id") { request, context in
            let staff = try context.requireUser()
            let fields = try await Forms.read(ServiceConsoleForm.self, from: request, context: context)
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            let form = fields.serviceForm
            do {
                let known = try await productSlugs()
                let updated = try await ServiceAnswers.run { try await services.updateService(id: id, form, knownProducts: known, by: staff.user) }
                return try await staffServicesPage(request, staff: staff,
                                                   notice: "\(pages.catalog.text("staff_services_updated", pages.language(of: request))) \(updated.name)")
            } catch let errors as FormErrors {
                return try await editServicePage(request, staff: staff, id: id, form: form, errors: errors, status: .unprocessableContent)
            }
        }
        router.post("/staff/services/:id/:action") { request, context in
            let staff = try context.requireUser()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            let action = try context.parameters.require("action")
            guard let id = Int64(try context.parameters.require("id")), action == "retire" || action == "restore" else { throw HTTPError(.notFound) }
            let changed = try await ServiceAnswers.run { try await services.setActive(id: id, action == "restore", by: staff.user) }
            return try await staffServicesPage(request, staff: staff,
                                               notice: "\(pages.catalog.text("staff_services_\(action)d", pages.language(of: request))) \(changed.name)")
        }
    }

    private func productSlugs() async throws -> Set<String> { Set(try await products().map(\.slug)) }

    /// What the service pages show: the chrome, the form as typed (or as saved), its errors in
    /// the reader's language, the product boxes, and the catalog's rows.
    struct View {
        let page: PageChrome
        let csrf: String
        var values: [String: String] = [:]
        var errors: [String: String] = [:]
        var products: [ConsoleView.Choice] = []
        var needsValidation = true
        /// Nil without one: an empty string would still open the template's section.
        var notice: String?
        var items: [Row] = []
    }

    struct Row {
        let id: String
        let name: String
        let family: String
        let description: String
        let active: Bool
        let stateText: String
        /// The names of the products it covers, joined; nil (none) shows "aucun" (an empty
        /// string would open the template's section all the same).
        let products: String?
        let needsValidation: Bool
    }

    private func view(_ request: Request, staff: SignedInUser, titleKey: String, form: ServiceCatalog.ServiceForm,
                      errors: FormErrors) async throws -> (View, [String: String]) {
        let language = pages.language(of: request)
        var view = View(page: pages.chrome(request, titleKey: titleKey), csrf: staff.session.csrfToken)
        view.values = Pages.dropEmpty(["name": form.name, "family": form.family, "description": form.description])
        for (field, keys) in errors.messages { view.errors[field] = keys.map { pages.catalog.text($0, language) }.joined(separator: ", ") }
        let all = try await products()
        let chosen = Set(form.productSlugs)
        view.products = all.map { .init(value: $0.slug, label: $0.name, selected: chosen.contains($0.slug)) }
        view.needsValidation = form.needsValidation
        return (view, Dictionary(all.map { ($0.slug, $0.name) }) { first, _ in first })
    }

    private func staffServicesPage(_ request: Request, staff: SignedInUser, form: ServiceCatalog.ServiceForm = .init(name: "", family: "", description: ""),
                                   errors: FormErrors = FormErrors(), notice: String = "",
                                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = pages.language(of: request)
        let all = try await ServiceAnswers.run { try await services.allServices(by: staff.user) }
        var (view, names) = try await view(request, staff: staff, titleKey: "staff_services_title", form: form, errors: errors)
        view.notice = notice.isEmpty ? nil : notice
        view.items = all.map { service in
            Row(id: String(service.id), name: service.name, family: service.family, description: service.description, active: service.isActive,
                stateText: pages.catalog.text(service.isActive ? "staff_services_state_active" : "staff_services_state_retired", language),
                products: service.productSlugs.isEmpty ? nil : service.productSlugs.map { names[$0] ?? $0 }.joined(separator: ", "), needsValidation: service.needsValidation)
        }
        return try pages.render(view, template: "staff_services", request: request, status: status)
    }

    private func editServicePage(_ request: Request, staff: SignedInUser, id: Int64, form: ServiceCatalog.ServiceForm,
                                 errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        var (view, _) = try await view(request, staff: staff, titleKey: "staff_services_edit_title", form: form, errors: errors)
        view.values["id"] = String(id)
        return try pages.render(view, template: "staff_service_edit", request: request, status: status)
    }
}

/// The operators' service form: text fields, the product boxes (`products[]`) and the
/// "needs validation" checkbox ("on" when ticked, absent otherwise).
struct ServiceConsoleForm: CSRFProtectedForm, ProductChecklist {
    var csrf: String?
    var name: String?
    var family: String?
    var description: String?
    var products: [String]?
    var needsValidation: String?

    var serviceForm: ServiceCatalog.ServiceForm {
        .init(name: name.orEmpty, family: family.orEmpty, description: description.orEmpty, productSlugs: chosenProducts,
              needsValidation: needsValidation == "on")
    }
}
