import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import StatusModel
import StatusWeb
import Testing

/// A probe outage's cause is on the product page like any other change: when a second region
/// confirms the same outage for another reason, the episode does not change, but the page's
/// "Cause constatée" does, within a second, with the cache on and the change made by another
/// process (a `statusd probe` worker) on the same database file.
@Suite struct ProbeCauseCacheTests {
    @Test func aNewCauseFromAnotherProcessShowsWithinASecond() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-cause-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("statusd.sqlite").path
        let served = SQLiteStatusStore(database: try SQLiteDatabase.open(path: path, migrations: [StatusModelMigrations()]),
                                       calendar: SiteFixture.calendar)
        let worker = SQLiteStatusStore(database: try SQLiteDatabase.open(path: path, migrations: [StatusModelMigrations()]),
                                       calendar: SiteFixture.calendar)
        try await served.syncProducts([Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: SiteFixture.longAgo)])
        let since = SiteFixture.now.addingTimeInterval(-600)
        try await worker.setRegionState(RegionState(checkID: "loop/http", region: "paris", outcome: .down,
                                                    reason: ProbeFailure.connectionRefused.code, since: since))
        try await worker.openEpisode(Episode(productSlug: "loop", condition: .outage, cause: .probe, source: "loop/http", start: since))
        let site = try await SiteDependencies(store: served, calendar: SiteFixture.calendar, historyDays: 25, baseURL: "http://127.0.0.1:8080",
                                              logger: Logger(label: "test"), clock: { SiteFixture.now })
        try await Application(router: buildRouter(site: site)).test(.router) { client in
            let first = try await client.fetch("/products/loop?lang=fr")
            #expect(first.body.contains("Cause constatée : connexion refusée"))
            #expect(!first.body.contains("délai dépassé"))

            // Frankfurt confirms the outage too, timing out: same check, same episode, a new cause.
            try await worker.setRegionState(RegionState(checkID: "loop/http", region: "frankfurt", outcome: .down,
                                                        reason: ProbeFailure.timedOut(seconds: 10).code, since: SiteFixture.now))
            let written = ContinuousClock.now
            var shown = false
            while !shown, ContinuousClock.now - written < .seconds(1) {
                shown = try await client.fetch("/products/loop?lang=fr").body.contains("délai dépassé")
                if !shown { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(shown, "the second cause is on the page within a second")

            // A state written again as it was is not a change: the version stays, the page stays cached.
            let version = try await worker.stateVersion()
            try await worker.setRegionState(RegionState(checkID: "loop/http", region: "frankfurt", outcome: .down,
                                                        reason: ProbeFailure.timedOut(seconds: 10).code, since: SiteFixture.now))
            #expect(try await worker.stateVersion() == version)
        }
    }
}
