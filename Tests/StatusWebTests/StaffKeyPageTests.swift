import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Portal
import StatusModel
import StatusWeb
import Testing

/// `/staff/api-keys`: operators create a key (shown once) that works on the API, list and
/// revoke keys; anyone else gets 403 or the login page, and a form without its token changes nothing.
@Suite struct StaffKeyPageTests {
    @Test func anOperatorCreatesAKeyThatWorksThenRevokesIt() async throws {
        let world = try await APIWorld()
        let secret = SendableBox()
        try await world.test { client in
            var cookie = HTTPFields()
            cookie[.cookie] = "sid=\(world.operatorSession)"
            let page = try await client.execute(uri: "/staff/api-keys?lang=en", method: .get, headers: cookie)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("Staff API keys"))
            #expect(String(buffer: page.body).contains("deploy bot"), "the fixture's key is listed")

            let (headers, body) = TenantIsolationTests.form(world.operatorSession, "csrf=\(world.operatorCSRF)&keyName=Release+pipeline")
            let created = try await client.execute(uri: "/staff/api-keys", method: .post, headers: headers, body: body)
            #expect(created.status == .ok)
            let html = String(buffer: created.body)
            let shown = try #require(html.range(of: #"<code id="new-key">sdstaff_[A-Za-z0-9_-]+</code>"#, options: .regularExpression))
            let key = String(html[shown].dropFirst(#"<code id="new-key">"#.count).dropLast("</code>".count))
            secret.set(key)
            #expect(html.contains("Release pipeline"))
            #expect(html.contains("<code>\(key.prefix(14))…</code>"), "listed by its prefix")
            let again = try await client.execute(uri: "/staff/api-keys", method: .get, headers: cookie)
            #expect(!String(buffer: again.body).contains(key), "shown once")

            var bearer = world.headers(.other("Bearer \(key)"))
            bearer[.contentType] = "application/json"
            let declared = try await client.execute(uri: "/api/v1/incidents", method: .post, headers: bearer,
                                                    body: ByteBuffer(string: #"{"title":"T","products":["loop"],"impact":"minor"}"#))
            #expect(declared.status == .created)
        }
        let stored = try #require(try await world.base.accounts.staffKeys().first { $0.name == "Release pipeline" })
        #expect(stored.userEmail == "ops@vendor.fr")
        #expect(stored.revokedAt == nil)
        try await world.test { client in
            let (headers, body) = TenantIsolationTests.form(world.operatorSession, "csrf=\(world.operatorCSRF)")
            let revoked = try await client.execute(uri: "/staff/api-keys/\(stored.id)/revoke?lang=fr", method: .post, headers: headers, body: body)
            #expect(revoked.status == .ok)
            #expect(String(buffer: revoked.body).contains("La clé du personnel a été révoquée."))
            let twice = try await client.execute(uri: "/staff/api-keys/\(stored.id)/revoke", method: .post, headers: headers, body: body)
            #expect(twice.status == .notFound)
            let refused = try await client.execute(uri: "/api/v1/incidents", method: .post, headers: world.headers(.other("Bearer \(secret.value)")),
                                                   body: ByteBuffer(string: #"{"title":"T","products":["loop"],"impact":"minor"}"#))
            #expect(refused.status == .unauthorized)
        }
        #expect(try await world.base.accounts.staffKeys().first { $0.id == stored.id }?.revokedAt != nil)
    }

    @Test func othersCannotCreateOrRevokeAndAFormWithoutItsTokenChangesNothing() async throws {
        let world = try await APIWorld()
        let before = try await world.base.accounts.staffKeys()
        try await world.test { client in
            let (adminHeaders, adminBody) = TenantIsolationTests.form(world.base.adminA.session, "csrf=\(world.base.adminA.csrf)&keyName=mine")
            #expect(try await client.execute(uri: "/staff/api-keys", method: .post, headers: adminHeaders, body: adminBody).status == .forbidden)
            #expect(try await client.execute(uri: "/staff/api-keys", method: .get, headers: adminHeaders).status == .forbidden)
            let anonymous = try await client.execute(uri: "/staff/api-keys", method: .get)
            #expect(anonymous.status == .seeOther, "to the login page")
            let (forged, forgedBody) = TenantIsolationTests.form(world.operatorSession, "csrf=wrong&keyName=forged")
            #expect(try await client.execute(uri: "/staff/api-keys", method: .post, headers: forged, body: forgedBody).status == .forbidden)
            let (revokeForged, revokeBody) = TenantIsolationTests.form(world.operatorSession, "csrf=wrong")
            #expect(try await client.execute(uri: "/staff/api-keys/\(before[0].id)/revoke", method: .post, headers: revokeForged, body: revokeBody).status == .forbidden)
            let (empty, emptyBody) = TenantIsolationTests.form(world.operatorSession, "csrf=\(world.operatorCSRF)&keyName=+")
            let refused = try await client.execute(uri: "/staff/api-keys?lang=en", method: .post, headers: empty, body: emptyBody)
            #expect(refused.status == .unprocessableContent)
        }
        #expect(try await world.base.accounts.staffKeys() == before)
    }
}
