import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusModel
import StatusWeb
import Testing

/// Every `/api/v2` answer, field by field, against the shape Atlassian documents for
/// Statuspage, on a page with an active incident, an upcoming and an active maintenance.
@Suite struct StatuspageAPITests {
    enum Kind { case string, int, bool, null, stringOrNull, array, object }

    static let pageFields: [String: Kind] = ["id": .string, "name": .string, "url": .string, "time_zone": .string, "updated_at": .string]
    static let componentFields: [String: Kind] = [
        "id": .string, "name": .string, "status": .string, "created_at": .string, "updated_at": .string, "position": .int,
        "description": .stringOrNull, "showcase": .bool, "start_date": .stringOrNull, "group_id": .stringOrNull, "page_id": .string,
        "group": .bool, "only_show_if_degraded": .bool,
    ]
    static let incidentFields: [String: Kind] = [
        "id": .string, "name": .string, "status": .string, "created_at": .string, "updated_at": .string, "monitoring_at": .stringOrNull,
        "resolved_at": .stringOrNull, "impact": .string, "shortlink": .string, "started_at": .string, "page_id": .string,
        "incident_updates": .array, "components": .array,
    ]
    static let updateFields: [String: Kind] = [
        "id": .string, "status": .string, "body": .string, "incident_id": .string, "created_at": .string, "updated_at": .string,
        "display_at": .string, "affected_components": .null, "deliver_notifications": .bool, "custom_tweet": .null, "tweet_id": .null,
    ]
    static var maintenanceFields: [String: Kind] {
        incidentFields.merging(["scheduled_for": .string, "scheduled_until": .string]) { $1 }
    }

    /// A JSON value that keeps booleans, numbers, strings and null apart, to check types exactly.
    indirect enum JSON: Decodable {
        case null, bool(Bool), number(Double), string(String), array([JSON]), object([String: JSON])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode([JSON].self) { self = .array(value) }
            else { self = .object(try container.decode([String: JSON].self)) }
        }
    }

    static func check(_ raw: Any?, _ fields: [String: Kind], _ path: String) {
        guard let data = try? JSONSerialization.data(withJSONObject: raw ?? [:]),
              case .object(let object) = try? JSONDecoder().decode(JSON.self, from: data) else {
            Issue.record("\(path) is not an object"); return
        }
        #expect(Set(object.keys) == Set(fields.keys), "\(path) keys")
        for (key, kind) in fields {
            let value = object[key]
            let ok: Bool = switch (kind, value) {
            case (.string, .string?), (.bool, .bool?), (.null, .null?), (.stringOrNull, .string?), (.stringOrNull, .null?),
                 (.array, .array?), (.object, .object?): true
            case (.int, .number(let number)?): number == number.rounded()
            default: false
            }
            #expect(ok, "\(path).\(key) should be \(kind), is \(String(describing: value))")
        }
    }

    func world() async throws -> SiteFixture {
        let fixture = try await SiteFixture()
        try await fixture.observeEveryDay()
        let now = SiteFixture.now
        try await fixture.store.save(Incident(id: "inc-1", title: "Connexions refusées", impact: .major, productSlugs: ["loop"],
                                              startedAt: now.addingTimeInterval(-1800),
                                              updates: [.init(status: .investigating, message: "Nous regardons.", at: now.addingTimeInterval(-1800)),
                                                        .init(status: .identified, message: "Cause trouvée.", at: now.addingTimeInterval(-600))]))
        try await fixture.store.save(Incident(id: "inc-0", title: "Lenteurs", impact: .minor, productSlugs: ["stream"],
                                              startedAt: now.addingTimeInterval(-86_400), resolvedAt: now.addingTimeInterval(-80_000),
                                              updates: [.init(status: .resolved, message: "Fini.", at: now.addingTimeInterval(-80_000))]))
        try await fixture.store.save(Maintenance(id: "mnt-active", title: "Mise à jour", message: "En cours.", productSlugs: ["stream"],
                                                 start: now.addingTimeInterval(-600), end: now.addingTimeInterval(3000)))
        try await fixture.store.save(Maintenance(id: "mnt-next", title: "Migration", message: "Prévue.", productSlugs: ["xrp"],
                                                 start: now.addingTimeInterval(86_400), end: now.addingTimeInterval(90_000)))
        return fixture
    }

    func get(_ fixture: SiteFixture, _ path: String) async throws -> [String: Any] {
        let box = ResultBox()
        try await fixture.test { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                box.value = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any] ?? [:]
            }
        }
        return box.value
    }

    final class ResultBox: @unchecked Sendable { var value: [String: Any] = [:] }

    @Test func summaryHasPageStatusComponentsIncidentsAndMaintenances() async throws {
        let fixture = try await world()
        let summary = try await get(fixture, "/api/v2/summary.json")
        #expect(Set(summary.keys) == ["page", "status", "components", "incidents", "scheduled_maintenances"])
        Self.check(summary["page"], Self.pageFields, "page")
        let status = try #require(summary["status"] as? [String: Any])
        #expect(Set(status.keys) == ["indicator", "description"])
        #expect(status["indicator"] as? String == "major")
        let components = try #require(summary["components"] as? [[String: Any]])
        #expect(components.map { $0["id"] as? String } == ["loop", "stream", "xrp"], "public products only, in order")
        for component in components { Self.check(component, Self.componentFields, "component") }
        #expect(components.map { $0["status"] as? String } == ["major_outage", "under_maintenance", "operational"])
        let incidents = try #require(summary["incidents"] as? [[String: Any]])
        #expect(incidents.map { $0["id"] as? String } == ["inc-1"], "unresolved only")
        Self.check(incidents[0], Self.incidentFields, "incident")
        #expect(incidents[0]["status"] as? String == "identified")
        #expect(incidents[0]["impact"] as? String == "major")
        let updates = try #require(incidents[0]["incident_updates"] as? [[String: Any]])
        #expect(updates.map { $0["body"] as? String } == ["Cause trouvée.", "Nous regardons."], "newest first")
        for update in updates { Self.check(update, Self.updateFields, "incident_update") }
        for component in try #require(incidents[0]["components"] as? [[String: Any]]) { Self.check(component, Self.componentFields, "incident.component") }
        let maintenances = try #require(summary["scheduled_maintenances"] as? [[String: Any]])
        #expect(Set(maintenances.compactMap { $0["id"] as? String }) == ["mnt-active", "mnt-next"])
        for maintenance in maintenances { Self.check(maintenance, Self.maintenanceFields, "scheduled_maintenance") }
    }

    @Test func eachEndpointAnswersItsPart() async throws {
        let fixture = try await world()
        let status = try await get(fixture, "/api/v2/status.json")
        #expect(Set(status.keys) == ["page", "status"])
        let components = try await get(fixture, "/api/v2/components.json")
        #expect(Set(components.keys) == ["page", "components"])
        let incidents = try await get(fixture, "/api/v2/incidents.json")
        #expect((incidents["incidents"] as? [[String: Any]])?.map { $0["id"] as? String } == ["inc-1", "inc-0"])
        let resolved = (incidents["incidents"] as? [[String: Any]])?.last
        #expect(resolved?["status"] as? String == "resolved")
        #expect(resolved?["resolved_at"] is String)
        let unresolved = try await get(fixture, "/api/v2/incidents/unresolved.json")
        #expect((unresolved["incidents"] as? [[String: Any]])?.map { $0["id"] as? String } == ["inc-1"])
        let upcoming = try await get(fixture, "/api/v2/scheduled-maintenances/upcoming.json")
        let next = try #require((upcoming["scheduled_maintenances"] as? [[String: Any]])?.first)
        #expect((upcoming["scheduled_maintenances"] as? [Any])?.count == 1)
        #expect(next["id"] as? String == "mnt-next")
        #expect(next["status"] as? String == "scheduled")
        #expect(next["impact"] as? String == "maintenance")
        let active = try await get(fixture, "/api/v2/scheduled-maintenances/active.json")
        #expect((active["scheduled_maintenances"] as? [[String: Any]])?.map { $0["status"] as? String } == ["in_progress"])
        let all = try await get(fixture, "/api/v2/scheduled-maintenances.json")
        #expect((all["scheduled_maintenances"] as? [Any])?.count == 2)
    }

    @Test func allOperationalSaysSo() async throws {
        let fixture = try await SiteFixture()
        let status = try await get(fixture, "/api/v2/status.json")["status"] as? [String: Any]
        #expect(status?["indicator"] as? String == "none")
        #expect(status?["description"] as? String == "All Systems Operational")
    }
}
