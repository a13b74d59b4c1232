import Foundation
import StatusModel

/// Every store implementation the contract suite runs against. A PostgreSQL store is one more case.
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// A WAL `DatabasePool` on a temporary file, as deployments run.
    case sqliteFile
    /// A private in-memory SQLite database.
    case sqliteInMemory

    var description: String { rawValue }

    /// A fresh, empty, migrated store of this kind; it deletes its files when released.
    func makeStore() throws -> TestStore {
        switch self {
        case .sqliteFile:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-store-\(UUID().uuidString)")
            let database = try SQLiteDatabase.open(path: directory.appendingPathComponent("statusd.sqlite").path, migrations: [StatusModelMigrations()])
            return TestStore(store: SQLiteStatusStore(database: database, calendar: Paris.calendar), directory: directory)
        case .sqliteInMemory:
            let database = try SQLiteDatabase.inMemory(migrations: [StatusModelMigrations()])
            return TestStore(store: SQLiteStatusStore(database: database, calendar: Paris.calendar), directory: nil)
        }
    }
}

/// A store under test, and the temporary files to remove once the test is done.
final class TestStore: Sendable {
    let store: any StatusStore
    private let directory: URL?

    init(store: any StatusStore, directory: URL?) {
        self.store = store
        self.directory = directory
    }

    deinit {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }
}

/// Fixed products and instants for the store tests: "now" is 2026-11-20 12:00 in Paris.
enum Fixture {
    static let now = Paris.at(2026, 11, 20, 12)
    static let today = Paris.day(2026, 11, 20)
    /// 2026-11-16 ... 2026-11-20, oldest first.
    static let lastFiveDays = Paris.calendar.days(endingWith: today, count: 5)

    static let loop = Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 0, monitoredSince: Paris.at(2026, 11, 1))
    static let stream = Product(slug: "stream", name: "Cegid Stream", family: "Media", position: 1, monitoredSince: Paris.at(2026, 11, 1))
    /// Reported by hand: every day since it exists counts as observed.
    static let manual = Product(slug: "manual", name: "Cegid Manual", family: "Finance", position: 2, monitoredSince: Paris.at(2026, 11, 1), hasChecks: false)

    static func result(_ outcome: CheckResult.Outcome, at time: Date, product: String = "loop") -> CheckResult {
        CheckResult(checkID: "\(product)/http", productSlug: product, time: time, outcome: outcome,
                    durationMilliseconds: outcome == .down ? nil : 120, reason: outcome == .down ? "statut 503, attendu 200" : nil)
    }
}
