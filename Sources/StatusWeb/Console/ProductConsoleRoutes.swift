import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

extension StatusSite {
    /// The operators' console for products: products of the config file are shown as they are
    /// (the file is their source of truth, with their checks); products made here are reported
    /// by hand (incidents and maintenance) and can be renamed, moved, hidden.
    func addProductConsoleRoutes(to router: Router<StatusRequestContext>, accounts: AccountService) {
        router.get("/staff/products") { request, _ in
            let staff = try await operatorSession(request, accounts: accounts)
            return try await productsPage(request, csrf: staff.csrfToken)
        }
        router.post("/staff/products") { request, context in
            let staff = try await operatorSession(request, accounts: accounts)
            let form = try await FormValues.read(request, context: context)
            try checkSessionCSRF(staff, form.single)
            return try await saveProduct(request, csrf: staff.csrfToken, form: form, slug: (form["slug"] ?? "").trimmingCharacters(in: .whitespaces))
        }
        router.post("/staff/products/:slug") { request, context in
            let staff = try await operatorSession(request, accounts: accounts)
            let slug = try context.parameters.require("slug")
            guard try await store.product(slug: slug) != nil else { throw HTTPError(.notFound) }
            let form = try await FormValues.read(request, context: context)
            try checkSessionCSRF(staff, form.single)
            return try await saveProduct(request, csrf: staff.csrfToken, form: form, slug: slug)
        }
    }

    private func saveProduct(_ request: Request, csrf: String, form: FormValues, slug: String) async throws -> Response {
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let family = (form["family"] ?? "").trimmingCharacters(in: .whitespaces)
        var errors: [String: String] = [:]
        if !ProductSlug.isValid(slug) { errors["slug"] = "error_slug_invalid" }
        if name.isEmpty || name.count > 100 { errors["name"] = "error_name_required" }
        let position = Int(form["position"] ?? "") ?? 0
        let visibility = Product.Visibility(rawValue: form["visibility"] ?? "") ?? .public
        let existing = try await store.product(slug: slug)
        guard errors.isEmpty else { return try await productsPage(request, csrf: csrf, form: form, errors: errors, status: .unprocessableContent) }
        let product = Product(slug: slug, name: name, family: family.isEmpty ? name : family, position: position, visibility: visibility,
                              monitoredSince: existing?.monitoredSince ?? clock(), hasChecks: false, origin: .console)
        do {
            try await store.saveConsoleProduct(product)
        } catch StoreError.notEditable {
            return try await productsPage(request, csrf: csrf, form: form, errors: ["slug": "error_product_in_config"], status: .conflict)
        }
        return FormSupport.redirect(to: "/staff/products?notice=product_saved")
    }

    private func productsPage(_ request: Request, csrf: String, form: FormValues = FormValues(), errors: [String: String] = [:],
                              status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = language(of: request)
        var view = try await consoleView(request, titleKey: "console_products_title", csrf: csrf, form: form, errors: errors)
        view.visibilities = Product.Visibility.allCases.map {
            .init(value: $0.rawValue, label: catalog.text("visibility_\($0.rawValue)", language), selected: (form["visibility"] ?? "public") == $0.rawValue)
        }
        view.productRows = try await store.products().map { product in
            .init(slug: product.slug, name: product.name, family: product.family, position: String(product.position),
                  visibility: product.visibility.rawValue, visibilityWord: catalog.text("visibility_\(product.visibility.rawValue)", language),
                  fromConfig: product.origin == .config,
                  visibilities: Product.Visibility.allCases.map {
                      .init(value: $0.rawValue, label: catalog.text("visibility_\($0.rawValue)", language), selected: product.visibility == $0)
                  })
        }
        return try console(view, template: "console_products", status: status)
    }
}
