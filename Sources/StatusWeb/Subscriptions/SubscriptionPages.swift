import Foundation
import HTTPTypes
import Hummingbird
import Notify
import Portal
import StatusModel

/// The subscription pages' shared parts: the form, the settings page and the messages, which
/// the anonymous and the signed-in subscription controllers both show.
struct SubscriptionPages<Store: StatusStore>: Sendable {
    let store: Store
    let subscriptions: SubscriptionService
    let pages: Pages
    let clock: @Sendable () -> Date


    func requireSubscription(_ context: StatusRequestContext) async throws -> StatusSubscription {
        guard let found = try await subscriptions.subscription(manageToken: try context.parameters.require("token")), found.isConfirmed else {
            throw HTTPError(.notFound)
        }
        return found
    }

    /// Whose products a subscription's settings offer: a signed-in user's own subscription, what
    /// they see; any other (an address, or a settings link opened by someone else), the public ones.
    static func audience(of subscription: StatusSubscription, _ context: StatusRequestContext) -> ProductAudience {
        guard let owner = subscription.userID, owner == context.identity?.user?.user.id else { return .anonymous }
        return context.audience
    }

    /// The products `choice` keeps, plus those the subscription follows that this page did not
    /// offer (a user's private product, on a settings link opened signed out): a page never
    /// drops what it did not show.
    func slugs(_ choice: ProductChoice, keeping subscription: StatusSubscription, offered: Set<String>) -> [String] {
        guard !choice.followsAll, subscription.userID != nil else { return choice.slugs }
        return choice.slugs + subscription.productSlugs.filter { !offered.contains($0) && !choice.slugs.contains($0) }
    }

    private func subscriptionView(_ request: Request, titleKey: String, csrf: String, form: SubscriptionForm?, errors: [String: String],
                                  followsAll: Bool, chosen: Set<String>, audience: ProductAudience) async throws -> SubscriptionView {
        let language = pages.language(of: request)
        var view = SubscriptionView(page: PageChrome(language: language, catalog: pages.catalog, title: pages.catalog.text(titleKey, language)),
                                    csrf: csrf)
        view.values = form?.keptValues ?? [:]
        view.errors = errors.mapValues { pages.catalog.text($0, language) }
        view.followsAll = followsAll
        // Nobody follows what they cannot see: only the reader's products are offered.
        view.products = try await store.visibleProducts(for: audience).products.map {
            .init(value: $0.slug, label: $0.name, selected: chosen.contains($0.slug))
        }
        if let notice = request.uri.queryParameters.get("notice"),
           ["subscribed", "subscription_confirmed", "subscription_saved"].contains(notice) {
            view.notice = pages.catalog.text("notice_\(notice)", language)
        }
        return view
    }

    /// `form`: the subscription refused, shown again as typed; nil shows a new form, with the
    /// product of `?product=` chosen when the reader came from its page.
    func subscribePage(_ request: Request, csrf: String, audience: ProductAudience, loggedIn: Bool = false, email: String = "",
                       form: SubscriptionForm? = nil, errors: [String: String] = [:], status: HTTPResponse.Status = .ok,
                       cookies: [Cookie] = []) async throws -> Response {
        let product: String? = request.uri.queryParameters.get("product").map { String($0) }
        let chosen: Set<String> = form.map { Set($0.chosenProducts) } ?? Set(product.map { [$0] } ?? [])
        let followsAll = form?.followsAll ?? (product == nil)
        var view = try await subscriptionView(request, titleKey: "subscribe_title", csrf: csrf, form: form, errors: errors,
                                              followsAll: followsAll, chosen: chosen, audience: audience)
        view.loggedIn = loggedIn
        view.email = email
        view.action = "/subscribe"
        view.button = pages.catalog.text(loggedIn ? "subscribe_one_click" : "subscribe_button", pages.language(of: request))
        return try subscriptionResponse(view, template: "subscribe", status: status, cookies: cookies, request: request)
    }

    func settingsPage(_ request: Request, subscription: StatusSubscription, audience: ProductAudience, csrf: String, action: String,
                      unsubscribe: String, form: SubscriptionForm? = nil, errors: [String: String] = [:], status: HTTPResponse.Status = .ok,
                              cookies: [Cookie] = []) async throws -> Response {
        // A refused change shows what was typed; otherwise the subscription as saved.
        let followsAll = form?.followsAll ?? subscription.followsEveryProduct
        let chosen = Set(form?.chosenProducts ?? subscription.productSlugs)
        var view = try await subscriptionView(request, titleKey: "subscription_settings_title", csrf: csrf, form: form, errors: errors,
                                              followsAll: followsAll, chosen: chosen, audience: audience)
        view.email = subscription.address
        view.action = action
        view.unsubscribeAction = unsubscribe
        view.button = pages.catalog.text("subscription_save", pages.language(of: request))
        return try subscriptionResponse(view, template: "subscription", status: status, cookies: cookies, request: request)
    }

    func subscriptionMessage(_ request: Request, titleKey: String, message: String, csrf: String = "", action: String = "",
                                     button: String = "", status: HTTPResponse.Status = .ok, cookies: [Cookie] = []) throws -> Response {
        let language = pages.language(of: request)
        var view = SubscriptionView(page: PageChrome(language: language, catalog: pages.catalog, title: pages.catalog.text(titleKey, language)),
                                    csrf: csrf)
        view.message = pages.catalog.text(message, language)
        view.action = action
        view.button = button.isEmpty ? nil : pages.catalog.text(button, language)
        return try subscriptionResponse(view, template: "subscription_message", status: status, cookies: cookies, request: request)
    }

    private func subscriptionResponse(_ view: SubscriptionView, template: String, status: HTTPResponse.Status, cookies: [Cookie],
                                      request: Request) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // Settings links are secrets: do not leak them to other sites through the Referer.
        headers[.referrerPolicy] = "no-referrer"
        var response = Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try pages.renderer.render(view, template: template))))
        for cookie in cookies { response.setCookie(cookie) }
        pages.rememberLanguage(request, in: &response)
        return response
    }
}
