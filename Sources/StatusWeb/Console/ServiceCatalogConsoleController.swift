import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// The operators' administration of the service catalog: create, edit, retire, restore.
struct ServiceCatalogConsoleController: Sendable {
    let services: ServiceCatalog
    let pages: Pages

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.operator)
        router.get("/staff/services") { request, context in
            let staff = try context.requireUser()
            return try await staffServicesPage(request, staff: staff)
        }
        router.post("/staff/services") { request, context in
            let staff = try context.requireUser()
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            let form = Self.serviceForm(fields)
            do {
                let created = try await ServiceAnswers.run { try await services.createService(form, by: staff.user) }
                return try await staffServicesPage(request, staff: staff,
                                                   notice: "\(pages.catalog.text("staff_services_created", pages.language(of: request))) \(created.name)")
            } catch let errors as FormErrors {
                return try await staffServicesPage(request, staff: staff, values: Self.values(form), errors: errors,
                                                   status: .unprocessableContent)
            }
        }
        router.get("/staff/services/:id") { request, context in
            let staff = try context.requireUser()
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            let service = try await ServiceAnswers.run { try await services.service(id: id, by: staff.user) }
            return try editServicePage(request, staff: staff, id: id,
                                       values: Self.values(.init(name: service.name, family: service.family, description: service.description)))
        }
        router.post("/staff/services/:id") { request, context in
            let staff = try context.requireUser()
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            let form = Self.serviceForm(fields)
            do {
                let updated = try await ServiceAnswers.run { try await services.updateService(id: id, form, by: staff.user) }
                return try await staffServicesPage(request, staff: staff,
                                                   notice: "\(pages.catalog.text("staff_services_updated", pages.language(of: request))) \(updated.name)")
            } catch let errors as FormErrors {
                return try editServicePage(request, staff: staff, id: id, values: Self.values(form), errors: errors, status: .unprocessableContent)
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


    private static func serviceForm(_ fields: PortalForm) -> ServiceCatalog.ServiceForm {
        .init(name: fields.name.orEmpty, family: fields.family.orEmpty, description: fields.description.orEmpty)
    }

    private static func values(_ form: ServiceCatalog.ServiceForm) -> [String: String] {
        ["name": form.name, "family": form.family, "description": form.description]
    }

    private func staffServicesPage(_ request: Request, staff: SignedInUser,
                                   values: [String: String] = [:], errors: FormErrors = FormErrors(), notice: String = "",
                                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = pages.language(of: request)
        let all = try await ServiceAnswers.run { try await services.allServices(by: staff.user) }
        return try pages.portal(request, template: "staff_services", titleKey: "staff_services_title", csrf: staff.session.csrfToken,
                              values: values, errors: errors, extra: Pages.dropEmpty(["notice": notice]),
                              items: all.map { service -> [String: String] in
                                  var row: [String: String] = ["id": String(service.id), "name": service.name, "family": service.family,
                                                               "description": service.description]
                                  row["active"] = service.isActive ? "yes" : ""
                                  row["stateText"] = pages.catalog.text(service.isActive ? "staff_services_state_active" : "staff_services_state_retired", language)
                                  return Pages.dropEmpty(row)
                              }, status: status)
    }

    private func editServicePage(_ request: Request, staff: SignedInUser, id: Int64, values: [String: String],
                                 errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) throws -> Response {
        var values = values
        values["id"] = String(id)
        return try pages.portal(request, template: "staff_service_edit", titleKey: "staff_services_edit_title", csrf: staff.session.csrfToken,
                              values: values, errors: errors, status: status)
    }
}
