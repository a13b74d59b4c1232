import Foundation
import Logging
import PostgresNIO

/// The deployment's PostgreSQL database: one pool of connections shared by every store of this
/// process, migrated at open. Several processes (web nodes, probe workers) share the database;
/// races between them are settled by row locks and unique keys in each store's statements.
public final class PostgreSQLDatabase: Sendable {
    public let client: PostgresClient
    public let address: PostgresAddress
    public let logger: Logger
    /// `PostgresClient.run()`: the pool works only while it runs. The database owns it, so that
    /// migrations can run before any service starts and every store shares one pool.
    private let pool: Task<Void, Never>

    private init(address: PostgresAddress, maximumConnections: Int, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: address.host, port: address.port, username: address.username, password: address.password,
            database: address.database, tls: Self.tls(address.tls))
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.address = address
        self.logger = logger
        self.pool = Task { await client.run() }
    }

    /// Connects and applies the migrations not yet applied. Throws `PostgresUnavailable` when the
    /// server does not answer within `patience` (a pool would otherwise wait for it forever).
    public static func open(
        _ address: PostgresAddress, migrations: [any PostgresMigrations], maximumConnections: Int = 20,
        patience: Duration = .seconds(15), logger: Logger
    ) async throws -> PostgreSQLDatabase {
        let database = PostgreSQLDatabase(address: address, maximumConnections: maximumConnections, logger: logger)
        do {
            try await database.withDeadline(patience) { try await database.migrate(migrations) }
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    /// Ends the pool's connections; the stores of this database cannot be used after it.
    public func close() async {
        pool.cancel()
        await pool.value
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// The body's own error comes out as it was thrown (a `MailError`, say), once rolled back.
    public func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let thrown = error.closureError, error.rollbackError == nil { throw thrown }
            throw error
        }
    }

    /// Whether the server answers a query now, for `/healthz`.
    public func answers(within limit: Duration = .seconds(2)) async -> Bool {
        (try? await withDeadline(limit) { try await self.client.query("SELECT 1", logger: self.logger) }) != nil
    }

    /// Applies each migration not yet recorded in `schema_migration`. Two nodes starting at once
    /// take the same advisory lock, so the second waits and then finds everything applied.
    func migrate(_ sets: [any PostgresMigrations]) async throws {
        let steps = sets.flatMap(\.migrations)
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migration (id text PRIMARY KEY, applied_at double precision NOT NULL)
                """, logger: logger)
            var applied: Set<String> = []
            for try await id in try await connection.query("SELECT id FROM schema_migration", logger: logger).decode(String.self) {
                applied.insert(id)
            }
            for step in steps where !applied.contains(step.id) {
                for statement in step.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let now = Date().timeIntervalSince1970
                try await connection.query("INSERT INTO schema_migration (id, applied_at) VALUES (\(step.id), \(now))", logger: logger)
            }
        }
    }

    /// Any 64-bit number unique to statusd's migrations ("statusd" in ASCII).
    static let migrationLock: Int64 = 0x73_74_61_74_75_73_64

    private func withDeadline<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let address = address
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw PostgresUnavailable(address: address, waited: limit)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw PostgresUnavailable(address: address, waited: limit) }
            return first
        }
    }

    private static func tls(_ mode: PostgresAddress.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }
}

/// The server did not answer in time: down, unreachable, or refusing this user.
public struct PostgresUnavailable: Error, Sendable, CustomStringConvertible {
    public let address: PostgresAddress
    public let waited: Duration
    public var description: String { "PostgreSQL at \(address) did not answer within \(waited)" }
}
