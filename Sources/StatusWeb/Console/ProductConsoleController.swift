import Foundation
import HTTPTypes
import Hummingbird
import Notify
import Portal
import StatusModel

/// The operators' console for products: products of the config file are shown as they are
/// (the file is their source of truth, with their checks); products made here are reported
/// by hand (incidents and maintenance) and can be renamed, moved, hidden.
struct ProductConsoleController<Store: StatusStore>: Sendable {
    let console: ConsolePages<Store>
    let webhookPolicy: WebhookTargetPolicy
    let clock: @Sendable () -> Date

    private var store: Store { console.store }
    private var pages: Pages { console.pages }
    private var calendar: DayCalendar { console.calendar }

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.operator)
        router.get("/staff/products") { request, context in
            let staff = try context.requireUser()
            // The add form proposes the place after the last product.
            let last = try await store.products().map(\.position).max() ?? 0
            let next = min(last, ConsoleProductRules.positions.upperBound - 1) + 1
            return try await productsPage(request, csrf: staff.csrfToken, form: ProductForm(position: String(next)))
        }
        router.post("/staff/products") { request, context in
            let staff = try context.requireUser()
            let form = try await Forms.read(ProductForm.self, from: request, context: context)
            return try await saveProduct(request, csrf: staff.csrfToken, form: form, slug: form.slug.orEmpty.trimmingCharacters(in: .whitespaces))
        }
        router.post("/staff/products/:slug") { request, context in
            let staff = try context.requireUser()
            let slug = try context.parameters.require("slug")
            guard try await store.product(slug: slug) != nil else { throw HTTPError(.notFound) }
            let form = try await Forms.read(ProductForm.self, from: request, context: context)
            return try await saveProduct(request, csrf: staff.csrfToken, form: form, slug: slug)
        }
        addCheckRoutes(to: router)
    }

    /// Checks of console products: made from a small form, kept and validated in the config
    /// file's own words, so the console and the file accept exactly the same checks.
    private func addCheckRoutes(to router: GuardedRoutes) {
        router.post("/staff/products/:slug/checks") { request, context in
            let staff = try context.requireUser()
            let slug = try context.parameters.require("slug")
            guard let product = try await store.product(slug: slug) else { throw HTTPError(.notFound) }
            let form = try await Forms.read(CheckForm.self, from: request, context: context)
            let name = form.name.orEmpty.trimmingCharacters(in: .whitespaces)
            guard product.origin == .console else {
                return try await productsPage(request, csrf: staff.csrfToken, checkError: (slug, "error_product_in_config", form), status: .conflict)
            }
            let kind = form.kind.orEmpty
            guard ["http", "tcp", "tls", "dns"].contains(kind) else {
                return try await productsPage(request, csrf: staff.csrfToken, checkError: (slug, "error_choice_invalid", form), status: .unprocessableContent)
            }
            guard ProductSlug.isValid(name) else {
                return try await productsPage(request, csrf: staff.csrfToken, checkError: (slug, "error_check_name", form), status: .unprocessableContent)
            }
            let spec = CheckSpec.yaml([("name", name), ("kind", kind), ("target", form.target.orEmpty),
                                       ("interval", form.interval.orEmpty), ("timeout", form.timeout.orEmpty)])
            do {
                _ = try CheckSpec.check(yaml: spec, productSlug: slug)
            } catch let error as ConfigError {
                // The config reader's own sentence, naming the key: the same words as for the file.
                return try await productsPage(request, csrf: staff.csrfToken,
                                              checkError: (slug, "\(error.key.isEmpty ? "" : error.key + " : ")\(error.message)", form),
                                              status: .unprocessableContent)
            }
            // A web operator must not turn the probes on the vendor's own network (a port scan,
            // cloud metadata): targets go through the webhooks' address rules, and the config's
            // allow_private_targets / allowed_targets open them up.
            if let url = Self.addressToCheck(kind: kind, target: form.target.orEmpty) {
                do {
                    _ = try await WebhookTarget.check(url, policy: webhookPolicy)
                } catch let refused as WebhookTargetError {
                    // A name that does not resolve yet is let through: the check will say so.
                    if !refused.isTemporary {
                        let message = pages.catalog.text("error_check_target_refused", pages.language(of: request), refused.code.description)
                        return try await productsPage(request, csrf: staff.csrfToken, checkError: (slug, "target : " + message, form),
                                                      status: .unprocessableContent)
                    }
                }
            }
            try await store.saveConsoleCheck(ConsoleCheck(productSlug: slug, name: name, spec: spec))
            return Forms.redirect(to: "/staff/products?notice=check_saved")
        }
        router.post("/staff/products/:slug/checks/:name/delete") { request, context in
            _ = try context.requireUser()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            guard try await store.deleteConsoleCheck(productSlug: try context.parameters.require("slug"),
                                                     name: try context.parameters.require("name")) else { throw HTTPError(.notFound) }
            return Forms.redirect(to: "/staff/products?notice=check_deleted")
        }
    }

    /// What a check connects to, as an http URL the address rules read; nil for dns (it asks a resolver).
    static func addressToCheck(kind: String, target: String) -> String? {
        let target = target.trimmingCharacters(in: .whitespaces)
        switch kind {
        case "http": return target
        case "tcp", "tls": return "http://\(target)/"
        default: return nil
        }
    }

    private func saveProduct(_ request: Request, csrf: String, form: ProductForm, slug: String) async throws -> Response {
        let name = form.name.orEmpty.trimmingCharacters(in: .whitespaces)
        let family = form.family.orEmpty.trimmingCharacters(in: .whitespaces)
        var errors: [String: String] = [:]
        if !ProductSlug.isValid(slug) { errors["slug"] = "error_slug_invalid" }
        if name.isEmpty || name.count > 100 { errors["name"] = "error_name_required" }
        // The same bound as the API's: positions are added to, never near Int's limits (and
        // abs(Int.min) would stop the process), so the range is checked before anything else.
        let position = Int(form.position.orEmpty.trimmingCharacters(in: .whitespaces)) ?? 0
        if !ConsoleProductRules.positions.contains(position) { errors["position"] = "error_position_range" }
        // Absent is public (the add form's default); anything else must be one of the four.
        let visibility = form.visibility.map { Product.Visibility(rawValue: $0) } ?? .public
        if visibility == nil { errors["visibility"] = "error_visibility_invalid" }
        let existing = try await store.product(slug: slug)
        guard errors.isEmpty else { return try await productsPage(request, csrf: csrf, form: form, errors: errors, status: .unprocessableContent) }
        let product = Product(slug: slug, name: name, family: family.isEmpty ? name : family, position: position, visibility: visibility ?? .public,
                              monitoredSince: existing?.monitoredSince ?? clock(), hasChecks: false, origin: .console)
        do {
            try await store.saveConsoleProduct(product)
        } catch StoreError.notEditable {
            return try await productsPage(request, csrf: csrf, form: form, errors: ["slug": "error_product_in_config"], status: .conflict)
        }
        return Forms.redirect(to: "/staff/products?notice=product_saved")
    }

    /// `checkError`: the product whose check form was refused, and why (a catalog key or a sentence).
    /// `form`: the product form refused (or the add form's proposal), shown again as typed.
    private func productsPage(_ request: Request, csrf: String, form: ProductForm = ProductForm(), errors: [String: String] = [:],
                              checkError: (slug: String, message: String, typed: CheckForm)? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = pages.language(of: request)
        var view = try await console.view(request, titleKey: "console_products_title", csrf: csrf, values: form.keptValues, errors: errors)
        view.visibilities = Product.Visibility.allCases.map {
            .init(value: $0.rawValue, label: pages.catalog.text("visibility_\($0.rawValue)", language), selected: (form.visibility ?? "public") == $0.rawValue)
        }
        let checks = Dictionary(grouping: try await store.consoleChecks(), by: \.productSlug)
        view.productRows = try await store.products().map { product in
            ConsoleView.ProductRow(slug: product.slug, name: product.name, family: product.family, position: String(product.position),
                  visibility: product.visibility.rawValue, visibilityWord: pages.catalog.text("visibility_\(product.visibility.rawValue)", language),
                  fromConfig: product.origin == .config,
                  visibilities: Product.Visibility.allCases.map {
                      .init(value: $0.rawValue, label: pages.catalog.text("visibility_\($0.rawValue)", language), selected: product.visibility == $0)
                  },
                  checks: (checks[product.slug] ?? []).map { .init(productSlug: $0.productSlug, name: $0.name, spec: $0.spec) },
                  checkError: checkError?.slug == product.slug ? checkError.map { pages.catalog.text($0.message, language) } : nil,
                  checkValues: checkError?.slug == product.slug ? checkError?.typed.keptValues ?? [:] : [:])
        }
        return try console.page(view, template: "console_products", status: status)
    }
}
