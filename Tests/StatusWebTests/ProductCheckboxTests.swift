import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Notify
import Portal
import StatusModel
@testable import StatusWeb
import Testing

/// The product checkboxes repeat, so they are named `products[]`, which Hummingbird's
/// `URLEncodedFormDecoder` reads into an array; a plain repeated `products` is refused.
@Suite struct ProductCheckboxTests {
    // MARK: the decoder, as the forms use it

    @Test(arguments: ["products%5B%5D=loop&products%5B%5D=stream", "products[]=loop&products[]=stream"])
    func bracketedBoxesDecodeIntoTheirArray(body: String) throws {
        // Browsers percent-encode the brackets; both spellings are the same field.
        let form = try URLEncodedFormDecoder().decode(IncidentForm.self, from: "title=T&" + body)
        #expect(form.products == ["loop", "stream"])
        #expect(form.title == "T")
    }

    @Test func absentFieldsAreNil() throws {
        let form = try URLEncodedFormDecoder().decode(MaintenanceForm.self, from: "title=T")
        #expect(form.products == nil)
        #expect(form.chosenProducts == [])
        #expect(form.message == nil && form.weekly == nil && form.csrf == nil)
        #expect(try URLEncodedFormDecoder().decode(SubscriptionForm.self, from: "").products == nil)
    }

    @Test(arguments: ["products=loop&products=stream", "products=loop", "products=loop&products%5B%5D=stream"])
    func plainProductNamesAreRefused(body: String) {
        #expect(throws: (any Error).self) { try URLEncodedFormDecoder().decode(IncidentForm.self, from: body) }
    }

    // MARK: the routes

    @Test func aConsoleFormPostedByABrowserSavesEveryProductTicked() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.test { client in
            let ticked = "products%5B%5D=loop&products%5B%5D=stream&products%5B%5D=xrp"
            let (incidentHeaders, incident) = formRequest(session: ops.session,
                                                          "csrf=\(ops.csrf)&title=Panne&\(ticked)&impact=major&status=investigating&message=m")
            try await client.execute(uri: "/staff/incidents", method: .post, headers: incidentHeaders, body: incident) { response in
                #expect(response.status == .seeOther)
            }
            let (windowHeaders, window) = formRequest(session: ops.session,
                                                      "csrf=\(ops.csrf)&title=Migration&\(ticked)&start=2026-11-25T22%3A00&end=2026-11-25T23%3A00")
            try await client.execute(uri: "/staff/maintenance", method: .post, headers: windowHeaders, body: window) { response in
                #expect(response.status == .seeOther)
            }
        }
        #expect(try await world.store.recentIncidents(limit: 5).map(\.productSlugs) == [["loop", "stream", "xrp"]])
        let windows = try await world.store.maintenances(overlapping: DateInterval(start: .distantPast, end: .distantFuture))
        #expect(windows.map(\.productSlugs) == [["loop", "stream", "xrp"]])
    }

    @Test func plainRepeatedProductsAreA4xxOnEveryFormAndChangeNothing() async throws {
        let world = try await ConsoleTests.worldWithHistory()
        let ops = world.operatorLogin
        let follower = try await world.follower("reader@client.fr", language: "en", products: ["loop"])
        let token = try await world.subscriptions.manageToken(for: follower.id)
        let before = try await ConsoleTests.snapshot(world)
        try await world.test { client in
            for uri in ["/staff/incidents", "/staff/incidents/inc1", "/staff/maintenance", "/staff/maintenance/win1",
                        "/subscribe", "/subscriptions/\(token)", "/account/subscriptions"] {
                let (headers, body) = formRequest(session: ops.session, cookies: ["csrf=\(ops.csrf)"],
                                                  "csrf=\(ops.csrf)&title=Panne&products=loop&products=stream&impact=major&status=investigating"
                                                  + "&message=m&scope=chosen&email=a%40b.fr&start=2026-11-25T22%3A00&end=2026-11-25T23%3A00")
                try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
                    #expect((400..<500).contains(response.status.code), "\(uri): \(response.status)")
                }
            }
        }
        #expect(try await ConsoleTests.snapshot(world) == before)
        #expect(try await SubscriptionRouteTests.subscription(world, "reader@client.fr")?.productSlugs == ["loop"])
        #expect(try await world.subscriptionStore.subscription(userID: ops.user.id) == nil)
    }
}
