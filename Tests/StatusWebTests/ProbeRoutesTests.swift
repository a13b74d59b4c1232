import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusModel
import StatusWeb
import Testing

@Suite struct ProbeRoutesTests {
    @Test func heartbeatIsRecordedForItsCheck() async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/push/tok-0123456789abcdef", method: .post) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"ok":true}"#)
            }
        }
        #expect(try await fixture.store.lastHeartbeat(checkID: "loop/heartbeat") == SiteFixture.now)
    }

    @Test func unknownTokenAndUnknownAPIRoutesAnswerJSON404() async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            for uri in ["/api/v1/push/wrong", "/api/v1/nothing"] {
                try await client.execute(uri: uri, method: .post) { response in
                    #expect(response.status == .notFound)
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                    #expect(String(buffer: response.body).contains(#""error""#))
                }
            }
            // A heartbeat changes state: never over GET.
            try await client.execute(uri: "/api/v1/push/tok-0123456789abcdef", method: .get) { response in
                #expect(response.status.code >= 400 && response.status.code < 500)
            }
        }
        #expect(try await fixture.store.lastHeartbeat(checkID: "loop/heartbeat") == nil)
    }

    @Test func responseTimeChartDrawsP50AndP95() async throws {
        let fixture = try await SiteFixture()
        let results = (0..<20).map { index in
            CheckResult(checkID: "loop/http", productSlug: "loop", time: SiteFixture.now.addingTimeInterval(Double(-index) * 600),
                        outcome: .up, durationMilliseconds: Double(100 + index * 10))
        }
        try await fixture.store.record(results)
        try await fixture.test { client in
            try await client.execute(uri: "/products/loop/response-times.svg?lang=en", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/svg+xml")
                let svg = String(buffer: response.body)
                #expect(svg.hasPrefix("<svg"))
                #expect(svg.contains("<title>Response times, last 24 hours · Cegid Loop</title>"))
                #expect(svg.occurrences(of: "<path ") == 2, "one line for p50, one for p95")
                #expect(svg.contains("stroke-dasharray"), "p95 is dashed, not told by colour alone")
            }
            try await client.execute(uri: "/products/secret/response-times.svg", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/products/stream/response-times.svg?range=days&lang=fr", method: .get) { response in
                #expect(String(buffer: response.body).contains("Pas encore de mesure"))
            }
        }
    }

    @Test func aChartWithOneHourOfDataDrawsItsPointsWithAxesAndSaysItsRange() async throws {
        let fixture = try await SiteFixture()
        try await fixture.store.record([CheckResult(checkID: "loop/http", productSlug: "loop", time: SiteFixture.now.addingTimeInterval(-600),
                                                    outcome: .up, durationMilliseconds: 180)])
        try await fixture.test { client in
            let day = try await client.execute(uri: "/products/loop/response-times.svg?lang=en", method: .get) { String(buffer: $0.body) }
            // One dot per line for the one hour, plus the legend's two.
            #expect(day.occurrences(of: "<circle ") == 2 + 2, "\(day)")
            #expect(day.contains("class=\"dot50\"") && day.contains("class=\"dot95\""))
            #expect(day.contains(">Response times, last 24 hours · Cegid Loop</text>"), "the range is written on the chart")
            #expect(day.contains(">0 ms</text>") && day.occurrences(of: " ms</text>") == 3, "millisecond ticks")
            for hour in ["18:00", "00:00", "06:00", "12:00"] {
                #expect(day.contains(">\(hour)</text>"), "time tick \(hour) in Paris time")
            }
            let days = try await client.execute(uri: "/products/loop/response-times.svg?range=days&lang=fr", method: .get) { String(buffer: $0.body) }
            #expect(days.contains(">Temps de réponse par heure, 25 derniers jours · Cegid Loop</text>"))
            #expect(days.occurrences(of: "<circle ") == 4)
            #expect(days.contains(">27 oct.</text>"), "day ticks, from the first day of the range")
            #expect(!days.contains("style=\"") , "styled by the chart's own stylesheet")
        }
    }
}
