import Foundation
import HTTPTypes
import Hummingbird
import Notify
import Portal
import StatusModel

/// Signed-in users see and change their subscription in their profile.
struct AccountSubscriptionController<Store: StatusStore>: Sendable {
    let subscriptionPages: SubscriptionPages<Store>

    private var subscriptions: SubscriptionService { subscriptionPages.subscriptions }

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.signedIn)
        router.get("/account/subscriptions") { request, context in
            let user = try context.requireUser()
            guard let subscription = try await subscriptions.store.subscription(userID: user.user.id) else {
                return try await subscriptionPages.subscribePage(request, csrf: user.session.csrfToken, audience: context.audience, loggedIn: true,
                                                                 email: user.user.email)
            }
            return try await subscriptionPages.settingsPage(request, subscription: subscription, audience: context.audience,
                                          csrf: user.session.csrfToken, action: "/account/subscriptions",
                                          unsubscribe: "/account/subscriptions/unsubscribe")
        }
        router.post("/account/subscriptions") { request, context in
            let user = try context.requireUser()
            let form = try await Forms.read(SubscriptionForm.self, from: request, context: context)
            guard let subscription = try await subscriptions.store.subscription(userID: user.user.id) else { throw HTTPError(.notFound) }
            // Nobody follows what they cannot see: the user's products only.
            let choice = ProductChoice(form, known: try await subscriptionPages.store.visibleProducts(for: context.audience).slugs)
            guard choice.errors.isEmpty else {
                return try await subscriptionPages.settingsPage(request, subscription: subscription, audience: context.audience,
                                              csrf: user.session.csrfToken, action: "/account/subscriptions",
                                              unsubscribe: "/account/subscriptions/unsubscribe", form: form, errors: choice.errors,
                                              status: .unprocessableContent)
            }
            try await subscriptions.store.changeProducts(id: subscription.id, productSlugs: choice.slugs)
            return Forms.redirect(to: "/account/subscriptions?notice=subscription_saved")
        }
        router.post("/account/subscriptions/unsubscribe") { request, context in
            let user = try context.requireUser()
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            if let subscription = try await subscriptions.store.subscription(userID: user.user.id) {
                try await subscriptions.store.delete(id: subscription.id)
            }
            return try subscriptionPages.subscriptionMessage(request, titleKey: "unsubscribe_title", message: "unsubscribe_done")
        }
    }
}
