import Foundation
import HTTPTypes
import Hummingbird
import Notify
import Portal
import StatusModel

extension StatusSite {
    /// "S'inscrire aux mises à jour": a logged-in user subscribes in one click; anyone else
    /// gives an address and confirms by a link (double opt-in). Each mail's link leads to the
    /// subscription's settings (products followed) and to a one-click unsubscribe, which mail
    /// clients may also post to directly (RFC 8058).
    func addSubscriptionRoutes(to router: Router<StatusRequestContext>, subscriptions: SubscriptionService) {
        router.get("/subscribe") { request, _ in
            if let user = try await loggedInUser(request) {
                if try await subscriptions.store.subscription(userID: user.user.id) != nil {
                    return FormSupport.redirect(to: "/account/subscriptions")
                }
                return try await subscribePage(request, csrf: user.session.csrfToken, loggedIn: true, email: user.user.email)
            }
            let csrf = anonymousCSRF(request)
            return try await subscribePage(request, csrf: csrf.token, cookies: csrf.cookie.map { [$0] } ?? [])
        }
        router.post("/subscribe") { request, context in
            let form = try await FormValues.read(request, context: context)
            let choice = ProductChoice(form, known: try await publicProducts().slugs)
            let language = language(of: request).rawValue
            if let user = try await loggedInUser(request) {
                try checkSessionCSRF(user.session, form.single)
                guard choice.errors.isEmpty else {
                    return try await subscribePage(request, csrf: user.session.csrfToken, loggedIn: true, email: user.user.email, form: form,
                                                   errors: choice.errors, status: .unprocessableContent)
                }
                _ = try await subscriptions.subscribeUser(userID: user.user.id, email: user.user.email, language: user.user.language,
                                                          productSlugs: choice.slugs, now: clock())
                return FormSupport.redirect(to: "/account/subscriptions?notice=subscribed")
            }
            try checkAnonymousCSRF(request, form.single)
            var errors = choice.errors
            let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
            if !EmailAddress.isValid(email) { errors["email"] = "error_email_invalid" }
            if errors.isEmpty {
                do {
                    try await subscriptions.request(email: email, language: language, productSlugs: choice.slugs, now: clock())
                } catch SubscriptionError.invalidEmail {
                    errors["email"] = "error_email_invalid"
                }
            }
            guard errors.isEmpty else {
                return try await subscribePage(request, csrf: form["csrf"] ?? "", form: form, errors: errors, status: .unprocessableContent)
            }
            // The same answer whether the address was new or already subscribed.
            return try subscriptionMessage(request, titleKey: "subscribe_title", message: "subscribe_check_email")
        }
        router.get("/subscriptions/confirm/:token") { request, context in
            let token = try context.parameters.require("token")
            let csrf = anonymousCSRF(request)
            // Opening the link changes nothing (mail scanners open links): one button confirms.
            return try subscriptionMessage(request, titleKey: "subscribe_confirm_title", message: "subscribe_confirm_text",
                                           csrf: csrf.token, action: "/subscriptions/confirm/\(token)", button: "subscribe_confirm_button",
                                           cookies: csrf.cookie.map { [$0] } ?? [])
        }
        router.post("/subscriptions/confirm/:token") { request, context in
            let form = try await FormValues.read(request, context: context)
            try checkAnonymousCSRF(request, form.single)
            guard let confirmed = try await subscriptions.confirm(token: try context.parameters.require("token"), now: clock()) else {
                return try subscriptionMessage(request, titleKey: "subscribe_confirm_title", message: "subscribe_link_expired", status: .notFound)
            }
            return FormSupport.redirect(to: "/subscriptions/\(try await subscriptions.manageToken(for: confirmed.id))?notice=subscription_confirmed")
        }
        router.get("/subscriptions/:token") { request, context in
            let subscription = try await requireSubscription(context, subscriptions)
            let csrf = anonymousCSRF(request)
            let token = try context.parameters.require("token")
            return try await settingsPage(request, subscription: subscription, csrf: csrf.token, action: "/subscriptions/\(token)",
                                          unsubscribe: "/subscriptions/\(token)/unsubscribe", cookies: csrf.cookie.map { [$0] } ?? [])
        }
        router.post("/subscriptions/:token") { request, context in
            let subscription = try await requireSubscription(context, subscriptions)
            let form = try await FormValues.read(request, context: context)
            try checkAnonymousCSRF(request, form.single)
            let token = try context.parameters.require("token")
            let choice = ProductChoice(form, known: try await publicProducts().slugs)
            guard choice.errors.isEmpty else {
                return try await settingsPage(request, subscription: subscription, csrf: form["csrf"] ?? "", action: "/subscriptions/\(token)",
                                              unsubscribe: "/subscriptions/\(token)/unsubscribe", form: form, errors: choice.errors,
                                              status: .unprocessableContent)
            }
            try await subscriptions.store.changeProducts(id: subscription.id, productSlugs: choice.slugs)
            return FormSupport.redirect(to: "/subscriptions/\(token)?notice=subscription_saved")
        }
        router.get("/subscriptions/:token/unsubscribe") { request, context in
            _ = try await requireSubscription(context, subscriptions)
            let token = try context.parameters.require("token")
            return try subscriptionMessage(request, titleKey: "unsubscribe_title", message: "unsubscribe_text",
                                           action: "/subscriptions/\(token)/unsubscribe", button: "unsubscribe_button")
        }
        // No CSRF token here: the link's signature is the authority, and RFC 8058 clients post
        // "List-Unsubscribe=One-Click" without any cookie. Ending a subscription is all it can do.
        router.post("/subscriptions/:token/unsubscribe") { request, context in
            let subscription = try await requireSubscription(context, subscriptions)
            try await subscriptions.store.delete(id: subscription.id)
            return try subscriptionMessage(request, titleKey: "unsubscribe_title", message: "unsubscribe_done")
        }
    }

    /// Logged-in users see and change their subscription in their profile.
    func addAccountSubscriptionRoutes(to router: Router<StatusRequestContext>, subscriptions: SubscriptionService) {
        router.get("/account/subscriptions") { request, _ in
            guard let user = try await loggedInUser(request) else { throw HTTPError(.unauthorized) }
            guard let subscription = try await subscriptions.store.subscription(userID: user.user.id) else {
                return try await subscribePage(request, csrf: user.session.csrfToken, loggedIn: true, email: user.user.email)
            }
            return try await settingsPage(request, subscription: subscription, csrf: user.session.csrfToken, action: "/account/subscriptions",
                                          unsubscribe: "/account/subscriptions/unsubscribe")
        }
        router.post("/account/subscriptions") { request, context in
            guard let user = try await loggedInUser(request) else { throw HTTPError(.unauthorized) }
            let form = try await FormValues.read(request, context: context)
            try checkSessionCSRF(user.session, form.single)
            guard let subscription = try await subscriptions.store.subscription(userID: user.user.id) else { throw HTTPError(.notFound) }
            let choice = ProductChoice(form, known: try await publicProducts().slugs)
            guard choice.errors.isEmpty else {
                return try await settingsPage(request, subscription: subscription, csrf: user.session.csrfToken, action: "/account/subscriptions",
                                              unsubscribe: "/account/subscriptions/unsubscribe", form: form, errors: choice.errors,
                                              status: .unprocessableContent)
            }
            try await subscriptions.store.changeProducts(id: subscription.id, productSlugs: choice.slugs)
            return FormSupport.redirect(to: "/account/subscriptions?notice=subscription_saved")
        }
        router.post("/account/subscriptions/unsubscribe") { request, context in
            guard let user = try await loggedInUser(request) else { throw HTTPError(.unauthorized) }
            let form = try await FormValues.read(request, context: context)
            try checkSessionCSRF(user.session, form.single)
            if let subscription = try await subscriptions.store.subscription(userID: user.user.id) {
                try await subscriptions.store.delete(id: subscription.id)
            }
            return try subscriptionMessage(request, titleKey: "unsubscribe_title", message: "unsubscribe_done")
        }
    }

    private func loggedInUser(_ request: Request) async throws -> (session: Session, user: User)? {
        guard let accounts, let current = try await currentSession(request, accounts: accounts) else { return nil }
        return (current.session, current.user)
    }

    private func requireSubscription(_ context: StatusRequestContext, _ subscriptions: SubscriptionService) async throws -> StatusSubscription {
        guard let found = try await subscriptions.subscription(manageToken: try context.parameters.require("token")), found.isConfirmed else {
            throw HTTPError(.notFound)
        }
        return found
    }

    private func subscriptionView(_ request: Request, titleKey: String, csrf: String, form: FormValues, errors: [String: String],
                                  followsAll: Bool, chosen: Set<String>) async throws -> SubscriptionView {
        let language = language(of: request)
        var view = SubscriptionView(page: PageChrome(language: language, catalog: catalog, title: catalog.text(titleKey, language), path: request.uri.path),
                                    csrf: csrf)
        view.values = form.single
        view.errors = errors.mapValues { catalog.text($0, language) }
        view.followsAll = followsAll
        view.products = try await publicProducts().products.map {
            .init(value: $0.slug, label: $0.name, selected: chosen.contains($0.slug))
        }
        if let notice = request.uri.queryParameters.get("notice"),
           ["subscribed", "subscription_confirmed", "subscription_saved"].contains(notice) {
            view.notice = catalog.text("notice_\(notice)", language)
        }
        return view
    }

    private func subscribePage(_ request: Request, csrf: String, loggedIn: Bool = false, email: String = "", form: FormValues = FormValues(),
                               errors: [String: String] = [:], status: HTTPResponse.Status = .ok, cookies: [Cookie] = []) async throws -> Response {
        let product: String? = request.uri.queryParameters.get("product").map { String($0) }
        let chosen: Set<String> = form.pairs.isEmpty ? Set(product.map { [$0] } ?? []) : Set(form.all("products"))
        let followsAll = form.pairs.isEmpty ? product == nil : form["scope"] != "chosen"
        var view = try await subscriptionView(request, titleKey: "subscribe_title", csrf: csrf, form: form, errors: errors,
                                              followsAll: followsAll, chosen: chosen)
        view.loggedIn = loggedIn
        view.email = email
        view.action = "/subscribe"
        view.button = catalog.text(loggedIn ? "subscribe_one_click" : "subscribe_button", language(of: request))
        return try subscriptionResponse(view, template: "subscribe", status: status, cookies: cookies, request: request)
    }

    private func settingsPage(_ request: Request, subscription: StatusSubscription, csrf: String, action: String, unsubscribe: String,
                              form: FormValues = FormValues(), errors: [String: String] = [:], status: HTTPResponse.Status = .ok,
                              cookies: [Cookie] = []) async throws -> Response {
        let followsAll = form.pairs.isEmpty ? subscription.followsEveryProduct : form["scope"] != "chosen"
        let chosen = form.pairs.isEmpty ? Set(subscription.productSlugs) : Set(form.all("products"))
        var view = try await subscriptionView(request, titleKey: "subscription_settings_title", csrf: csrf, form: form, errors: errors,
                                              followsAll: followsAll, chosen: chosen)
        view.email = subscription.address
        view.action = action
        view.unsubscribeAction = unsubscribe
        view.button = catalog.text("subscription_save", language(of: request))
        return try subscriptionResponse(view, template: "subscription", status: status, cookies: cookies, request: request)
    }

    private func subscriptionMessage(_ request: Request, titleKey: String, message: String, csrf: String = "", action: String = "",
                                     button: String = "", status: HTTPResponse.Status = .ok, cookies: [Cookie] = []) throws -> Response {
        let language = language(of: request)
        var view = SubscriptionView(page: PageChrome(language: language, catalog: catalog, title: catalog.text(titleKey, language), path: request.uri.path),
                                    csrf: csrf)
        view.message = catalog.text(message, language)
        view.action = action
        view.button = button.isEmpty ? nil : catalog.text(button, language)
        return try subscriptionResponse(view, template: "subscription_message", status: status, cookies: cookies, request: request)
    }

    private func subscriptionResponse(_ view: SubscriptionView, template: String, status: HTTPResponse.Status, cookies: [Cookie],
                                      request: Request) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // Settings links are secrets: do not leak them to other sites through the Referer.
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        var response = Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try renderer.render(view, template: template))))
        for cookie in cookies { response.setCookie(cookie) }
        rememberLanguage(request, in: &response)
        return response
    }
}
