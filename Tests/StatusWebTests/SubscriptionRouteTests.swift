import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Notify
import Portal
import StatusModel
import StatusWeb
import Testing

/// Following status updates as visitors, users and mail clients do: double opt-in by a link
/// that only a button (never a GET) confirms, settings behind a signed link, one-click
/// unsubscribe (RFC 8058), and no way to learn who follows.
@Suite struct SubscriptionRouteTests {
    /// The `csrf=...` cookie a page sets, ready for a Cookie header.
    static func csrfCookie(_ response: TestResponse) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix("csrf=") }?.split(separator: ";").first.map(String.init)
    }

    /// Opens the form anonymously: the CSRF cookie and its token.
    static func anonymousForm(_ client: some TestClientProtocol, uri: String = "/subscribe") async throws -> (cookie: String, token: String) {
        try await client.execute(uri: uri, method: .get, headers: pageHeaders()) { response in
            #expect(response.status == .ok)
            let cookie = try #require(csrfCookie(response))
            let token = String(cookie.dropFirst("csrf=".count))
            #expect(String(buffer: response.body).contains("name=\"csrf\" value=\"\(token)\""))
            return (cookie, token)
        }
    }

    /// The path of a link in a mail, on the configured base URL.
    static func path(of link: String) throws -> String {
        #expect(link.hasPrefix(PortalSiteFixture.baseURL + "/"), "links use the configured base URL")
        return String(link.dropFirst(PortalSiteFixture.baseURL.count))
    }

    static func subscription(_ world: PortalSiteFixture, _ address: String) async throws -> StatusSubscription? {
        try await world.subscriptionStore.subscriptions(limit: 100).first { $0.address == address }
    }

    @Test func anAnonymousVisitorSubscribesConfirmsByAButtonAndChoosesProducts() async throws {
        let world = try await PortalSiteFixture()
        try await world.test { client in
            let csrf = try await client.execute(uri: "/subscribe", method: .get, headers: pageHeaders()) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("id=\"email\""))
                #expect(html.contains("Cegid Loop"))
                #expect(!html.contains("id=\"notice\""), "no notice asked for, none shown")
                #expect(!html.contains("Secret Beta"), "hidden products are not offered")
                let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("csrf=") })
                #expect(cookie.contains("HttpOnly"))
                return try #require(Self.csrfCookie(response))
            }
            let token = String(csrf.dropFirst("csrf=".count))
            let (headers, body) = formRequest(cookies: [csrf], "csrf=\(token)&email=Reader%40Client.fr&scope=chosen&products%5B%5D=loop")
            try await client.execute(uri: "/subscribe", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("Check your email"))
                #expect(!html.contains("<form"), "nothing to press on this page")
            }
            let mails = try await world.mails(to: "reader@client.fr")
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.subject == "Confirm your subscription to status updates of statusd")
            #expect(mail.language == "en")
            let link = try #require(PortalSiteFixture.link(in: mail.text, after: "/subscriptions/confirm/"))
            let confirmPath = try Self.path(of: link)
            let pending = try #require(try await Self.subscription(world, "reader@client.fr"))
            #expect(!pending.isConfirmed)
            #expect(pending.productSlugs == ["loop"])

            // Mail scanners open links: a GET shows a button and changes nothing.
            try await client.execute(uri: confirmPath, method: .get, headers: pageHeaders(cookies: [csrf])) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("action=\"\(confirmPath)\""))
                #expect(html.contains("Confirm my subscription"))
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            }
            #expect(try await Self.subscription(world, "reader@client.fr")?.isConfirmed == false)

            // Without the form's token, the button does nothing either.
            let (forged, forgedBody) = formRequest(cookies: [csrf], "csrf=nope")
            try await client.execute(uri: confirmPath, method: .post, headers: forged, body: forgedBody) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try await Self.subscription(world, "reader@client.fr")?.isConfirmed == false)

            let (confirmHeaders, confirm) = formRequest(cookies: [csrf], "csrf=\(token)")
            let settings = try await client.execute(uri: confirmPath, method: .post, headers: confirmHeaders, body: confirm) { response in
                #expect(response.status == .seeOther)
                return try #require(response.headers[.location])
            }
            let manageToken = try await world.subscriptions.manageToken(for: pending.id)
            #expect(settings == "/subscriptions/\(manageToken)?notice=subscription_confirmed")
            #expect(try await Self.subscription(world, "reader@client.fr")?.isConfirmed == true)

            try await client.execute(uri: settings, method: .get, headers: pageHeaders(cookies: [csrf])) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("Your subscription is confirmed."))
                #expect(html.contains("reader@client.fr"))
                #expect(html.contains("value=\"loop\" checked"))
                #expect(html.contains("id=\"scope-chosen\" checked"))
                #expect(html.contains("action=\"/subscriptions/\(manageToken)/unsubscribe\""))
            }

            // None ticked: 422, the error next to the products, nothing changes.
            let (noneHeaders, none) = formRequest(cookies: [csrf], "csrf=\(token)&scope=chosen")
            try await client.execute(uri: "/subscriptions/\(manageToken)", method: .post, headers: noneHeaders, body: none) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.showsError("Choose at least one product.", nextTo: "products"))
                #expect(html.contains("id=\"scope-chosen\" checked"), "the choice is kept")
            }
            #expect(try await Self.subscription(world, "reader@client.fr")?.productSlugs == ["loop"])

            let (changeHeaders, change) = formRequest(cookies: [csrf], "csrf=\(token)&scope=chosen&products%5B%5D=stream&products%5B%5D=xrp&products%5B%5D=secret")
            try await client.execute(uri: "/subscriptions/\(manageToken)", method: .post, headers: changeHeaders, body: change) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/subscriptions/\(manageToken)?notice=subscription_saved")
            }
            #expect(try await Self.subscription(world, "reader@client.fr")?.productSlugs == ["stream", "xrp"])

            let (allHeaders, all) = formRequest(cookies: [csrf], "csrf=\(token)&scope=all&products%5B%5D=loop")
            try await client.execute(uri: "/subscriptions/\(manageToken)", method: .post, headers: allHeaders, body: all) { response in
                #expect(response.status == .seeOther)
            }
            #expect(try await Self.subscription(world, "reader@client.fr")?.followsEveryProduct == true)

            // The settings form is a form like any other: no token, no change.
            let (noTokenHeaders, noToken) = formRequest("scope=chosen&products%5B%5D=loop")
            try await client.execute(uri: "/subscriptions/\(manageToken)", method: .post, headers: noTokenHeaders, body: noToken) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try await Self.subscription(world, "reader@client.fr")?.followsEveryProduct == true)
        }
        #expect(try await world.mails(to: "reader@client.fr").count == 1, "confirming sends nothing more")
    }

    @Test(arguments: ["not-an-email", "", "a@b", "x@-y.fr", "<x@y.fr>", "x@y.fr,z@y.fr", "a b@c.fr", "é@exemple.fr",
                      "x@y.fr%0D%0ABcc:z@y.fr", String(repeating: "a", count: 250) + "@y.fr"])
    func aBadAddressIs422WithTheMessageAndTheInputKept(email: String) async throws {
        let world = try await PortalSiteFixture()
        try await world.test { client in
            let (cookie, token) = try await Self.anonymousForm(client)
            let (headers, body) = formRequest(cookies: [cookie], "csrf=\(token)&email=\(urlEncoded(email.removingPercentEncoding ?? email))&scope=all")
            try await client.execute(uri: "/subscribe", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.showsError("This email address is not valid.", nextTo: "email"))
                if email == "not-an-email" { #expect(html.keeps("not-an-email", in: "email")) }
                #expect(html.contains("name=\"csrf\" value=\"\(token)\""), "the form can be sent again")
            }
        }
        #expect(try await world.subscriptionStore.subscriptions(limit: 10).isEmpty)
        #expect(try await world.mails().allSatisfy { !$0.subject.contains("status updates") })
    }

    @Test func aSubscribeFormWithoutItsTokenIs403() async throws {
        let world = try await PortalSiteFixture()
        try await world.test { client in
            let (cookie, _) = try await Self.anonymousForm(client)
            for (cookies, csrf) in [([cookie], "wrong"), ([], ""), ([cookie], "")] {
                let (headers, body) = formRequest(cookies: cookies, "csrf=\(csrf)&email=reader%40client.fr&scope=all")
                try await client.execute(uri: "/subscribe", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .forbidden)
                }
            }
        }
        #expect(try await world.subscriptionStore.subscriptions(limit: 10).isEmpty)
    }

    @Test func aConfirmationLinkOlderThan48HoursIs404AndConfirmsNothing() async throws {
        let world = try await PortalSiteFixture()
        try await world.test { client in
            let (cookie, token) = try await Self.anonymousForm(client)
            let (headers, body) = formRequest(cookies: [cookie], "csrf=\(token)&email=late%40client.fr&scope=all")
            try await client.execute(uri: "/subscribe", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
            }
            let link = try #require(try await world.mails(to: "late@client.fr").first.flatMap { PortalSiteFixture.link(in: $0.text, after: "/subscriptions/confirm/") })
            world.clock.advance(by: 48 * 3600 + 60)
            let (confirmHeaders, confirm) = formRequest(cookies: [cookie], "csrf=\(token)")
            try await client.execute(uri: try Self.path(of: link), method: .post, headers: confirmHeaders, body: confirm) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("This link has expired"))
            }
            try await client.execute(uri: "/subscriptions/confirm/made-up-token", method: .post, headers: confirmHeaders, body: confirm) { response in
                #expect(response.status == .notFound)
            }
        }
        #expect(try await Self.subscription(world, "late@client.fr")?.isConfirmed == false)
    }

    @Test func aRenewedRequestReplacesTheLinkOfTheFirst() async throws {
        let world = try await PortalSiteFixture()
        try await world.test { client in
            let (cookie, token) = try await Self.anonymousForm(client)
            for round in 0..<3 {
                let (headers, body) = formRequest(cookies: [cookie], "csrf=\(token)&email=twice%40client.fr&scope=all")
                try await client.execute(uri: "/subscribe", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .ok)
                }
                // Asking again at once mails nothing more (no flooding someone's mailbox); ten minutes later it does.
                if round == 1 { world.clock.advance(by: 601) }
            }
            let links = try await world.mails(to: "twice@client.fr").compactMap { PortalSiteFixture.link(in: $0.text, after: "/subscriptions/confirm/") }
            #expect(links.count == 2)
            #expect(Set(links).count == 2)
            let (confirmHeaders, confirm) = formRequest(cookies: [cookie], "csrf=\(token)")
            try await client.execute(uri: try Self.path(of: links[0]), method: .post, headers: confirmHeaders, body: confirm) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: try Self.path(of: links[1]), method: .post, headers: confirmHeaders, body: confirm) { response in
                #expect(response.status == .seeOther)
            }
        }
        #expect(try await Self.subscription(world, "twice@client.fr")?.isConfirmed == true)
    }

    @Test func anAddressThatAlreadyFollowsGetsTheSameAnswerAndAReminderNotAConfirmation() async throws {
        let world = try await PortalSiteFixture()
        let known = try await world.follower("known@client.fr", language: "en", products: ["stream"])
        let mailsBefore = try await world.mails(to: "known@client.fr").count
        // Past the ten minutes in which an address is not mailed again about requests.
        world.clock.advance(by: 601)
        try await world.test { client in
            let (cookie, token) = try await Self.anonymousForm(client)
            var answers: [String] = []
            for address in ["KNOWN%40client.fr", "new%40client.fr"] {
                let (headers, body) = formRequest(cookies: [cookie], "csrf=\(token)&email=\(address)&scope=all")
                answers.append(try await client.execute(uri: "/subscribe", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                })
            }
            #expect(answers[0] == answers[1], "nobody learns who follows")
        }
        let mails = try await world.mails(to: "known@client.fr")
        #expect(mails.count == mailsBefore + 1)
        let reminder = try #require(mails.last)
        #expect(reminder.subject == "You already follow status updates of statusd")
        #expect(!reminder.text.contains("/subscriptions/confirm/"))
        let manage = try await world.subscriptions.manageLink(for: known.id)
        #expect(reminder.text.contains(manage))
        #expect(manage.hasPrefix(PortalSiteFixture.baseURL + "/subscriptions/"))
        #expect(try await world.subscriptionStore.subscription(id: known.id) == known, "the subscription is unchanged")
    }

    @Test func aForgedOrAlteredSettingsLinkIs404AndChangesNothing() async throws {
        let world = try await PortalSiteFixture()
        let follower = try await world.follower("reader@client.fr", language: "en", products: ["loop"])
        try await world.subscriptions.request(email: "pending@client.fr", language: "en", productSlugs: [], now: world.clock.now)
        let pending = try #require(try await Self.subscription(world, "pending@client.fr"))
        let real = try await world.subscriptions.manageToken(for: follower.id)
        let signature = real.split(separator: "-", maxSplits: 1)[1]
        let altered = String(real.dropLast()) + (real.hasSuffix("0") ? "1" : "0")
        let tokens = [altered, "\(follower.id)-" + String(repeating: "0", count: 32), "\(pending.id)-\(signature)",
                      try await world.subscriptions.manageToken(for: pending.id), real + "0", "\(follower.id)", "x-\(signature)", "-1-\(signature)"]
        try await world.test { client in
            let (cookie, csrf) = try await Self.anonymousForm(client)
            for token in tokens {
                try await client.execute(uri: "/subscriptions/\(token)", method: .get, headers: pageHeaders()) { response in
                    #expect(response.status == .notFound, "\(token)")
                }
                try await client.execute(uri: "/subscriptions/\(token)/unsubscribe", method: .get, headers: pageHeaders()) { response in
                    #expect(response.status == .notFound, "\(token)")
                }
                let (headers, body) = formRequest(cookies: [cookie], "csrf=\(csrf)&scope=chosen&products%5B%5D=xrp")
                try await client.execute(uri: "/subscriptions/\(token)", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .notFound, "\(token)")
                }
                let (oneClick, oneClickBody) = formRequest("List-Unsubscribe=One-Click")
                try await client.execute(uri: "/subscriptions/\(token)/unsubscribe", method: .post, headers: oneClick, body: oneClickBody) { response in
                    #expect(response.status == .notFound, "\(token)")
                }
            }
        }
        #expect(try await world.subscriptionStore.subscription(id: follower.id) == follower)
        #expect(try await world.subscriptionStore.subscription(id: pending.id) == pending)
    }

    @Test func aMailClientUnsubscribesInOneClickWithoutCookies() async throws {
        let world = try await PortalSiteFixture()
        let follower = try await world.follower("reader@client.fr", language: "fr", products: [])
        let token = try await world.subscriptions.manageToken(for: follower.id)
        try await world.test { client in
            // Opening the link asks first.
            try await client.execute(uri: "/subscriptions/\(token)/unsubscribe", method: .get, headers: pageHeaders()) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("action=\"/subscriptions/\(token)/unsubscribe\""))
            }
            #expect(try await world.subscriptionStore.subscription(id: follower.id) != nil)
            var headers = HTTPFields()
            headers[.contentType] = "application/x-www-form-urlencoded"
            try await client.execute(uri: "/subscriptions/\(token)/unsubscribe", method: .post, headers: headers,
                                     body: ByteBuffer(string: "List-Unsubscribe=One-Click")) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("Vous êtes désinscrit") || String(buffer: response.body).contains("unsubscribed"))
            }
            #expect(try await world.subscriptionStore.subscription(id: follower.id) == nil)
            try await client.execute(uri: "/subscriptions/\(token)", method: .get, headers: pageHeaders()) { response in
                #expect(response.status == .notFound, "every link of that subscription is dead")
            }
            try await client.execute(uri: "/subscriptions/\(token)/unsubscribe", method: .post, headers: headers,
                                     body: ByteBuffer(string: "List-Unsubscribe=One-Click")) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func aLoggedInUserSubscribesInOneClickChangesProductsAndUnsubscribes() async throws {
        let world = try await PortalSiteFixture()
        let member = world.member
        try await world.test { client in
            try await client.execute(uri: "/account/subscriptions", method: .get, headers: pageHeaders()) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login?next=/account/subscriptions")
            }
            try await client.execute(uri: "/subscribe?product=stream", method: .get, headers: pageHeaders(session: member.session)) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("Subscribe in one click"))
                #expect(html.contains("member@client.fr"))
                #expect(!html.contains("id=\"email\""))
                #expect(html.contains("name=\"csrf\" value=\"\(member.csrf)\""))
                #expect(html.contains("value=\"stream\" checked"))
            }
            let (badHeaders, bad) = formRequest(session: member.session, "csrf=wrong&scope=all")
            try await client.execute(uri: "/subscribe", method: .post, headers: badHeaders, body: bad) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try await world.subscriptionStore.subscription(userID: member.user.id) == nil)

            let (headers, body) = formRequest(session: member.session, "csrf=\(member.csrf)&scope=chosen&products%5B%5D=loop")
            try await client.execute(uri: "/subscribe", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/account/subscriptions?notice=subscribed")
            }
            let subscription = try #require(try await world.subscriptionStore.subscription(userID: member.user.id))
            #expect(subscription.isConfirmed, "the user's address is known: no confirmation")
            #expect(subscription.productSlugs == ["loop"])
            #expect(try await world.mails(to: "member@client.fr").allSatisfy { !$0.subject.contains("status updates") })

            try await client.execute(uri: "/subscribe", method: .get, headers: pageHeaders(session: member.session)) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/account/subscriptions")
            }
            try await client.execute(uri: "/account/subscriptions?notice=subscribed", method: .get, headers: pageHeaders(session: member.session)) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("You are subscribed."))
                #expect(html.contains("member@client.fr"))
                #expect(html.contains("value=\"loop\" checked"))
                #expect(html.contains("action=\"/account/subscriptions/unsubscribe\""))
            }
            let (noneHeaders, none) = formRequest(session: member.session, "csrf=\(member.csrf)&scope=chosen")
            try await client.execute(uri: "/account/subscriptions", method: .post, headers: noneHeaders, body: none) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).showsError("Choose at least one product.", nextTo: "products"))
            }
            let (changeHeaders, change) = formRequest(session: member.session, "csrf=\(member.csrf)&scope=chosen&products%5B%5D=stream")
            try await client.execute(uri: "/account/subscriptions", method: .post, headers: changeHeaders, body: change) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/account/subscriptions?notice=subscription_saved")
            }
            #expect(try await world.subscriptionStore.subscription(userID: member.user.id)?.productSlugs == ["stream"])
            // Another user's session cannot end this one's subscription.
            let (otherHeaders, other) = formRequest(session: world.admin.session, "csrf=\(world.admin.csrf)")
            try await client.execute(uri: "/account/subscriptions/unsubscribe", method: .post, headers: otherHeaders, body: other) { response in
                #expect(response.status == .ok)
            }
            #expect(try await world.subscriptionStore.subscription(userID: member.user.id) != nil)
            let (noTokenHeaders, noToken) = formRequest(session: member.session, "")
            try await client.execute(uri: "/account/subscriptions/unsubscribe", method: .post, headers: noTokenHeaders, body: noToken) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try await world.subscriptionStore.subscription(userID: member.user.id) != nil)
            let (endHeaders, end) = formRequest(session: member.session, "csrf=\(member.csrf)")
            try await client.execute(uri: "/account/subscriptions/unsubscribe", method: .post, headers: endHeaders, body: end) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("You are unsubscribed"))
            }
            #expect(try await world.subscriptionStore.subscription(userID: member.user.id) == nil)
        }
    }

    // MARK: announcements

    @Test func anOperatorsIncidentIsAnnouncedOnceToEachConfirmedFollowerInTheirLanguage() async throws {
        let world = try await PortalSiteFixture()
        let french = try await world.follower("lecteur@client.fr", language: "fr", products: ["loop"])
        let english = try await world.follower("reader@client.com", language: "en", products: [])
        try await world.follower("stream-only@client.fr", language: "fr", products: ["stream"])
        try await world.subscriptions.request(email: "pending@client.fr", language: "fr", productSlugs: ["loop"], now: world.clock.now)
        let user = try await world.subscriptions.subscribeUser(userID: world.member.user.id, email: "member@client.fr", language: "en",
                                                                productSlugs: ["loop", "xrp"], now: world.clock.now)
        let ops = world.operatorLogin
        try await world.test { client in
            let (headers, body) = formRequest(session: ops.session,
                                              "csrf=\(ops.csrf)&title=Connexions+impossibles&products%5B%5D=loop&impact=major&status=investigating&message=Nous+analysons.")
            try await client.execute(uri: "/staff/incidents", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
            }
        }
        let announcer = AnnouncementService(events: world.store, subscriptions: world.subscriptions, calendar: SiteFixture.calendar,
                                            now: { world.clock.now }, logger: Logger(label: "test"))
        let before = try await world.mails().count
        try await announcer.announcePending()
        let queued = Array(try await world.mails().dropFirst(before))
        #expect(queued.map(\.to).sorted() == ["lecteur@client.fr", "member@client.fr", "reader@client.com"])

        for (subscription, language) in [(french, "fr"), (english, "en"), (user, "en")] {
            let mail = try #require(queued.first { $0.to == subscription.address })
            #expect(mail.language == language)
            #expect(mail.subject == "[Incident] Connexions impossibles · statusd")
            #expect(mail.text.contains(language == "fr" ? "Produits : Cegid Loop" : "Products: Cegid Loop"))
            #expect(mail.text.contains("Nous analysons."))
            let manage = try await world.subscriptions.manageLink(for: subscription.id)
            // Its links open in the follower's language, whatever the browser prefers.
            #expect(mail.headers["List-Unsubscribe"] == "<\(manage)/unsubscribe?lang=\(language)>")
            #expect(mail.text.contains("\(manage)?lang=\(language)"))
            #expect(mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
            #expect(mail.text.contains("\(PortalSiteFixture.baseURL)/products/loop"))
        }

        try await announcer.announcePending()
        #expect(try await world.mails().count == before + 3, "each event is announced once")

        // A hidden product's incident is not news for customers.
        try await world.test { client in
            let (headers, body) = formRequest(session: ops.session,
                                              "csrf=\(ops.csrf)&title=Beta+en+panne&products%5B%5D=secret&impact=major&status=investigating&message=m")
            try await client.execute(uri: "/staff/incidents", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
            }
        }
        try await announcer.announcePending()
        #expect(try await world.mails().count == before + 3)

        // The mail's List-Unsubscribe link works as RFC 8058 says.
        let link = try #require(queued.first { $0.to == "lecteur@client.fr" }?.headers["List-Unsubscribe"])
        let path = try Self.path(of: String(link.dropFirst().dropLast()))
        try await world.test { client in
            var headers = HTTPFields()
            headers[.contentType] = "application/x-www-form-urlencoded"
            try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: "List-Unsubscribe=One-Click")) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try await world.subscriptionStore.subscription(id: french.id) == nil)
    }
}
