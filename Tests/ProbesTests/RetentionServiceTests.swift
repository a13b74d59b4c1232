import Foundation
import Logging
import Probes
import StatusModel
import Testing

@Suite struct RetentionServiceTests {
    @Test func rawResultsGoAfterTheirRetentionAndDayHistoryStays() async throws {
        let calendar = DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!)
        let store = SQLiteStatusStore(database: try SQLiteDatabase.inMemory(migrations: [StatusModelMigrations()]), calendar: calendar)
        let now = Date()
        try await store.syncProducts([Product(slug: "loop", name: "Loop", family: "", position: 0, monitoredSince: now.addingTimeInterval(-30 * 86_400))])
        let old = now.addingTimeInterval(-8 * 86_400)
        try await store.record([
            CheckResult(checkID: "loop/http", productSlug: "loop", time: old, outcome: .up),
            CheckResult(checkID: "loop/http", productSlug: "loop", time: now.addingTimeInterval(-3600), outcome: .up),
        ])
        let oldDay = calendar.day(containing: old)
        #expect(try await store.dayStates(days: [oldDay], now: now)["loop"] == [.ok])

        let retention = RetentionService(store: store, calendar: calendar, resultDays: 7, historyDays: 400, logger: Logger(label: "test"))
        await retention.pruneOnce(now: now)

        #expect(try await store.resultCount() == 1, "the 8-day-old raw result is gone")
        #expect(try await store.dayStates(days: [oldDay], now: now)["loop"] == [.ok], "its day keeps its state")
    }
}
