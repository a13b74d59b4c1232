import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Notify
import Portal
import StatusModel
import StatusWeb
import Testing

/// "My weather" is cached like the public grid, once per set of visible products; subscriptions
/// to updates offer and accept only what the subscriber sees; update mails and webhooks name
/// only that; and a product page's one-click subscribe is each signed-in reader's own.
@Suite struct AudienceFollowTests {
    @Test func aCustomersGridIsRenderedOncePerSetOfVisibleProductsAndSharedByTheTenantsUsers() async throws {
        let world = try await AudienceWorld()
        let colleague = try await world.anotherMemberOfA("colleague@client.fr")
        let site = world.fixture.site
        try await world.test { client in
            let start = await site.renderCount()
            let first = try await kbGet(client, "/", session: world.memberA.session)
            let second = try await kbGet(client, "/", session: world.memberA.session)
            #expect(first.body == second.body && first.body.contains(AudienceWorld.privateName))
            #expect(await site.renderCount() == start + 1, "the second request is served from the cache")
            let shared = try await kbGet(client, "/", session: colleague.session).body
            #expect(shared.contains(AudienceWorld.privateName))
            #expect(await site.renderCount() == start + 1, "two users of the tenant who see the same products share one copy")
            #expect(shared.contains("id=\"menu-user\""), "each keeps their own menu")
            // Other sets of products, other copies: the public one, tenant B's, and the one with "Mes services".
            _ = try await kbGet(client, "/")
            _ = try await kbGet(client, "/", session: world.memberB.session)
            _ = try await kbGet(client, "/", session: world.adminA.session)
            #expect(await site.renderCount() == start + 4)
            let anonymous = try await kbGet(client, "/")
            #expect(anonymous.headers[.cacheControl] == "no-cache" && !anonymous.body.mentionsPrivateProduct)
            #expect(await site.renderCount() == start + 4)
            // A product page has no "Mes services": the administrator and the members share it.
            _ = try await kbGet(client, "/products/\(AudienceWorld.privateSlug)", session: world.adminA.session)
            _ = try await kbGet(client, "/products/\(AudienceWorld.privateSlug)", session: world.memberA.session)
            #expect(await site.renderCount() == start + 5)
        }
    }

    @Test func aSignedInReaderFollowsAProductInOneClickAndThePageSaysSo() async throws {
        let world = try await AudienceWorld()
        let member = world.memberB
        let store = world.fixture.subscriptionStore
        try await world.test { client in
            let page = try await kbGet(client, "/products/loop", session: member.session).body
            #expect(page.contains("id=\"follow-button\"") && page.contains("action=\"/products/loop/follow\""))
            #expect(page.contains("value=\"\(member.csrf)\"") && !page.contains("id=\"subscribe-link\""))
            // The shared copy stays anonymous: nobody's button nor token in it.
            let anonymous = try await kbGet(client, "/products/loop").body
            #expect(anonymous.contains("id=\"subscribe-link\"") && !anonymous.contains("follow-button") && !anonymous.contains(member.csrf))

            let forged = try await kbPost(client, "/products/loop/follow", session: member.session, "csrf=nope")
            #expect(forged.status == .forbidden)
            #expect(try await store.subscription(userID: member.user.id) == nil, "nothing changed")
            let followed = try await kbPost(client, "/products/loop/follow", session: member.session, "csrf=\(member.csrf)")
            #expect(followed.status == .seeOther && followed.headers[.location] == "/products/loop#product-follow")
            let saved = try #require(try await store.subscription(userID: member.user.id))
            #expect(saved.productSlugs == ["loop"] && saved.isConfirmed && saved.address == member.user.email)

            let after = try await kbGet(client, "/products/loop", session: member.session).body
            #expect(after.contains("id=\"following\"") && after.contains("You follow this product.") && after.contains("href=\"/account/subscriptions\""))
            #expect(!after.contains("follow-button"))
            #expect(try await kbGet(client, "/products/stream", session: member.session).body.contains("id=\"follow-button\""))
            let french = try await client.execute(uri: "/products/loop?lang=fr", method: .get, headers: pageHeaders(session: member.session)) {
                String(buffer: $0.body)
            }
            #expect(french.contains("Vous suivez ce produit."))

            // Nobody follows what they cannot see: 404, and the subscription is as it was.
            let hidden = try await kbPost(client, "/products/\(AudienceWorld.privateSlug)/follow", session: member.session, "csrf=\(member.csrf)")
            #expect(hidden.status == .notFound)
            #expect(try await store.subscription(userID: member.user.id)?.productSlugs == ["loop"])
            _ = try await kbPost(client, "/products/\(AudienceWorld.customersSlug)/follow", session: member.session, "csrf=\(member.csrf)")
            #expect(try await store.subscription(userID: member.user.id)?.productSlugs == [AudienceWorld.customersSlug, "loop"])
            // Anonymous visitors are sent to sign in.
            let stranger = try await kbPost(client, "/products/loop/follow", session: nil, "csrf=x")
            #expect(stranger.status != .seeOther || stranger.headers[.location]?.hasPrefix("/login") == true)
        }
    }

    @Test func theSubscriptionPagesAndAPIOfferAndAcceptOnlyTheSubscribersProducts() async throws {
        let world = try await AudienceWorld()
        let store = world.fixture.subscriptionStore
        let chosen = "scope=chosen&products%5B%5D=\(AudienceWorld.privateSlug)"
        try await world.test { client in
            for (session, customers, entitled) in [(nil, false, false), (world.memberB.session, true, false), (world.memberA.session, true, true)] {
                let form = try await kbGet(client, "/subscribe", session: session).body
                #expect(form.contains("Cegid Loop"))
                #expect(form.contains(AudienceWorld.customersName) == customers)
                #expect(form.contains(AudienceWorld.privateName) == entitled)
            }
            let refused = try await kbPost(client, "/subscribe", session: world.memberB.session, "csrf=\(world.memberB.csrf)&\(chosen)")
            #expect(refused.status == .unprocessableContent && refused.body.contains("id=\"products\""))
            #expect(try await store.subscription(userID: world.memberB.user.id) == nil, "nothing saved")
            let accepted = try await kbPost(client, "/subscribe", session: world.memberA.session, "csrf=\(world.memberA.csrf)&\(chosen)")
            #expect(accepted.status == .seeOther)
            #expect(try await store.subscription(userID: world.memberA.user.id)?.productSlugs == [AudienceWorld.privateSlug])
            let settings = try await kbGet(client, "/account/subscriptions", session: world.memberA.session).body
            #expect(settings.contains(AudienceWorld.privateName))
            let changed = try await kbPost(client, "/account/subscriptions", session: world.memberB.session, "csrf=\(world.memberB.csrf)&\(chosen)")
            #expect(changed.status == .notFound || changed.status == .unprocessableContent)

            // An address is nobody signed in: public products only, whoever asks.
            let token = String(repeating: "c", count: 40)
            let (headers, body) = formRequest(cookies: ["csrf=\(token)"],
                                              "csrf=\(token)&email=reader%40example.org&scope=chosen&products%5B%5D=\(AudienceWorld.customersSlug)")
            let anonymous = try await client.execute(uri: "/subscribe", method: .post, headers: headers, body: body) { $0.status }
            #expect(anonymous == .unprocessableContent)
            for bearer in [nil, world.kb.tenantAKey, world.kb.tenantBKey] {
                var apiHeaders = HTTPFields()
                apiHeaders[.contentType] = "application/json"
                if let bearer { apiHeaders[.authorization] = "Bearer \(bearer)" }
                let refusedAPI = try await client.execute(uri: "/api/v1/subscriptions", method: .post, headers: apiHeaders,
                                                          body: ByteBuffer(string: #"{"email":"api@example.org","products":["flex"]}"#)) { $0 }
                #expect(refusedAPI.status == .unprocessableContent && String(buffer: refusedAPI.body).contains("products"))
            }
            #expect(try await store.subscriptions(limit: 100).allSatisfy { !$0.productSlugs.contains(AudienceWorld.privateSlug) || $0.userID == world.memberA.user.id })
        }
    }

    @Test func updateMailsAndWebhooksReachAndNameOnlyWhatEachSubscriberSees() async throws {
        let world = try await AudienceWorld()
        let fixture = world.fixture
        let now = fixture.clock.now
        // An address, tenant B's and tenant A's members follow every product; a webhook too; and
        // an address stored following the private product alone (before the rule) hears nothing.
        try await fixture.follower("reader@example.org", language: "en", products: [])
        _ = try await fixture.subscriptions.subscribeUser(userID: world.memberB.user.id, email: world.memberB.user.email, language: "en", productSlugs: [], now: now)
        _ = try await fixture.subscriptions.subscribeUser(userID: world.memberA.user.id, email: world.memberA.user.email, language: "en", productSlugs: [], now: now)
        try await fixture.follower("old@example.org", language: "en", products: [AudienceWorld.privateSlug])
        _ = try await fixture.subscriptionStore.subscribeWebhook(url: "https://hooks.example.org/statusd", secret: "whsec_a", language: "en",
                                                                 productSlugs: [], now: now)
        let before = try await fixture.mails().count
        let announcer = AnnouncementService(events: fixture.store, subscriptions: fixture.subscriptions, calendar: SiteFixture.calendar,
                                            now: { fixture.clock.now },
                                            subscriberAudience: fixture.serviceCatalog.subscriberAudience(accounts: fixture.accountStore),
                                            logger: Logger(label: "test"))
        try await announcer.announcePending()
        let queued = Array(try await fixture.mails().dropFirst(before))
        func recipients(_ title: String) -> [String] { queued.filter { $0.subject.contains(title) }.map(\.to).sorted() }
        #expect(recipients(AudienceWorld.privateIncidentTitle) == [world.memberA.user.email])
        #expect(recipients(AudienceWorld.privateWindowTitle) == [world.memberA.user.email])
        #expect(recipients(AudienceWorld.mixedIncidentTitle) == [world.memberA.user.email, world.memberB.user.email, "reader@example.org"].sorted())
        #expect(!queued.contains { $0.to == "old@example.org" })
        for mail in queued where mail.to != world.memberA.user.email {
            #expect(!mail.text.mentionsPrivateProduct && !mail.subject.mentionsPrivateProduct, "\(mail.to): \(mail.subject)")
        }
        let mixedForA = try #require(queued.first { $0.to == world.memberA.user.email && $0.subject.contains(AudienceWorld.mixedIncidentTitle) })
        #expect(mixedForA.text.contains(AudienceWorld.privateName) && mixedForA.text.contains("Cegid Loop"))

        let calls = try await fixture.outbox.claimDueWebhooks(now: now.addingTimeInterval(1), limit: 50, leaseUntil: now.addingTimeInterval(60))
        #expect(calls.count == 1, "the webhook hears of the incident on a public product only")
        for call in calls {
            #expect(call.webhook.body.contains(AudienceWorld.mixedIncidentTitle) && call.webhook.body.contains("\"loop\""))
            #expect(!call.webhook.body.mentionsPrivateProduct && !call.webhook.body.contains("\"\(AudienceWorld.privateSlug)\""))
        }
    }
}
