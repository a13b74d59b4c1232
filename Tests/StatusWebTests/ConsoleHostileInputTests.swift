import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Notify
import StatusModel
import Testing

/// Odd bodies on the console's and the subscriptions' forms: an answer a person can read, never a 500.
@Suite struct ConsoleHostileInputTests {
    static let bodies = [
        "", "&&&", "=", "==&=", "title", "%", "%ZZ=%ZZ", "title=%FF%FE&products%5B%5D=%00&impact=%&status=&message=%E2%82",
        "title=a%0Ab&products%5B%5D=loop&products%5B%5D=loop&impact=major&status=investigating&message=%3Cscript%3E",
        "title=T&products%5B%5D=loop&start=0001-01-01T00%3A00&end=0001-01-01T00%3A01",
        "title=T&products%5B%5D=loop&start=2026-03-29T02%3A30&end=2026-03-29T03%3A30",
        "title=T&products%5B%5D=loop&start=2026-11-25T22%3A00%3A99&end=2026-11-25T23%3A00%3A00",
        "title=T&products%5B%5D=loop&start=99999-11-25T22%3A00&end=99999-11-26T22%3A00",
        "name=N&slug=ok&position=99999999999999999999999&visibility=nope&family=" + String(repeating: "f", count: 5000),
        "scope=chosen&products%5B%5D=&email=%40",
        // The checkboxes as a hand-written client might send them: plain names, mixed with bracketed ones, nested.
        "title=T&products=loop&products%5B%5D=stream&products=xrp", "products%5B%5D%5B%5D=loop&products%5Bx%5D=y&scope%5B%5D=chosen",
    ]

    @Test(arguments: bodies.indices)
    func oddFormsNeverAnswer500(index: Int) async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        let follower = try await world.follower("reader@client.fr", language: "en", products: [])
        let token = try await world.subscriptions.manageToken(for: follower.id)
        try await world.test { client in
            for uri in ["/staff/incidents", "/staff/maintenance", "/staff/products", "/subscribe", "/subscriptions/\(token)",
                        "/subscriptions/confirm/x", "/account/subscriptions"] {
                for prefix in ["csrf=\(ops.csrf)&", ""] {
                    let (headers, body) = formRequest(session: ops.session, cookies: ["csrf=\(ops.csrf)"], prefix + Self.bodies[index])
                    try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
                        #expect(response.status.code < 500, "\(uri) \(prefix)\(Self.bodies[index].prefix(80))")
                    }
                }
            }
        }
    }

    @Test func aCenturyLongWindowIsRefusedNextToItsEnd() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.test { client in
            // A mistyped year would make a century of maintenance days: refused, the input kept.
            let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&title=T&products%5B%5D=loop&start=2026-11-25T22%3A00&end=2126-11-25T22%3A00")
            try await client.execute(uri: "/staff/maintenance", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let page = String(buffer: response.body)
                #expect(page.contains("31 jours au plus") || page.contains("31 days at most"))
                #expect(page.contains("2126-11-25T22:00"))
            }
        }
        #expect(try await world.store.maintenances(overlapping: DateInterval(start: .distantPast, end: .distantFuture)).isEmpty)
    }

    @Test func aHugeFormIsRefusedWithoutA500() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.test { client in
            for uri in ["/staff/incidents", "/staff/maintenance", "/subscribe", "/subscriptions/confirm/x"] {
                let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&message=" + String(repeating: "x", count: 200_000))
                try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .contentTooLarge, "\(uri)")
                }
            }
        }
    }
}

extension ConsoleHostileInputTests {
    @Test func aHugePortalFormIsRefusedWithoutA500() async throws {
        let world = try await PortalSiteFixture()
        let ops = world.operatorLogin
        try await world.test { client in
            for uri in ["/login", "/password/forgot", "/staff/tenants", "/staff/api-keys"] {
                let (headers, body) = formRequest(session: ops.session, "csrf=\(ops.csrf)&email=" + String(repeating: "x", count: 200_000))
                try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .contentTooLarge, "\(uri)")
                }
            }
        }
    }
}
