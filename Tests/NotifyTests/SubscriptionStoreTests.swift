import Foundation
import Notify
import StatusModel
import Testing

/// The contract every subscription store keeps, on SQLite (a file, and in memory) and on
/// PostgreSQL, with the races two nodes run into: one announcement, one link secret, one row
/// per address, one use per confirmation link.
@Suite struct SubscriptionStoreTests {
    let now = TestClock().now

    func ask(_ store: any SubscriptionStore, _ address: String, hash: String, at: Date, products: [String] = []) async throws -> SubscriptionRequestOutcome {
        try await store.request(address: address, language: "fr", productSlugs: products, confirmationHash: hash, now: at) { outcome in
            Fixture.mail(to: address, subject: "\(outcome)")
        }
    }

    func queued(_ stores: NotifyStores, at: Date) async throws -> [OutboxMessage] {
        try await stores.outbox.claimDue(now: at, limit: 1000, leaseUntil: at.addingTimeInterval(60), messageIDDomain: "x")
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func aRequestIsConfirmedOnceByItsLinkWithin48Hours(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            let store = stores.subscriptions
            guard case .awaitingConfirmation(let id) = try await ask(store, "anne@example.org", hash: "h1", at: now, products: ["loop"]) else {
                Issue.record("a new address waits for its confirmation"); return
            }
            #expect(try await queued(stores, at: now).map(\.recipient) == ["anne@example.org"])
            #expect(try await store.followers(of: ["loop"]).isEmpty, "nothing before the confirmation")

            let confirmed = try #require(try await store.confirm(confirmationHash: "h1", now: now.addingTimeInterval(3600)))
            #expect(confirmed.id == id && confirmed.isConfirmed && confirmed.productSlugs == ["loop"])
            #expect(try await store.confirm(confirmationHash: "h1", now: now.addingTimeInterval(3601)) == nil, "the link works once")
            #expect(try await store.followers(of: ["loop"]).map(\.id) == [id])
            #expect(try await store.followers(of: ["stream"]).isEmpty)

            _ = try await ask(store, "bob@example.org", hash: "h2", at: now)
            #expect(try await store.confirm(confirmationHash: "h2", now: now.addingTimeInterval(48 * 3600 + 1)) == nil, "expired")
            #expect(try await store.pruneUnconfirmed(now: now.addingTimeInterval(48 * 3600 + 1)) == 1)
            #expect(try await store.subscriptions(limit: 10).map(\.address) == ["anne@example.org"])
        }
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func askingAgainIsQuietForTenMinutesThenRenewsTheLinkOrSendsTheSettings(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            let store = stores.subscriptions
            _ = try await ask(store, "anne@example.org", hash: "old", at: now)
            _ = try await ask(store, "anne@example.org", hash: "ignored", at: now.addingTimeInterval(60))
            #expect(try await queued(stores, at: now.addingTimeInterval(60)).count == 1, "one mail for two asks a minute apart")

            let later = now.addingTimeInterval(700)
            _ = try await ask(store, "anne@example.org", hash: "new", at: later, products: ["stream"])
            #expect(try await store.confirm(confirmationHash: "old", now: later) == nil, "the old link is replaced")
            let renewed = try #require(try await store.confirm(confirmationHash: "new", now: later))
            #expect(renewed.productSlugs == ["stream"])

            guard case .alreadyConfirmed(let id) = try await ask(store, "anne@example.org", hash: "again", at: later.addingTimeInterval(700)) else {
                Issue.record("a confirmed address gets its settings"); return
            }
            #expect(id == renewed.id)
            // The first mail's lease ran out, so it shows again beside the renewed link and the settings.
            #expect(try await queued(stores, at: later.addingTimeInterval(700)).map(\.mail.subject)
                    == ["awaitingConfirmation(id: \(id))", "awaitingConfirmation(id: \(id))", "alreadyConfirmed(id: \(id))"])
        }
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func usersAndWebhooksSubscribeAtOnceAndAnEndedWebhookGetsNoQueuedCall(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            let store = stores.subscriptions
            _ = try await ask(store, "anne@example.org", hash: "h", at: now)
            let user = try await store.subscribeUser(userID: 7, address: "anne@example.org", language: "en", productSlugs: ["loop", "loop"], now: now)
            #expect(user.userID == 7 && user.isConfirmed && user.language == "en" && user.productSlugs == ["loop"])
            #expect(try await store.subscription(userID: 7)?.id == user.id, "the anonymous row became the user's")
            #expect(try await store.confirm(confirmationHash: "h", now: now) == nil, "its pending link is spent")

            let hook = try await store.subscribeWebhook(url: "https://hooks.example.org/a", secret: "s1", language: "fr", productSlugs: [], now: now)
            let again = try await store.subscribeWebhook(url: "https://hooks.example.org/a", secret: "s2", language: "fr", productSlugs: ["stream"], now: now)
            #expect(again.id == hook.id && again.webhookSecret == "s2" && again.channel == .webhook)
            try await store.changeProducts(id: user.id, productSlugs: ["stream", "loop"])
            #expect(try await store.subscription(id: user.id)?.productSlugs == ["loop", "stream"])
            #expect(try await store.followers(of: ["stream"]).map(\.id) == [user.id, hook.id])

            let call = try await stores.enqueueWebhook(Webhook(url: "https://hooks.example.org/a", secret: "s2", event: "incident.updated", body: "{}"), now: now)
            #expect(try await store.delete(id: hook.id))
            #expect(try await store.delete(id: hook.id) == false)
            #expect(try await stores.outbox.message(id: call)?.state == .dead)
            #expect(try await stores.outbox.message(id: call)?.lastError == "the subscription ended")
        }
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func twoNodesAnnouncingTheSameEventQueueItsMessagesOnce(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            let mails = (0..<20).map { Fixture.mail(to: "user\($0)@example.org") } + [Fixture.mail(to: "bad\r\naddress@example.org")]
            let hooks = [Webhook(url: "https://hooks.example.org/a", secret: "s", event: "incident.updated", body: "{}")]
            try await stores.withSecondProcess { other in
                for event in 1...5 {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for store in [stores.subscriptions, other.subscriptions, stores.subscriptions, other.subscriptions] {
                            group.addTask { try await store.recordAnnouncement(eventID: Int64(event), mails: mails, webhooks: hooks, now: now) }
                        }
                        try await group.waitForAll()
                    }
                }
                #expect(try await other.subscriptions.announcedThrough() == 5)
            }
            #expect(try await stores.outbox.countsByState()[.pending] == 5 * 21, "20 mails and one webhook per event; the bad address is skipped")
            try await stores.subscriptions.recordAnnouncement(eventID: 3, mails: mails, webhooks: hooks, now: now)
            #expect(try await stores.outbox.countsByState()[.pending] == 5 * 21, "an event already announced queues nothing")
        }
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func twoNodesAskingForTheLinkSecretFirstGetTheSameOne(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            try await stores.withSecondProcess { other in
                let secrets = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                    for store in [stores.subscriptions, other.subscriptions, stores.subscriptions, other.subscriptions] {
                        group.addTask { try await store.linkSecret() }
                    }
                    return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
                }
                #expect(secrets.count == 4)
                #expect(Set(secrets).count == 1, "links signed by one node open on the other")
                #expect(secrets[0].count == 32)
                #expect(try await stores.subscriptions.linkSecret() == secrets[0])
            }
        }
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func twoNodesTakingTheSameRequestMakeOneRowAndOneMail(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            try await stores.withSecondProcess { other in
                let outcomes = try await withThrowingTaskGroup(of: SubscriptionRequestOutcome.self) { group in
                    for (index, store) in [stores.subscriptions, other.subscriptions].enumerated() {
                        group.addTask { try await ask(store, "anne@example.org", hash: "h\(index)", at: now) }
                    }
                    return try await group.reduce(into: [SubscriptionRequestOutcome]()) { $0.append($1) }
                }
                #expect(outcomes.count == 2)
                #expect(Set(outcomes.map { "\($0)" }).count == 1, "both answers name the same row")
            }
            #expect(try await stores.subscriptions.subscriptions(limit: 10).count == 1)
            #expect(try await queued(stores, at: now).count == 1)
        }
    }

    @Test(arguments: NotifyStoreKind.allCases)
    func twoClicksOnOneConfirmationLinkConfirmOnce(kind: NotifyStoreKind) async throws {
        try await kind.withStores { stores in
            _ = try await ask(stores.subscriptions, "anne@example.org", hash: "once", at: now)
            try await stores.withSecondProcess { other in
                let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for store in [stores.subscriptions, other.subscriptions, stores.subscriptions, other.subscriptions] {
                        group.addTask { try await store.confirm(confirmationHash: "once", now: now) != nil }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(results.filter { $0 }.count == 1)
            }
        }
    }
}
