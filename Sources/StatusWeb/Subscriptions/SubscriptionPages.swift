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

    private func subscriptionView(_ request: Request, titleKey: String, csrf: String, form: SubscriptionForm?, errors: [String: String],
                                  followsAll: Bool, chosen: Set<String>) async throws -> SubscriptionView {
        let language = pages.language(of: request)
        var view = SubscriptionView(page: PageChrome(language: language, catalog: pages.catalog, title: pages.catalog.text(titleKey, language)),
                                    csrf: csrf)
        view.values = form?.keptValues ?? [:]
        view.errors = errors.mapValues { pages.catalog.text($0, language) }
        view.followsAll = followsAll
        view.products = try await store.publicProducts().products.map {
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
    func subscribePage(_ request: Request, csrf: String, loggedIn: Bool = false, email: String = "", form: SubscriptionForm? = nil,
                               errors: [String: String] = [:], status: HTTPResponse.Status = .ok, cookies: [Cookie] = []) async throws -> Response {
        let product: String? = request.uri.queryParameters.get("product").map { String($0) }
        let chosen: Set<String> = form.map { Set($0.chosenProducts) } ?? Set(product.map { [$0] } ?? [])
        let followsAll = form?.followsAll ?? (product == nil)
        var view = try await subscriptionView(request, titleKey: "subscribe_title", csrf: csrf, form: form, errors: errors,
                                              followsAll: followsAll, chosen: chosen)
        view.loggedIn = loggedIn
        view.email = email
        view.action = "/subscribe"
        view.button = pages.catalog.text(loggedIn ? "subscribe_one_click" : "subscribe_button", pages.language(of: request))
        return try subscriptionResponse(view, template: "subscribe", status: status, cookies: cookies, request: request)
    }

    func settingsPage(_ request: Request, subscription: StatusSubscription, csrf: String, action: String, unsubscribe: String,
                              form: SubscriptionForm? = nil, errors: [String: String] = [:], status: HTTPResponse.Status = .ok,
                              cookies: [Cookie] = []) async throws -> Response {
        // A refused change shows what was typed; otherwise the subscription as saved.
        let followsAll = form?.followsAll ?? subscription.followsEveryProduct
        let chosen = Set(form?.chosenProducts ?? subscription.productSlugs)
        var view = try await subscriptionView(request, titleKey: "subscription_settings_title", csrf: csrf, form: form, errors: errors,
                                              followsAll: followsAll, chosen: chosen)
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
