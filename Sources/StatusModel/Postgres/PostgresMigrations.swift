/// One step of a module's PostgreSQL schema, applied once, in order, inside the migration's
/// transaction (PostgreSQL's DDL is transactional: a step that fails leaves nothing behind).
public struct PostgresMigration: Sendable, Hashable {
    /// Unique across modules, like the SQLite migrations' names ("notify.v1.outbox").
    public let id: String
    public let statements: [String]

    public init(_ id: String, _ statements: [String]) {
        self.id = id
        self.statements = statements
    }
}

/// The migrations a module contributes to the one migrator the deployment runs at start.
public protocol PostgresMigrations: Sendable {
    var migrations: [PostgresMigration] { get }
}
