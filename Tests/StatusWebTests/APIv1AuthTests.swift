import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Portal
import StatusModel
import StatusWeb
import Testing

/// Every write route of `/api/v1` wants a live staff key: 401 without one, 403 with a
/// tenant's key, and nothing changes either way.
@Suite struct APIv1AuthTests {
    static let writes: [(HTTPRequest.Method, String, String)] = [
        (.post, "/api/v1/incidents", #"{"title":"T","products":["loop"],"impact":"major","message":"m"}"#),
        (.patch, "/api/v1/incidents/inc1", #"{"impact":"critical"}"#),
        (.post, "/api/v1/incidents/inc1/updates", #"{"status":"resolved","message":"m"}"#),
        (.post, "/api/v1/maintenance", #"{"title":"T","products":["loop"],"start":"2026-11-21T22:00:00+01:00","end":"2026-11-21T23:00:00+01:00"}"#),
        (.patch, "/api/v1/maintenance/w1", #"{"title":"Changed"}"#),
        (.delete, "/api/v1/maintenance/w1", ""),
        (.post, "/api/v1/products", #"{"slug":"new","name":"New"}"#),
        (.patch, "/api/v1/products/loop", #"{"name":"Renamed"}"#),
    ]

    /// The state a refused write must leave untouched.
    static func snapshot(_ world: APIWorld) async throws -> String {
        let incident = try await world.store.incident(id: "inc1")
        let window = try await world.store.maintenance(id: "w1")
        let products = try await world.store.products().map { "\($0.slug):\($0.name)" }
        let incidents = try await world.store.recentIncidents(limit: 50).count
        return "\(String(describing: incident))|\(String(describing: window))|\(products)|\(incidents)"
    }

    static func seed(_ world: APIWorld) async throws {
        let now = SiteFixture.now
        try await world.store.save(Incident(id: "inc1", title: "Loop down", impact: .major, productSlugs: ["loop"], startedAt: now,
                                            updates: [.init(status: .investigating, message: "m", at: now)]))
        try await world.store.save(Maintenance(id: "w1", title: "Upgrade", productSlugs: ["loop"], start: now.addingTimeInterval(86_400),
                                               end: now.addingTimeInterval(90_000)))
    }

    @Test(arguments: 0..<APIv1AuthTests.writes.count)
    func writesWithoutAKeyAre401WithATenantKey403(index: Int) async throws {
        let (method, uri, body) = Self.writes[index]
        let world = try await APIWorld()
        try await Self.seed(world)
        let before = try await Self.snapshot(world)
        try await world.test { client in
            let anonymous = try await world.call(client, method, uri, key: .none, body: body)
            #expect(anonymous.status == .unauthorized, "\(method) \(uri)")
            #expect(anonymous.errorCode == "unauthorized")
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            let tenant = try await world.call(client, method, uri, key: .tenant, body: body)
            #expect(tenant.status == .forbidden, "\(method) \(uri)")
            #expect(tenant.errorCode == "forbidden")
            let forged = try await world.call(client, method, uri, key: .other("Bearer sdstaff_forged"), body: body)
            #expect(forged.status == .unauthorized)
            let basic = try await world.call(client, method, uri, key: .other("Basic b3BzOnNlY3JldA=="), body: body)
            #expect(basic.status == .unauthorized)
        }
        #expect(try await Self.snapshot(world) == before)
    }

    @Test func aStaffKeyStopsWorkingWhenRevokedOrWhenItsOperatorLosesTheRole() async throws {
        let body = #"{"title":"T","products":["loop"],"impact":"minor"}"#
        let world = try await APIWorld()
        try await world.test { client in
            let answer = try await world.call(client, .post, "/api/v1/incidents", key: .staff, body: body)
            #expect(answer.status == .created)
        }
        try await world.base.database.writer.write { db in
            try db.execute(sql: "UPDATE user SET staffRole = NULL WHERE id = ?", arguments: [world.operatorUser.id])
        }
        try await world.test { client in
            let answer = try await world.call(client, .post, "/api/v1/incidents", key: .staff, body: body)
            #expect(answer.status == .unauthorized)
        }
        try await world.base.database.writer.write { db in
            try db.execute(sql: "UPDATE user SET staffRole = 'agent' WHERE id = ?", arguments: [world.operatorUser.id])
        }
        try await world.test { client in
            let answer = try await world.call(client, .post, "/api/v1/incidents", key: .staff, body: body)
            #expect(answer.status == .unauthorized, "agents are not operators")
        }
        try await world.base.database.writer.write { db in
            try db.execute(sql: "UPDATE user SET staffRole = 'operator' WHERE id = ?", arguments: [world.operatorUser.id])
        }
        let key = try #require(try await world.base.accounts.staffKeys().first)
        try await world.base.accounts.revokeStaffKey(id: key.id)
        try await world.test { client in
            let answer = try await world.call(client, .post, "/api/v1/incidents", key: .staff, body: body)
            #expect(answer.status == .unauthorized)
        }
        #expect(try await world.store.recentIncidents(limit: 10).count == 1)
    }

    @Test func aStaffKeyIsNotATenantKey() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            // A valid key without the right: 403, as a tenant key on a staff route.
            let staff = try await world.call(client, .get, "/api/v1/tenant", key: .staff)
            #expect(staff.status == .forbidden)
            let tenant = try await world.call(client, .get, "/api/v1/tenant", key: .tenant)
            #expect(tenant.status == .ok)
        }
    }
}
