import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import StatusModel
import StatusWeb

/// A site on an in-memory store with a fixed clock: 2026-11-20 12:00 in Paris.
struct SiteFixture {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let calendar = DayCalendar(timeZone: paris)
    static let today = LocalDay(year: 2026, month: 11, day: 20)
    static let now = calendar.interval(of: today).start.addingTimeInterval(12 * 3600)
    static let longAgo = calendar.interval(of: LocalDay(year: 2026, month: 1, day: 1)).start

    let store: SQLiteStatusStore
    let site: StatusSite<SQLiteStatusStore>

    init(historyDays: Int = 25, baseURL: String = "http://127.0.0.1:8080") async throws {
        let database = try SQLiteDatabase.inMemory(migrations: [StatusModelMigrations()])
        store = SQLiteStatusStore(database: database, calendar: Self.calendar)
        try await store.syncProducts([
            Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: Self.longAgo),
            Product(slug: "stream", name: "Cegid Stream", family: "Finance", position: 2, monitoredSince: Self.longAgo),
            Product(slug: "xrp", name: "XRP Flex", family: "Gestion", position: 3, monitoredSince: Self.longAgo, hasChecks: false),
            Product(slug: "secret", name: "Secret Beta", family: "Gestion", position: 4, visibility: .hidden, monitoredSince: Self.longAgo),
        ])
        site = try await StatusSite(store: store, calendar: Self.calendar, historyDays: historyDays, baseURL: baseURL,
                                    logger: Logger(label: "test"), pushChecks: ["tok-0123456789abcdef": "loop/heartbeat"],
                                    clock: { SiteFixture.now })
    }

    func day(_ offset: Int) -> LocalDay { Self.calendar.adding(offset, to: Self.today) }

    func noon(_ offset: Int) -> Date { Self.calendar.interval(of: day(offset)).start.addingTimeInterval(12 * 3600) }

    /// Marks every one of the last `days` days observed for the products with checks.
    func observeEveryDay(_ days: Int = 25) async throws {
        var results: [CheckResult] = []
        for offset in -(days - 1)...0 {
            for slug in ["loop", "stream", "secret"] {
                results.append(CheckResult(checkID: "\(slug)/http", productSlug: slug, time: noon(offset).addingTimeInterval(-3600), outcome: .up))
            }
        }
        try await store.record(results)
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: buildRouter(site: site))
        try await app.test(.router, body)
    }
}

extension String {
    /// The number of times `needle` occurs.
    func occurrences(of needle: String) -> Int { components(separatedBy: needle).count - 1 }
}
