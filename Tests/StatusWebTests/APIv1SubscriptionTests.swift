import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Notify
import StatusModel
import Testing

/// `/api/v1/subscriptions`: addresses by double opt-in, webhooks by operators, to public targets only.
@Suite struct APIv1SubscriptionTests {
    @Test func anyoneSubscribesAnAddressWhichMustConfirmAndNoOneLearnsWhoSubscribed() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let body = #"{"email": "Anne@Client.fr", "products": ["loop"], "language": "en"}"#
            let first = try await world.call(client, .post, "/api/v1/subscriptions", body: body)
            #expect(first.status == .accepted)
            #expect(first["status"] as? String == "confirmation_sent" && first["email"] as? String == "anne@client.fr")
            let stored = try #require(try await world.subscriptions.store.subscriptions(limit: 10).first)
            #expect(!stored.isConfirmed && stored.productSlugs == ["loop"] && stored.language == "en")
            // Asking again answers the same, whatever the address's state.
            let again = try await world.call(client, .post, "/api/v1/subscriptions", body: body)
            #expect(again.status == .accepted && again.text == first.text)

            for (bad, field) in [(#"{"email": "pas une adresse"}"#, "email"), (#"{"email": "a@b.fr", "products": ["secret"]}"#, "products"),
                                 (#"{"email": "a@b.fr", "language": "de"}"#, "language"), (#"{"products": []}"#, "email")] {
                let refused = try await world.call(client, .post, "/api/v1/subscriptions", body: bad)
                #expect(refused.status == .unprocessableContent && refused.errorField == field, "\(bad): \(refused.text)")
            }
            #expect(try await world.call(client, .post, "/api/v1/subscriptions", body: "{not json").status == .badRequest)
            #expect(try await world.subscriptions.store.subscriptions(limit: 10).count == 1)
        }
    }

    @Test func operatorsListSubscribeWebhooksToPublicTargetsOnlyAndEndSubscriptions() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let hook = #"{"url": "https://93.184.216.34/statusd", "products": ["loop", "stream"]}"#
            #expect(try await world.call(client, .post, "/api/v1/subscriptions", body: hook).status == .unauthorized)
            #expect(try await world.call(client, .post, "/api/v1/subscriptions", key: .tenant, body: hook).status == .forbidden)
            for target in ["http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://169.254.169.254/latest", "http://[::1]/x", "http://localhost/x", "ftp://93.184.216.34/x"] {
                let refused = try await world.call(client, .post, "/api/v1/subscriptions", key: .staff, body: #"{"url": "\#(target)"}"#)
                #expect(refused.status == .unprocessableContent && refused.errorField == "url", "\(target): \(refused.text)")
            }
            let created = try await world.call(client, .post, "/api/v1/subscriptions", key: .staff, body: hook)
            #expect(created.status == .created, "\(created.text)")
            #expect((created["secret"] as? String)?.hasPrefix("whsec_") == true)
            #expect(created["kind"] as? String == "webhook" && created["confirmed"] as? Bool == true)
            let id = try #require(created["id"] as? String)
            #expect(created.headers[.location] == "/api/v1/subscriptions/\(id)")

            #expect(try await world.call(client, .get, "/api/v1/subscriptions").status == .unauthorized)
            let list = try await world.call(client, .get, "/api/v1/subscriptions", key: .staff)
            let items = try #require(list["subscriptions"] as? [[String: Any]])
            #expect(items.count == 1 && items.first?["secret"] == nil, "the secret is shown once")

            #expect(try await world.call(client, .delete, "/api/v1/subscriptions/\(id)", key: .tenant).status == .forbidden)
            #expect(try await world.call(client, .delete, "/api/v1/subscriptions/\(id)", key: .staff).status == .noContent)
            #expect(try await world.call(client, .delete, "/api/v1/subscriptions/\(id)", key: .staff).status == .notFound)
            #expect(try await world.call(client, .delete, "/api/v1/subscriptions/abc", key: .staff).status == .notFound)
        }
    }
}
