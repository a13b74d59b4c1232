import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

extension StatusSite {
    /// The operators' administration of the service catalog: create, edit, retire, restore.
    func addStaffServiceRoutes(to router: Router<StatusRequestContext>, accounts: AccountService, services: ServiceCatalog) {
        router.get("/staff/services") { request, _ in
            let staff = try await serviceOperator(request, accounts: accounts)
            return try await staffServicesPage(request, staff: staff, services: services)
        }
        router.post("/staff/services") { request, context in
            let staff = try await serviceOperator(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(staff.session, fields)
            let form = Self.serviceForm(fields)
            do {
                let created = try await serviceAnswer { try await services.createService(form, by: staff.user) }
                return try await staffServicesPage(request, staff: staff, services: services,
                                                   notice: "\(catalog.text("staff_services_created", language(of: request))) \(created.name)")
            } catch let errors as FormErrors {
                return try await staffServicesPage(request, staff: staff, services: services, values: Self.values(form), errors: errors,
                                                   status: .unprocessableContent)
            }
        }
        router.get("/staff/services/:id") { request, context in
            let staff = try await serviceOperator(request, accounts: accounts)
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            let service = try await serviceAnswer { try await services.service(id: id, by: staff.user) }
            return try editServicePage(request, staff: staff, id: id,
                                       values: Self.values(.init(name: service.name, family: service.family, description: service.description)))
        }
        router.post("/staff/services/:id") { request, context in
            let staff = try await serviceOperator(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(staff.session, fields)
            guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            let form = Self.serviceForm(fields)
            do {
                let updated = try await serviceAnswer { try await services.updateService(id: id, form, by: staff.user) }
                return try await staffServicesPage(request, staff: staff, services: services,
                                                   notice: "\(catalog.text("staff_services_updated", language(of: request))) \(updated.name)")
            } catch let errors as FormErrors {
                return try editServicePage(request, staff: staff, id: id, values: Self.values(form), errors: errors, status: .unprocessableContent)
            }
        }
        router.post("/staff/services/:id/:action") { request, context in
            let staff = try await serviceOperator(request, accounts: accounts)
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(staff.session, fields)
            let action = try context.parameters.require("action")
            guard let id = Int64(try context.parameters.require("id")), action == "retire" || action == "restore" else { throw HTTPError(.notFound) }
            let changed = try await serviceAnswer { try await services.setActive(id: id, action == "restore", by: staff.user) }
            return try await staffServicesPage(request, staff: staff, services: services,
                                               notice: "\(catalog.text("staff_services_\(action)d", language(of: request))) \(changed.name)")
        }
    }

    /// An operator's session and user; customers and agents get 403, nobody goes to the login page.
    private func serviceOperator(_ request: Request, accounts: AccountService) async throws -> (session: Session, user: User) {
        guard let current = try await currentSession(request, accounts: accounts) else { throw HTTPError(.unauthorized) }
        guard current.user.staffRole == .operator_ else { throw HTTPError(.forbidden) }
        return (current.session, current.user)
    }

    private static func serviceForm(_ fields: [String: String]) -> ServiceCatalog.ServiceForm {
        .init(name: fields["name"] ?? "", family: fields["family"] ?? "", description: fields["description"] ?? "")
    }

    private static func values(_ form: ServiceCatalog.ServiceForm) -> [String: String] {
        ["name": form.name, "family": form.family, "description": form.description]
    }

    private func staffServicesPage(_ request: Request, staff: (session: Session, user: User), services: ServiceCatalog,
                                   values: [String: String] = [:], errors: FormErrors = FormErrors(), notice: String = "",
                                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = language(of: request)
        let all = try await serviceAnswer { try await services.allServices(by: staff.user) }
        return try portalPage(request, template: "staff_services", titleKey: "staff_services_title", csrf: staff.session.csrfToken,
                              values: values, errors: errors, extra: Self.shown(["notice": notice]),
                              items: all.map { service -> [String: String] in
                                  var row: [String: String] = ["id": String(service.id), "name": service.name, "family": service.family,
                                                               "description": service.description]
                                  row["active"] = service.isActive ? "yes" : ""
                                  row["stateText"] = catalog.text(service.isActive ? "staff_services_state_active" : "staff_services_state_retired", language)
                                  return Self.shown(row)
                              }, status: status)
    }

    private func editServicePage(_ request: Request, staff: (session: Session, user: User), id: Int64, values: [String: String],
                                 errors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) throws -> Response {
        var values = values
        values["id"] = String(id)
        return try portalPage(request, template: "staff_service_edit", titleKey: "staff_services_edit_title", csrf: staff.session.csrfToken,
                              values: values, errors: errors, status: status)
    }
}
