import Foundation
import Logging
import Notify
import PostgresNIO
import StatusModel
import TestSupport
import Testing

/// Opening the PostgreSQL database as every node does at start: migrations applied once even
/// when nodes start together, a clear error when the server does not answer.
@Suite struct PostgreSQLDatabaseTests {
    let logger = Logger(label: "notify-tests")

    @Test func nodesStartingTogetherApplyEachMigrationOnce() async throws {
        let server = try await PostgresServer.shared()
        let name = "nodes_\(UUID().uuidString.prefix(8).lowercased())"
        try await server.psql("CREATE DATABASE \(name)")
        let address = try PostgresAddress(url: server.url(database: name))
        let migrations: [any PostgresMigrations] = [NotifyPostgresMigrations()]
        let nodes = try await withThrowingTaskGroup(of: PostgreSQLDatabase.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgreSQLDatabase.open(address, migrations: migrations, patience: .seconds(120), logger: logger) } }
            return try await group.reduce(into: [PostgreSQLDatabase]()) { $0.append($1) }
        }
        #expect(nodes.count == 4, "no node failed on a table another one had just made")
        let rows = try await nodes[0].client.query("SELECT id FROM schema_migration", logger: logger)
        var applied: [String] = []
        for try await id in rows.decode(String.self) { applied.append(id) }
        #expect(applied == NotifyPostgresMigrations().migrations.map(\.id))
        #expect(await nodes[0].answers())
        for node in nodes { await node.close() }
    }

    @Test func aServerThatDoesNotAnswerFailsTheStartNamingIt() async throws {
        // A port where nothing listens: the pool would wait for it forever without a deadline.
        let address = PostgresAddress(host: "127.0.0.1", port: 9, username: "statusd", database: "statusd", tls: .disable)
        var logger = logger
        logger.logLevel = .critical
        await #expect {
            try await PostgreSQLDatabase.open(address, migrations: [], patience: .seconds(1), logger: logger)
        } throws: { error in
            "\(error)" == "PostgreSQL at postgres://statusd@127.0.0.1:9/statusd did not answer within 1.0 seconds"
        }
    }
}
