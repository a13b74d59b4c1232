import Foundation
import HTTPTypes
import Hummingbird
import Notify
import StatusModel

/// Status subscriptions: anyone may subscribe an address (double opt-in, as on the pages);
/// operators with a staff key list them, subscribe webhooks, and end any of them.
struct APIv1SubscriptionsController<Store: StatusStore>: Sendable {
    let support: APIv1Support<Store>
    let subscriptions: SubscriptionService
    let webhookPolicy: WebhookTargetPolicy

    private var store: Store { support.store }
    private var calendar: DayCalendar { support.calendar }
    private func clock() -> Date { support.clock() }

    func addRoutes(to routes: SiteRoutes) {
        let api = routes.api(.anyone)
        let staff = routes.api(.staffKey)
        staff.get("subscriptions") { request, _ in
            let all = try await subscriptions.store.subscriptions(limit: 10_000)
            return APIv1.SubscriptionList(subscriptions: all.map { APIv1.SubscriptionView($0, timeZone: calendar.timeZone) })
        }
        api.post("subscriptions") { request, context in
            let body = try await APIv1JSON.decode(SubscriptionBody.self, from: request)
            let language = body.language ?? "fr"
            guard ["fr", "en"].contains(language) else { throw APIError.invalid("language", "The language is fr or en.") }
            // An address or a webhook is nobody signed in: updates reach it about public products
            // only (the announcements' rule), so it may follow those only, whoever's key asks.
            let known = try await store.visibleProducts(for: .anonymous).slugs
            let slugs = body.products ?? []
            if let unknown = slugs.first(where: { !known.contains($0) }) {
                throw APIError.invalid("products", "No public product has the slug \(unknown).")
            }
            switch (body.email, body.url) {
            case (let email?, nil):
                // The answer is the same for a new address and one that already follows updates:
                // the API tells no stranger who subscribed.
                do {
                    try await subscriptions.request(email: email, language: language, productSlugs: slugs, now: clock())
                } catch SubscriptionError.invalidEmail {
                    throw APIError.invalid("email", "This is not an email address.")
                }
                // Two kinds of answer from one route: each turned into a Response here.
                let answer = APIv1.SubscriptionRequestView(status: "confirmation_sent", email: email.lowercased())
                return try EditedResponse(status: .accepted, headers: [:], response: answer).response(from: request, context: context)
            case (nil, let url?):
                try APIv1Input.requireStaffKey(context)
                do {
                    _ = try await WebhookTarget.check(url, policy: webhookPolicy)
                } catch let refused as WebhookTargetError {
                    throw APIError(.unprocessableContent, "webhook_target_refused", refused.message, field: "url")
                }
                let secret = SubscriptionService.webhookSecret()
                let created = try await subscriptions.store.subscribeWebhook(url: url, secret: secret, language: language, productSlugs: slugs, now: clock())
                var view = APIv1.SubscriptionView(created, timeZone: calendar.timeZone)
                // Shown once, like an API key: the receiver checks X-Statusd-Signature with it.
                view.secret = secret
                return try EditedResponse(status: .created, headers: [.location: "/api/v1/subscriptions/\(created.id)"], response: view)
                    .response(from: request, context: context)
            default:
                throw APIError.invalid("email", "Give exactly one of email and url.")
            }
        }
        staff.delete("subscriptions/:id") { request, context in
            guard let id = Int64(try context.parameters.require("id")), try await subscriptions.store.delete(id: id) else {
                throw APIError.notFound("subscription")
            }
            return APIv1JSON.noContent()
        }
    }
}

struct SubscriptionBody: Decodable {
    var email: String?
    var url: String?
    var products: [String]?
    var language: String?
}

extension APIv1 {
    struct SubscriptionView: ResponseEncodable {
        let id: String
        let kind: String
        let email: String?
        let url: String?
        let products: [String]
        let language: String
        let confirmed: Bool
        let createdAt: String
        var secret: String?

        init(_ subscription: StatusSubscription, timeZone: TimeZone) {
            id = String(subscription.id)
            kind = subscription.channel.rawValue
            email = subscription.channel == .email ? subscription.address : nil
            url = subscription.channel == .webhook ? subscription.address : nil
            products = subscription.productSlugs
            language = subscription.language
            confirmed = subscription.isConfirmed
            createdAt = APIv1JSON.format(subscription.createdAt, in: timeZone)
        }
    }

    struct SubscriptionList: ResponseEncodable {
        let subscriptions: [SubscriptionView]
    }

    struct SubscriptionRequestView: ResponseEncodable {
        let status: String
        let email: String
    }
}
