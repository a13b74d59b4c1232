import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusModel
import StatusWeb
import Testing

/// The public reads of `/api/v1`: public products only, days in range, bad query parameters
/// answered with a JSON 400 that names the parameter.
@Suite struct APIv1ReadTests {
    @Test func productsListsPublicProductsWithTheirConditionInSnakeCase() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let answer = try await world.call(client, .get, "/api/v1/products?lang=en")
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true)
            let products = try #require(answer["products"] as? [[String: Any]])
            #expect(products.map { $0["slug"] as? String } == ["loop", "stream"], "the hidden product is left out")
            let loop = try #require(products.first)
            #expect(loop["name"] as? String == "Cegid Loop")
            #expect(loop["family"] as? String == "Finance")
            #expect(loop["position"] as? Int == 1)
            #expect(loop["condition"] as? String == "operational")
            #expect(loop["condition_words"] as? String == "No system reports a problem")
            #expect(loop["origin"] as? String == "config")
        }
    }

    @Test func oneProductAndItsDays() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let product = try await world.call(client, .get, "/api/v1/products/loop")
            #expect(product.status == .ok)
            #expect(product["slug"] as? String == "loop")
            #expect(product["uptime_days"] as? Int == 25)
            let days = try await world.call(client, .get, "/api/v1/products/loop/days?days=3&lang=en")
            #expect(days.status == .ok)
            let list = try #require(days["days"] as? [[String: Any]])
            #expect(list.map { $0["day"] as? String } == ["2026-11-18", "2026-11-19", "2026-11-20"], "oldest first, ending today")
            #expect(list.allSatisfy { DayStateNames.all.contains($0["state"] as? String ?? "") })
            #expect(list.allSatisfy { ($0["words"] as? String)?.isEmpty == false })
            let fallback = try await world.call(client, .get, "/api/v1/products/loop/days")
            #expect((fallback["days"] as? [Any])?.count == 25, "the site's history length by default")
        }
    }

    @Test func daysOfEveryPublicProduct() async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let answer = try await world.call(client, .get, "/api/v1/days?days=90")
            #expect(answer.status == .ok)
            #expect((answer["days"] as? [String])?.count == 90)
            let products = try #require(answer["products"] as? [[String: Any]])
            #expect(products.map { $0["slug"] as? String } == ["loop", "stream"])
            #expect(products.allSatisfy { ($0["days"] as? [Any])?.count == 90 })
        }
    }

    @Test(arguments: ["/api/v1/days?days=0", "/api/v1/days?days=91", "/api/v1/days?days=ten", "/api/v1/days?days=-3",
                      "/api/v1/products/loop/days?days=500", "/api/v1/incidents?limit=0", "/api/v1/incidents?limit=x",
                      "/api/v1/maintenance?from=yesterday", "/api/v1/maintenance?from=2026-11-20T10:00:00",
                      "/api/v1/maintenance?from=2026-11-20T00:00:00Z&to=2026-11-19T00:00:00Z"])
    func badQueryParametersAre400NamingTheParameter(uri: String) async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let answer = try await world.call(client, .get, uri)
            #expect(answer.status == .badRequest, "\(uri): \(answer.text)")
            #expect(answer.errorCode != nil)
            #expect(answer.errorField != nil)
            #expect((answer.error["message"] as? String)?.isEmpty == false)
        }
    }

    @Test(arguments: ["/api/v1/products/secret", "/api/v1/products/nope", "/api/v1/products/secret/days", "/api/v1/incidents/nope",
                      "/api/v1/maintenance/nope"])
    func hiddenOrUnknownThingsAre404InJSON(uri: String) async throws {
        let world = try await APIWorld()
        try await world.test { client in
            let answer = try await world.call(client, .get, uri)
            #expect(answer.status == .notFound)
            #expect(answer.errorCode == "not_found")
        }
    }

    @Test func incidentsAndWindowsOfHiddenProductsOnlyStayHidden() async throws {
        let world = try await APIWorld()
        let now = SiteFixture.now
        try await world.store.save(Incident(id: "hidden1", title: "Beta down", impact: .major, productSlugs: ["secret"], startedAt: now,
                                            updates: [.init(status: .investigating, message: "m", at: now)]))
        try await world.store.save(Incident(id: "mixed1", title: "Loop slow", impact: .minor, productSlugs: ["loop", "secret"], startedAt: now,
                                            updates: [.init(status: .identified, message: "cause found", at: now)]))
        try await world.store.save(Maintenance(id: "w-hidden", title: "Beta upgrade", productSlugs: ["secret"], start: now, end: now.addingTimeInterval(3600)))
        try await world.store.save(Maintenance(id: "w-loop", title: "Loop upgrade", message: "Short", productSlugs: ["loop"],
                                               start: now.addingTimeInterval(86_400), end: now.addingTimeInterval(90_000), repeatsWeekly: true))
        try await world.test { client in
            let list = try await world.call(client, .get, "/api/v1/incidents")
            let incidents = try #require(list["incidents"] as? [[String: Any]])
            #expect(incidents.map { $0["id"] as? String } == ["mixed1"])
            #expect(incidents.first?["products"] as? [String] == ["loop"], "hidden products are not named")
            #expect(incidents.first?["resolved_at"] is NSNull, "resolved_at is present and null while open")
            #expect((incidents.first?["started_at"] as? String)?.hasSuffix("+01:00") == true, "dates carry their offset")
            #expect(try await world.call(client, .get, "/api/v1/incidents/hidden1").status == .notFound)
            let one = try await world.call(client, .get, "/api/v1/incidents/mixed1")
            #expect(one["status"] as? String == "identified")
            #expect((one["updates"] as? [[String: Any]])?.first?["message"] as? String == "cause found")

            let windows = try await world.call(client, .get, "/api/v1/maintenance?from=2026-11-19T00:00:00Z&to=2026-11-30T00:00:00%2B01:00")
            #expect(windows.status == .ok, "\(windows.text)")
            let shown = try #require(windows["maintenance"] as? [[String: Any]])
            #expect(shown.map { $0["id"] as? String } == ["w-loop"])
            #expect(shown.first?["repeats_weekly"] as? Bool == true)
            #expect(shown.first?["status"] as? String == "scheduled")
            #expect(try await world.call(client, .get, "/api/v1/maintenance/w-hidden").status == .notFound)
            #expect(try await world.call(client, .get, "/api/v1/maintenance/w-loop")["title"] as? String == "Loop upgrade")
        }
    }
}

/// The day state names the API may answer.
enum DayStateNames {
    static let all: Set<String> = ["ok", "maintenance", "degraded", "incident", "multiple", "no_data"]
}
