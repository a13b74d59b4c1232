import Foundation
import HTTPTypes
import Hummingbird
import StatusModel

/// Products, their condition and their days; console products created and changed by operators.
struct APIv1ProductsController<Store: StatusStore>: Sendable {
    let support: APIv1Support<Store>
    let pages: Pages
    let historyDays: Int

    private var store: Store { support.store }
    private var calendar: DayCalendar { support.calendar }
    private func clock() -> Date { support.clock() }

    func addRoutes(to routes: SiteRoutes) {
        let api = routes.api(.anyone)
        let staff = routes.api(.staffKey)
        api.get("products") { request, context in
            let (products, _) = try await store.visibleProducts(for: context.audience)
            let conditions = try await store.conditions(now: clock())
            let language = pages.language(of: request)
            return APIv1.ProductList(products: products.map { product in
                let condition = conditions[product.slug] ?? .operational
                return APIv1.ProductView(product, condition: condition, words: pages.catalog.text("condition_\(condition.rawValue)", language))
            })
        }
        api.get("products/:slug") { request, context in
            let product = try await visibleProduct(try context.parameters.require("slug"), context.audience)
            let now = clock()
            let history = try await store.history(productSlug: product.slug, days: lastDays(historyDays, now: now), now: now)
            return APIv1.ProductView(product, condition: history.condition,
                                                        words: pages.catalog.text("condition_\(history.condition.rawValue)", pages.language(of: request)),
                                                        uptime: history.uptime, days: historyDays)
        }
        api.get("products/:slug/days") { request, context in
            let product = try await visibleProduct(try context.parameters.require("slug"), context.audience)
            let now = clock()
            let days = lastDays(try APIv1Input.queryInt(request, "days", in: 1...90, fallback: historyDays), now: now)
            let history = try await store.history(productSlug: product.slug, days: days, now: now)
            return APIv1.ProductDaysView(slug: product.slug, days: dayViews(days, history.states, pages.language(of: request)))
        }
        api.get("days") { request, context in
            let now = clock()
            let days = lastDays(try APIv1Input.queryInt(request, "days", in: 1...90, fallback: historyDays), now: now)
            let (products, _) = try await store.visibleProducts(for: context.audience)
            let states = try await store.dayStates(days: days, now: now)
            let language = pages.language(of: request)
            return APIv1.DaysView(days: days.map(\.description), products: products.map { product in
                APIv1.ProductDaysView(slug: product.slug, days: dayViews(days, states[product.slug] ?? [], language))
            })
        }
        staff.post("products") { request, _ in
            let body = try await APIv1JSON.decode(ProductBody.self, from: request)
            guard let slug = body.slug else { throw APIError.missing("slug") }
            guard let name = body.name else { throw APIError.missing("name") }
            if let violation = ConsoleProductRules.check(slug: slug, name: name, family: body.family ?? "") { throw APIError(violation) }
            let existing = try await store.products()
            if let taken = existing.first(where: { $0.slug == slug }) {
                if taken.origin == .config { throw APIError.notEditable }
                throw APIError(.conflict, "slug_taken", "A product already has this slug: change it with PATCH.", field: "slug")
            }
            let product = Product(slug: slug, name: name, family: body.family ?? "",
                                  position: try body.wholePosition() ?? min((existing.map(\.position).max() ?? 0), ConsoleProductRules.positions.upperBound - 1) + 1,
                                  visibility: try visibility(body.visibility) ?? .public, monitoredSince: clock(), hasChecks: false, origin: .console)
            try await store.saveConsoleProduct(product)
            return try await productAnswer(slug, status: .created, request: request)
        }
        staff.patch("products/:slug") { request, context in
            let slug = try context.parameters.require("slug")
            guard var product = try await store.product(slug: slug) else { throw APIError.notFound("product") }
            // Refused before reading the body: whatever it says, a config product does not change here.
            guard product.origin == .console else { throw APIError.notEditable }
            let body = try await APIv1JSON.decode(ProductBody.self, from: request)
            if let other = body.slug, other != slug { throw APIError.invalid("slug", "A product's slug cannot change.") }
            product.name = body.name ?? product.name
            product.family = body.family ?? product.family
            product.position = try body.wholePosition() ?? product.position
            product.visibility = try visibility(body.visibility) ?? product.visibility
            if let violation = ConsoleProductRules.check(slug: slug, name: product.name, family: product.family) { throw APIError(violation) }
            try await store.saveConsoleProduct(product)
            return try await productAnswer(slug, status: .ok, request: request)
        }
    }

    /// A product the caller sees, or 404: the others (hidden, or another tenant's) do not exist for them.
    private func visibleProduct(_ slug: String, _ audience: ProductAudience) async throws -> Product {
        guard let product = try await store.visibleProduct(slug: slug, for: audience) else { throw APIError.notFound("product") }
        return product
    }

    /// The last `count` local days ending today, oldest first.
    func lastDays(_ count: Int, now: Date) -> [LocalDay] {
        calendar.days(endingWith: calendar.day(containing: now), count: count)
    }

    private func dayViews(_ days: [LocalDay], _ states: [DayState], _ language: Language) -> [APIv1.DayView] {
        zip(days, states).map { day, state in
            APIv1.DayView(day: day.description, state: APIv1JSON.word(state.rawValue), icon: state.icon, words: pages.catalog.text("state_\(state.rawValue)", language))
        }
    }

    private func visibility(_ text: String?) throws -> Product.Visibility? {
        guard let text else { return nil }
        guard let visibility = Product.Visibility(rawValue: text) else { throw APIError.invalid("visibility", "visibility is public, customers, private or hidden.") }
        return visibility
    }

    /// A product as operators see it after a write, hidden or not.
    private func productAnswer(_ slug: String, status: HTTPResponse.Status, request: Request) async throws -> EditedResponse<APIv1.ProductView> {
        guard let product = try await store.product(slug: slug) else { throw APIError.notFound("product") }
        let condition = try await store.conditions(now: clock())[slug] ?? .operational
        let view = APIv1.ProductView(product, condition: condition, words: pages.catalog.text("condition_\(condition.rawValue)", pages.language(of: request)))
        return EditedResponse(status: status, headers: [.location: "/api/v1/products/\(slug)"], response: view)
    }
}

/// The body of `POST /api/v1/products` and `PATCH /api/v1/products/{slug}`: every field
/// optional here, so a missing one is answered by name rather than by a decoding error.
struct ProductBody: Decodable {
    var slug: String?
    var name: String?
    var family: String?
    /// Read as a number and checked here: Foundation on Linux reports 1.5 for an Int as
    /// corrupt JSON without naming the field.
    var position: Double?
    var visibility: String?

    func wholePosition() throws -> Int? {
        guard let position else { return nil }
        guard position == position.rounded(), position >= 1, position <= Double(ConsoleProductRules.positions.upperBound) else {
            throw APIError(.badRequest, "invalid_type", "The field position must be a whole number from 1 to 1,000,000.", field: "position")
        }
        return Int(position)
    }
}
