import Foundation
import StatusModel
import Testing

/// What incidents and maintenance windows put on the products they name.
@Suite("Incidents and maintenance")
struct DomainTests {
    let start = Paris.at(2026, 11, 18, 10)
    let end = Paris.at(2026, 11, 18, 11)

    @Test("Impact decides the condition of the affected products", arguments: [
        (Incident.Impact.none, nil as Condition?), (.minor, .degraded), (.major, .outage), (.critical, .outage),
    ])
    func impactCondition(impact: Incident.Impact, expected: Condition?) {
        let incident = Incident(id: "INC1", title: "Slow logins", impact: impact, productSlugs: ["loop", "stream"], startedAt: start, resolvedAt: end)
        #expect(impact.condition == expected)
        if let expected {
            #expect(incident.episodes.map(\.productSlug) == ["loop", "stream"])
            #expect(incident.episodes.allSatisfy { $0.condition == expected && $0.cause == .incident && $0.source == "INC1" && $0.end == end })
        } else {
            #expect(incident.episodes.isEmpty)
        }
    }

    @Test("An unresolved incident's episodes stay open")
    func openIncident() {
        let incident = Incident(id: "INC2", title: "Down", impact: .major, productSlugs: ["loop"], startedAt: start)
        #expect(!incident.isResolved)
        #expect(incident.episodes.first?.end == nil)
    }

    @Test("A maintenance window is scheduled, in progress, then completed")
    func maintenanceStatus() {
        let window = Maintenance(id: "m1", title: "Upgrade", productSlugs: ["loop"], start: start, end: end)
        #expect(window.status(at: start.addingTimeInterval(-1)) == .scheduled)
        #expect(window.status(at: start) == .inProgress)
        #expect(window.status(at: end) == .completed)
        #expect(window.episodes == [Episode(productSlug: "loop", condition: .maintenance, cause: .maintenance, source: "m1", start: start, end: end)])
    }

    @Test("Conditions sort from operational to outage")
    func conditionOrder() {
        #expect(Condition.allCases.sorted() == [.operational, .maintenance, .degraded, .outage])
    }
}
