import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusModel
import StatusWeb
import Testing

/// Operators schedule, move and cancel maintenance windows through the API.
@Suite struct APIv1MaintenanceTests {
    // SiteFixture.now is 2026-11-20 12:00 in Paris (11:00Z).
    static let current = #"{"title":"Database upgrade","message":"Read-only","products":["loop"],"start":"2026-11-20T10:00:00Z","end":"2026-11-20T14:00:00+01:00","repeats_weekly":true}"#

    @Test func aWindowInProgressPutsTheProductInMaintenanceUntilCancelled() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let created = try await world.call(client, .post, "/api/v1/maintenance", key: .staff, body: Self.current)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created["id"] as? String)
            #expect(created.headers[.location] == "/api/v1/maintenance/\(id)")
            #expect(created["status"] as? String == "in_progress")
            #expect(created["repeats_weekly"] as? Bool == true)
            #expect(created["start"] as? String == "2026-11-20T11:00:00+01:00", "written back in the deployment's time zone")
            #expect(try await world.call(client, .get, "/api/v1/products/loop")["condition"] as? String == "maintenance")

            let moved = try await world.call(client, .patch, "/api/v1/maintenance/\(id)", key: .staff,
                                             body: #"{"start":"2026-11-21T22:00:00+01:00","end":"2026-11-21T23:30:00.000+01:00","repeats_weekly":false}"#)
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(moved["status"] as? String == "scheduled")
            #expect(moved["title"] as? String == "Database upgrade", "fields left out keep their value")
            #expect(try await world.call(client, .get, "/api/v1/products/loop")["condition"] as? String == "operational")

            let listed = try await world.call(client, .get, "/api/v1/maintenance")
            #expect((listed["maintenance"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])

            #expect(try await world.call(client, .delete, "/api/v1/maintenance/\(id)", key: .staff).status == .noContent)
            #expect(try await world.call(client, .get, "/api/v1/maintenance/\(id)").status == .notFound)
            #expect(try await world.call(client, .delete, "/api/v1/maintenance/\(id)", key: .staff).status == .notFound)
        }
    }

    static let badWindows: [(body: String, status: HTTPResponse.Status, code: String, field: String?)] = [
        ("{", .badRequest, "malformed_json", nil),
        (#"{"title":"T","products":["loop"],"start":"2026-11-21T22:00:00Z"}"#, .unprocessableContent, "missing_field", "end"),
        (#"{"title":"T","products":["loop"],"end":"2026-11-21T22:00:00Z"}"#, .unprocessableContent, "missing_field", "start"),
        (#"{"title":"T","products":["loop"],"start":"2026-11-21T22:00:00","end":"2026-11-21T23:00:00Z"}"#, .unprocessableContent, "invalid_value", "start"),
        (#"{"title":"T","products":["loop"],"start":"tomorrow","end":"2026-11-21T23:00:00Z"}"#, .unprocessableContent, "invalid_value", "start"),
        (#"{"title":"T","products":["loop"],"start":"2026-11-21T23:00:00Z","end":"2026-11-21T22:00:00Z"}"#, .unprocessableContent, "end_before_start", "end"),
        (#"{"title":"T","products":["loop"],"start":"2026-11-21T23:00:00Z","end":"2026-11-21T23:00:00Z"}"#, .unprocessableContent, "end_before_start", "end"),
        (#"{"title":"T","products":["gone"],"start":"2026-11-21T22:00:00Z","end":"2026-11-21T23:00:00Z"}"#, .unprocessableContent, "unknown_product", "products"),
        (#"{"title":"T","products":["loop"],"start":"2026-11-21T22:00:00Z","end":"2026-11-21T23:00:00Z","repeats_weekly":"yes"}"#, .badRequest, "invalid_type", "repeats_weekly"),
        (#"{"title":"\#(APIv1IncidentTests.longTitle)","products":["loop"],"start":"2026-11-21T22:00:00Z","end":"2026-11-21T23:00:00Z"}"#, .unprocessableContent, "too_long", "title"),
        (#"{"title":"T","message":"\#(APIv1IncidentTests.longMessage)","products":["loop"],"start":"2026-11-21T22:00:00Z","end":"2026-11-21T23:00:00Z"}"#, .unprocessableContent, "too_long", "message"),
    ]

    @Test(arguments: 0..<APIv1MaintenanceTests.badWindows.count)
    func badWindowsAreRefusedByNameAndChangeNothing(index: Int) async throws {
        let bad = Self.badWindows[index]
        let world = try await APIWorld()
        try await world.test { client in
            let answer = try await world.call(client, .post, "/api/v1/maintenance", key: .staff, body: bad.body)
            #expect(answer.status == bad.status, "\(bad.body.prefix(90)): \(answer.text)")
            #expect(answer.errorCode == bad.code)
            #expect(answer.errorField == bad.field)
        }
        #expect(try await world.store.maintenances(overlapping: DateInterval(start: .distantPast, end: .distantFuture)).isEmpty)
    }

    @Test func aPatchThatWouldEndBeforeTheStartIsRefused() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let id = try #require(try await world.call(client, .post, "/api/v1/maintenance", key: .staff, body: Self.current)["id"] as? String)
            let answer = try await world.call(client, .patch, "/api/v1/maintenance/\(id)", key: .staff, body: #"{"end":"2026-11-20T09:00:00Z"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.errorCode == "end_before_start")
            #expect(try await world.call(client, .patch, "/api/v1/maintenance/nope", key: .staff, body: "{}").status == .notFound)
            #expect(try await world.call(client, .get, "/api/v1/maintenance/\(id)")["end"] as? String == "2026-11-20T14:00:00+01:00")
        }
    }
}

/// Console products through the API; products of the config file are refused with 409.
@Suite struct APIv1ProductWriteTests {
    @Test func operatorsCreateAndChangeConsoleProducts() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let created = try await world.call(client, .post, "/api/v1/products", key: .staff, body: #"{"slug":"cegid-notes","name":"Cegid Notes","family":"Gestion"}"#)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.location] == "/api/v1/products/cegid-notes")
            #expect(created["origin"] as? String == "console")
            #expect(created["position"] as? Int == 5, "after the last product by default")
            let listed = try await world.call(client, .get, "/api/v1/products")
            #expect((listed["products"] as? [[String: Any]])?.map { $0["slug"] as? String } == ["loop", "stream", "cegid-notes"])

            let renamed = try await world.call(client, .patch, "/api/v1/products/cegid-notes", key: .staff, body: #"{"name":"Cegid Notes 2","visibility":"hidden"}"#)
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(renamed["name"] as? String == "Cegid Notes 2")
            #expect(try await world.call(client, .get, "/api/v1/products/cegid-notes").status == .notFound, "hidden now")

            let again = try await world.call(client, .post, "/api/v1/products", key: .staff, body: #"{"slug":"cegid-notes","name":"Other"}"#)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "slug_taken")
        }
    }

    @Test(arguments: [(HTTPRequest.Method.patch, "/api/v1/products/loop", #"{"name":"Renamed"}"#),
                      (.post, "/api/v1/products", #"{"slug":"loop","name":"Renamed"}"#)])
    func configProductsAre409SayingWhere(method: HTTPRequest.Method, uri: String, body: String) async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let answer = try await world.call(client, method, uri, key: .staff, body: body)
            #expect(answer.status == .conflict)
            #expect(answer.errorCode == "not_editable")
            #expect((answer.error["message"] as? String)?.contains("config file") == true)
        }
        #expect(try await world.store.product(slug: "loop")?.name == "Cegid Loop")
    }

    @Test(arguments: [
        (#"{"name":"No slug"}"#, HTTPResponse.Status.unprocessableContent, "missing_field", "slug"),
        (#"{"slug":"no-name"}"#, .unprocessableContent, "missing_field", "name"),
        (#"{"slug":"Bad Slug","name":"N"}"#, .unprocessableContent, "invalid_value", "slug"),
        (#"{"slug":"ok","name":"N","visibility":"secret"}"#, .unprocessableContent, "invalid_value", "visibility"),
        (#"{"slug":"ok","name":"N","position":1.5}"#, .badRequest, "invalid_type", "position"),
        (#"{"slug":"ok","name":"\#(APIv1IncidentTests.longTitle)"}"#, .unprocessableContent, "too_long", "name"),
    ])
    func badProductsAreRefusedByName(body: String, status: HTTPResponse.Status, code: String, field: String) async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let answer = try await world.call(client, .post, "/api/v1/products", key: .staff, body: body)
            #expect(answer.status == status, "\(body.prefix(60)): \(answer.text)")
            #expect(answer.errorCode == code)
            #expect(answer.errorField == field)
            #expect(try await world.call(client, .patch, "/api/v1/products/nope", key: .staff, body: "{}").status == .notFound)
        }
        #expect(try await world.store.products().count == 3)
    }
}
