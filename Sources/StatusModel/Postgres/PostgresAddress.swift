import Foundation

/// Where a PostgreSQL database is: `postgres://user:password@host:5432/statusd?sslmode=require`,
/// as in the config's `database` key or `STATUSD_DATABASE_URL`.
public struct PostgresAddress: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP: a database on loopback or a private network only.
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS or no connection.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String, tls: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// Reads a `postgres://` or `postgresql://` URL; the error says what is wrong with it.
    public init(url text: String) throws(PostgresAddressError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw PostgresAddressError("is not a URL (expected postgres://user@host:5432/database)")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresAddressError("starts with \"\(scheme)://\"; a PostgreSQL address starts with postgres://")
        }
        guard let host = components.host, !host.isEmpty else { throw PostgresAddressError("names no host") }
        guard let user = components.user, !user.isEmpty else { throw PostgresAddressError("names no user (postgres://USER@\(host)/…)") }
        let name = String(components.path.drop(while: { $0 == "/" }))
        guard !name.isEmpty, !name.contains("/") else { throw PostgresAddressError("names no database (postgres://\(user)@\(host)/DATABASE)") }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else { throw PostgresAddressError("has an unknown option \"\(item.name)\" (only sslmode is read)") }
            guard let mode = TLSMode(rawValue: item.value ?? "") else {
                throw PostgresAddressError("has sslmode=\(item.value ?? ""); expected disable, prefer or require")
            }
            tls = mode
        }
        if let port = components.port, !(1...65535).contains(port) { throw PostgresAddressError("has port \(port), out of 1-65535") }
        self.init(host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
                  password: components.password.map { $0.removingPercentEncoding ?? $0 }, database: name, tls: tls)
    }

    /// The address without its password, for logs and `/healthz`.
    public var description: String { "postgres://\(username)@\(host):\(port)/\(database)" }
}

public struct PostgresAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { "the PostgreSQL address \(reason)" }
}
