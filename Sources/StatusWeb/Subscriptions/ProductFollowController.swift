import Foundation
import Hummingbird
import Notify
import Portal
import StatusModel

/// A product page's "S'inscrire aux mises à jour" for a signed-in reader: one button that adds
/// the product to their account's subscription, or "Vous suivez ce produit" with a link to
/// manage it. Product pages are cached and shared, so this part is rendered per reader into
/// the page's reader slot (`<!--reader-->`), never into the shared copy.
struct ProductFollow: Sendable {
    let subscriptions: SubscriptionService
    let pages: Pages

    struct SlotView {
        let t: [String: String]
        let following: Bool
        let action: String
        let csrf: String
    }

    /// True when the user's confirmed subscription covers the product (following every product covers it).
    func follows(userID: Int64, productSlug: String) async throws -> Bool {
        guard let subscription = try await subscriptions.store.subscription(userID: userID), subscription.isConfirmed else { return false }
        return subscription.followsEveryProduct || subscription.productSlugs.contains(productSlug)
    }

    func slot(for user: SignedInUser, productSlug: String, language: Language) async throws -> String {
        let view = SlotView(t: pages.catalog.table(language), following: try await follows(userID: user.user.id, productSlug: productSlug),
                            action: "/products/\(productSlug)/follow", csrf: user.csrfToken)
        return try pages.renderer.render(view, template: "product_follow")
    }
}

/// `POST /products/{slug}/follow`: the one-click subscribe of the product page.
struct ProductFollowController<Store: StatusStore>: Sendable {
    let store: Store
    let follow: ProductFollow
    let clock: @Sendable () -> Date

    func addRoutes(to routes: SiteRoutes) {
        routes.pages(.signedIn).post("/products/:slug/follow") { request, context in
            let user = try context.requireUser()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            let slug = try context.parameters.require("slug")
            // Nobody follows what they cannot see: such a product is as unknown as a wrong slug.
            guard try await store.visibleProduct(slug: slug, for: context.audience) != nil else { throw HTTPError(.notFound) }
            let existing = try await follow.subscriptions.store.subscription(userID: user.user.id)
            // Following every product already covers this one; otherwise it joins the others.
            if existing?.followsEveryProduct != true || existing?.isConfirmed != true {
                let slugs = Array(Set((existing?.productSlugs ?? []) + [slug])).sorted()
                _ = try await follow.subscriptions.subscribeUser(userID: user.user.id, email: user.user.email, language: user.user.language,
                                                                 productSlugs: slugs, now: clock())
            }
            return Forms.redirect(to: "/products/\(slug)#product-follow")
        }
    }
}
