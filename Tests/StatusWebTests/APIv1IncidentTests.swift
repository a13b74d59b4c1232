import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusModel
import StatusWeb
import Testing

/// Operators declare, correct and update incidents through the API; what they write is what
/// readers see on the API, the v2 API and the pages; bad input is a 4xx naming the field.
@Suite struct APIv1IncidentTests {
    static let declare = #"{"title":"Loop is down","products":["loop"],"impact":"major","status":"identified","message":"Database failover"}"#

    @Test func aDeclaredIncidentTurnsTheProductToOutageEverywhere() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let created = try await world.call(client, .post, "/api/v1/incidents", key: .staff, body: Self.declare)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created["id"] as? String)
            #expect(created.headers[.location] == "/api/v1/incidents/\(id)")
            #expect(created["status"] as? String == "identified")
            #expect(created["origin"] as? String == "operator")
            #expect(created["products"] as? [String] == ["loop"])

            let fetched = try await world.call(client, .get, "/api/v1/incidents/\(id)")
            #expect(fetched["title"] as? String == "Loop is down")
            #expect((fetched["updates"] as? [[String: Any]])?.map { $0["message"] as? String } == ["Database failover"])

            let product = try await world.call(client, .get, "/api/v1/products/loop")
            #expect(product["condition"] as? String == "outage")
            let stream = try await world.call(client, .get, "/api/v1/products/stream")
            #expect(stream["condition"] as? String == "operational")

            let v2 = try await client.execute(uri: "/api/v2/components.json", method: .get)
            #expect(String(buffer: v2.body).contains("major_outage"))
            let page = try await client.execute(uri: "/products/loop?lang=en", method: .get)
            #expect(String(buffer: page.body).contains("Ongoing incident"), "the public page shows the outage")
        }
    }

    @Test func updatesFollowTheTimelineAndResolvedResolves() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let id = try #require(try await world.call(client, .post, "/api/v1/incidents", key: .staff, body: Self.declare)["id"] as? String)
            let monitoring = try await world.call(client, .post, "/api/v1/incidents/\(id)/updates", key: .staff,
                                                  body: #"{"status":"monitoring","message":"Fix deployed"}"#)
            #expect(monitoring.status == .created)
            #expect(monitoring["status"] as? String == "monitoring")
            #expect(monitoring["resolved_at"] is NSNull)
            let resolved = try await world.call(client, .post, "/api/v1/incidents/\(id)/updates", key: .staff,
                                                body: #"{"status":"resolved","message":"All good"}"#)
            #expect(resolved["status"] as? String == "resolved")
            #expect(resolved["resolved_at"] as? String != nil)
            #expect((resolved["updates"] as? [Any])?.count == 3)
            #expect(try await world.call(client, .get, "/api/v1/products/loop")["condition"] as? String == "operational")
        }
        let events = try await world.store.events(after: 0, limit: 10).map(\.kind)
        #expect(events == [.incidentCreated, .incidentUpdated, .incidentResolved], "subscribers hear of each step once")
    }

    @Test func patchCorrectsTitleImpactAndProducts() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let id = try #require(try await world.call(client, .post, "/api/v1/incidents", key: .staff, body: Self.declare)["id"] as? String)
            let patched = try await world.call(client, .patch, "/api/v1/incidents/\(id)", key: .staff,
                                               body: #"{"title":"Loop is slow","impact":"minor","products":["loop","stream","loop"]}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched["title"] as? String == "Loop is slow")
            #expect(patched["products"] as? [String] == ["loop", "stream"])
            #expect(try await world.call(client, .get, "/api/v1/products/stream")["condition"] as? String == "degraded")
            let unknown = try await world.call(client, .patch, "/api/v1/incidents/nope", key: .staff, body: #"{"title":"x"}"#)
            #expect(unknown.status == .notFound)
            let timeline = try await world.call(client, .patch, "/api/v1/incidents/\(id)", key: .staff, body: #"{"status":"resolved"}"#)
            #expect(timeline.status == .unprocessableContent)
            #expect(timeline.errorField == "status")
        }
    }

    static let longTitle = String(repeating: "t", count: 201)
    static let longMessage = String(repeating: "m", count: 10_001)
    static let badDeclarations: [(body: String, status: HTTPResponse.Status, code: String, field: String?)] = [
        ("not json", .badRequest, "malformed_json", nil),
        ("", .badRequest, "malformed_json", nil),
        (#"["loop"]"#, .badRequest, "malformed_json", nil),
        (#"{"title":5,"products":["loop"],"impact":"major"}"#, .badRequest, "invalid_type", "title"),
        (#"{"title":"T","products":"loop","impact":"major"}"#, .badRequest, "invalid_type", "products"),
        (#"{"products":["loop"],"impact":"major"}"#, .unprocessableContent, "missing_field", "title"),
        (#"{"title":"  ","products":["loop"],"impact":"major"}"#, .unprocessableContent, "missing_field", "title"),
        (#"{"title":"T","impact":"major"}"#, .unprocessableContent, "missing_field", "products"),
        (#"{"title":"T","products":[],"impact":"major"}"#, .unprocessableContent, "missing_field", "products"),
        (#"{"title":"T","products":["loop"]}"#, .unprocessableContent, "missing_field", "impact"),
        (#"{"title":"T","products":["loop","nope"],"impact":"major"}"#, .unprocessableContent, "unknown_product", "products"),
        (#"{"title":"T","products":["loop"],"impact":"huge"}"#, .unprocessableContent, "invalid_value", "impact"),
        (#"{"title":"T","products":["loop"],"impact":"major","status":"done"}"#, .unprocessableContent, "invalid_value", "status"),
        (#"{"title":"\#(longTitle)","products":["loop"],"impact":"major"}"#, .unprocessableContent, "too_long", "title"),
        (#"{"title":"T","products":["loop"],"impact":"major","message":"\#(longMessage)"}"#, .unprocessableContent, "too_long", "message"),
    ]

    @Test(arguments: 0..<APIv1IncidentTests.badDeclarations.count)
    func badDeclarationsAreRefusedByNameAndChangeNothing(index: Int) async throws {
        let bad = Self.badDeclarations[index]
        let world = try await APIWorld()
        try await world.test { client in
            let answer = try await world.call(client, .post, "/api/v1/incidents", key: .staff, body: bad.body)
            #expect(answer.status == bad.status, "\(bad.body.prefix(80)): \(answer.text)")
            #expect(answer.errorCode == bad.code)
            #expect(answer.errorField == bad.field)
        }
        #expect(try await world.store.recentIncidents(limit: 10).isEmpty)
    }

    @Test func anOversizedBodyOrAnUnknownRouteIsAJSON4xxNeverA500() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let huge = #"{"title":"T","products":["loop"],"impact":"major","message":"\#(String(repeating: "m", count: 300_000))"}"#
            let oversized = try await world.call(client, .post, "/api/v1/incidents", key: .staff, body: huge)
            #expect(oversized.status == .contentTooLarge)
            #expect(oversized.errorCode == "too_large")
            let unknown = try await world.call(client, .get, "/api/v1/nothing-here")
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType]?.hasPrefix("application/json") == true)
        }
        #expect(try await world.store.recentIncidents(limit: 10).isEmpty)
    }

    @Test func badUpdatesAreRefused() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let id = try #require(try await world.call(client, .post, "/api/v1/incidents", key: .staff, body: Self.declare)["id"] as? String)
            let missing = try await world.call(client, .post, "/api/v1/incidents/\(id)/updates", key: .staff, body: #"{"message":"m"}"#)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.errorField == "status")
            let unknown = try await world.call(client, .post, "/api/v1/incidents/\(id)/updates", key: .staff, body: #"{"status":"fixed"}"#)
            #expect(unknown.errorCode == "invalid_value")
            let long = try await world.call(client, .post, "/api/v1/incidents/\(id)/updates", key: .staff,
                                            body: #"{"status":"monitoring","message":"\#(Self.longMessage)"}"#)
            #expect(long.errorCode == "too_long")
            let nobody = try await world.call(client, .post, "/api/v1/incidents/nope/updates", key: .staff, body: #"{"status":"resolved"}"#)
            #expect(nobody.status == .notFound)
            #expect((try await world.call(client, .get, "/api/v1/incidents/\(id)")["updates"] as? [Any])?.count == 1)
        }
    }
}
