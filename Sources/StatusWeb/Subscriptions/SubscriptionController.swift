import Foundation
import HTTPTypes
import Hummingbird
import Notify
import Portal
import StatusModel

/// "S'inscrire aux mises à jour": a logged-in user subscribes in one click; anyone else
/// gives an address and confirms by a link (double opt-in). Each mail's link leads to the
/// subscription's settings (products followed) and to a one-click unsubscribe, which mail
/// clients may also post to directly (RFC 8058).
struct SubscriptionController<Store: StatusStore>: Sendable {
    let subscriptionPages: SubscriptionPages<Store>

    private var subscriptions: SubscriptionService { subscriptionPages.subscriptions }
    private var pages: Pages { subscriptionPages.pages }

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.anyone)
        router.get("/subscribe") { request, context in
            if let user = context.identity?.user {
                if try await subscriptions.store.subscription(userID: user.user.id) != nil {
                    return Forms.redirect(to: "/account/subscriptions")
                }
                return try await subscriptionPages.subscribePage(request, csrf: user.session.csrfToken, audience: context.audience, loggedIn: true,
                                                                 email: user.user.email)
            }
            let csrf = Forms.anonymousCSRF(request, secure: pages.secureCookies)
            return try await subscriptionPages.subscribePage(request, csrf: csrf.token, audience: .anonymous, cookies: csrf.cookie.map { [$0] } ?? [])
        }
        router.post("/subscribe") { request, context in
            // The session's token for a signed-in user, the cookie's for anyone else.
            let form = try await Forms.read(SubscriptionForm.self, from: request, context: context)
            // A signed-in user follows what they see; an address, what anybody sees.
            let audience: ProductAudience = context.identity?.user == nil ? .anonymous : context.audience
            let choice = ProductChoice(form, known: try await subscriptionPages.store.visibleProducts(for: audience).slugs)
            let language = pages.language(of: request).rawValue
            if let user = context.identity?.user {
                guard choice.errors.isEmpty else {
                    return try await subscriptionPages.subscribePage(request, csrf: user.session.csrfToken, audience: audience, loggedIn: true,
                                                                     email: user.user.email, form: form, errors: choice.errors, status: .unprocessableContent)
                }
                _ = try await subscriptions.subscribeUser(userID: user.user.id, email: user.user.email, language: user.user.language,
                                                          productSlugs: choice.slugs, now: subscriptionPages.clock())
                return Forms.redirect(to: "/account/subscriptions?notice=subscribed")
            }
            var errors = choice.errors
            let email = form.email.orEmpty.trimmingCharacters(in: .whitespaces)
            if !EmailAddress.isValid(email) { errors["email"] = "error_email_invalid" }
            if errors.isEmpty {
                do {
                    try await subscriptions.request(email: email, language: language, productSlugs: choice.slugs, now: subscriptionPages.clock())
                } catch SubscriptionError.invalidEmail {
                    errors["email"] = "error_email_invalid"
                }
            }
            guard errors.isEmpty else {
                return try await subscriptionPages.subscribePage(request, csrf: form.csrf.orEmpty, audience: audience, form: form, errors: errors,
                                                                 status: .unprocessableContent)
            }
            // The same answer whether the address was new or already subscribed.
            return try subscriptionPages.subscriptionMessage(request, titleKey: "subscribe_title", message: "subscribe_check_email")
        }
        router.get("/subscriptions/confirm/:token") { request, context in
            let token = try context.parameters.require("token")
            let csrf = Forms.anonymousCSRF(request, secure: pages.secureCookies)
            // Opening the link changes nothing (mail scanners open links): one button confirms.
            return try subscriptionPages.subscriptionMessage(request, titleKey: "subscribe_confirm_title", message: "subscribe_confirm_text",
                                           csrf: csrf.token, action: "/subscriptions/confirm/\(token)", button: "subscribe_confirm_button",
                                           cookies: csrf.cookie.map { [$0] } ?? [])
        }
        router.post("/subscriptions/confirm/:token") { request, context in
            _ = try await Forms.read(CSRFOnlyForm.self, from: request, context: context)
            guard let confirmed = try await subscriptions.confirm(token: try context.parameters.require("token"), now: subscriptionPages.clock()) else {
                return try subscriptionPages.subscriptionMessage(request, titleKey: "subscribe_confirm_title", message: "subscribe_link_expired", status: .notFound)
            }
            return Forms.redirect(to: "/subscriptions/\(try await subscriptions.manageToken(for: confirmed.id))?notice=subscription_confirmed")
        }
        router.get("/subscriptions/:token") { request, context in
            let subscription = try await subscriptionPages.requireSubscription(context)
            let csrf = Forms.anonymousCSRF(request, secure: pages.secureCookies)
            let token = try context.parameters.require("token")
            return try await subscriptionPages.settingsPage(request, subscription: subscription, audience: SubscriptionPages<Store>.audience(of: subscription, context),
                                          csrf: csrf.token, action: "/subscriptions/\(token)",
                                          unsubscribe: "/subscriptions/\(token)/unsubscribe", cookies: csrf.cookie.map { [$0] } ?? [])
        }
        router.post("/subscriptions/:token") { request, context in
            let subscription = try await subscriptionPages.requireSubscription(context)
            let form = try await Forms.read(SubscriptionForm.self, from: request, context: context)
            let token = try context.parameters.require("token")
            let audience = SubscriptionPages<Store>.audience(of: subscription, context)
            let offered = try await subscriptionPages.store.visibleProducts(for: audience).slugs
            let choice = ProductChoice(form, known: offered)
            guard choice.errors.isEmpty else {
                return try await subscriptionPages.settingsPage(request, subscription: subscription, audience: audience, csrf: form.csrf.orEmpty,
                                              action: "/subscriptions/\(token)",
                                              unsubscribe: "/subscriptions/\(token)/unsubscribe", form: form, errors: choice.errors,
                                              status: .unprocessableContent)
            }
            try await subscriptions.store.changeProducts(id: subscription.id,
                                                         productSlugs: subscriptionPages.slugs(choice, keeping: subscription, offered: offered))
            return Forms.redirect(to: "/subscriptions/\(token)?notice=subscription_saved")
        }
        router.get("/subscriptions/:token/unsubscribe") { request, context in
            _ = try await subscriptionPages.requireSubscription(context)
            let token = try context.parameters.require("token")
            return try subscriptionPages.subscriptionMessage(request, titleKey: "unsubscribe_title", message: "unsubscribe_text",
                                           action: "/subscriptions/\(token)/unsubscribe", button: "unsubscribe_button")
        }
        // No CSRF token here: the link's signature is the authority, and RFC 8058 clients post
        // "List-Unsubscribe=One-Click" without any cookie. Ending a subscription is all it can do.
        router.post("/subscriptions/:token/unsubscribe") { request, context in
            let subscription = try await subscriptionPages.requireSubscription(context)
            try await subscriptions.store.delete(id: subscription.id)
            return try subscriptionPages.subscriptionMessage(request, titleKey: "unsubscribe_title", message: "unsubscribe_done")
        }
    }
}
