import Foundation
import GRDB

/// Migrations a module contributes to the one migrator assembled at start.
public protocol SQLiteMigrations: Sendable {
    func register(in migrator: inout DatabaseMigrator)
    /// Runs on every new connection before use (custom FTS5 tokenizers are registered per connection).
    func prepare(_ db: Database) throws
}

extension SQLiteMigrations {
    public func prepare(_ db: Database) throws {}
}

/// The one database of a deployment: a WAL pool on a file, or a queue in memory for tests.
public struct SQLiteDatabase: Sendable {
    public let writer: any DatabaseWriter
    /// This process's commits that moved the state version (see `SQLiteStatusStore.localStateChanges`).
    let stateChanges = StateChangeCounter()

    /// Opens (creating if needed) the file at `path` in WAL mode and migrates it.
    public static func open(path: String, migrations: [any SQLiteMigrations]) throws -> SQLiteDatabase {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: path, configuration: configuration(migrations))
        return try SQLiteDatabase(writer: pool, migrations: migrations)
    }

    /// A private database in memory, for tests.
    public static func inMemory(migrations: [any SQLiteMigrations]) throws -> SQLiteDatabase {
        try SQLiteDatabase(writer: DatabaseQueue(configuration: configuration(migrations)), migrations: migrations)
    }

    private init(writer: any DatabaseWriter, migrations: [any SQLiteMigrations]) throws {
        self.writer = writer
        var migrator = DatabaseMigrator()
        for part in migrations { part.register(in: &migrator) }
        try migrator.migrate(writer)
        writer.add(transactionObserver: stateChanges, extent: .observerLifetime)
    }

    /// Address space mapped per connection (1 GiB; SQLite maps at most the file's size).
    static let mmapSize = 1 << 30

    private static func configuration(_ migrations: [any SQLiteMigrations]) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Probe workers in other processes write the same file: wait for their locks
        // instead of failing at once.
        configuration.busyMode = .timeout(10)
        // Deleted and overwritten content is zeroed on disk, not left in free space: the
        // outbox erases a mail's links once it is sent, and erased must mean gone.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // Reads map the file instead of copying each page through pread into a 2 MB cache:
            // the knowledge base's index walks megabytes of doclists per search. Readers keep
            // a larger cache for the pages mapping cannot serve (those still in the WAL).
            try db.execute(sql: "PRAGMA mmap_size = \(Self.mmapSize)")
            if db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -16384") }
            for part in migrations { try part.prepare(db) }
        }
        return configuration
    }

    /// `PRAGMA integrity_check`'s answer: "ok" for a sound file.
    public func integrityCheck() async throws -> String {
        try await writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }

    /// The journal mode in force ("wal" on a file).
    public func journalMode() async throws -> String {
        try await writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
