#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A real PostgreSQL server for the tests (Debian's `postgresql`): one cluster per test process
/// in a temporary folder, on a free port, with fsync off; a migrated template per schema; an
/// empty copy of it per test. A watchdog stops the cluster and deletes its folder when the
/// test process ends, however it ends.
public actor PostgresServer {
    public let port: Int
    private let folder: String
    private let bin: String
    /// Templates made or being made, by name.
    private var templates: [String: Task<Void, any Error>] = [:]
    /// The latest copy of a template, which the next one waits for.
    private var lastCopy: Task<Void, any Error>?

    private static let started = StartOnce()

    /// The process's server, started on first use (about 1.5 s).
    public static func shared() async throws -> PostgresServer {
        try await started.server()
    }

    private init(port: Int, folder: String, bin: String) {
        self.port = port
        self.folder = folder
        self.bin = bin
    }

    /// `postgres://postgres@127.0.0.1:PORT/DATABASE?sslmode=disable`.
    public nonisolated func url(database: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// A new empty database, a copy of template `name`, which `migrate` makes on first use
    /// (given the template's URL, it applies the schema and closes its connections).
    public func database(template name: String, migrate: @escaping @Sendable (String) async throws -> Void) async throws -> String {
        let template = "template_\(name)"
        // Tasks, not flags: the actor is reentrant at each await, and every test asking at once
        // must wait for the one template, not make it again.
        let made = templates[name] ?? Task {
            try await psql("DROP DATABASE IF EXISTS \(template)")
            try await psql("CREATE DATABASE \(template)")
            try await migrate(url(database: template))
        }
        templates[name] = made
        do {
            try await made.value
        } catch {
            // The next test tries again rather than inheriting one slow start's failure.
            if templates[name] == made { templates[name] = nil }
            throw error
        }
        let database = "test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        // One copy at a time: PostgreSQL refuses to copy a template that another copy is reading.
        let previous = lastCopy
        let copy = Task {
            _ = await previous?.result
            try await psql("CREATE DATABASE \(database) TEMPLATE \(template)")
        }
        lastCopy = copy
        try await copy.value
        return database
    }

    /// Runs one SQL command as the superuser on database `postgres` (or another).
    public func psql(_ command: String, database: String = "postgres") async throws {
        let result = try await Self.run("\(bin)/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres",
                                                 "-d", database, "-c", command])
        guard result.status == 0 else { throw SupportError("psql \(command): \(result.output)") }
    }

    /// Stops the server at once (as a crash would) and starts it again on the same port and data.
    public func restart() async throws {
        _ = try await Self.asPostgres("\(bin)/pg_ctl", ["-D", "\(folder)/data", "-m", "immediate", "-w", "stop"])
        let start = try await Self.startCluster(bin: bin, folder: folder, port: port)
        guard start.status == 0 else { throw SupportError("pg_ctl start after a restart failed: \(start.output)") }
    }

    // MARK: Starting the cluster

    private final class StartOnce: @unchecked Sendable {
        private let lock = NSLock()
        private var task: Task<PostgresServer, any Error>?

        func server() async throws -> PostgresServer {
            let task = lock.withLock {
                let task = self.task ?? Task { try await PostgresServer.start() }
                self.task = task
                return task
            }
            return try await task.value
        }
    }

    private static func start() async throws -> PostgresServer {
        let bin = try binaries()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if getuid() == 0 { _ = try await run("/bin/chown", ["postgres", folder]) }
        let initdb = try await asPostgres("\(bin)/initdb", ["--no-sync", "-D", "\(folder)/data", "-U", "postgres", "-A", "trust", "-E", "UTF8",
                                                       "--locale=C.UTF-8"])
        guard initdb.status == 0 else { throw SupportError("initdb failed: \(initdb.output)") }
        try watch(folder: folder, bin: bin)
        var failures: [String] = []
        for _ in 0..<5 {
            let port = Int.random(in: 20_000..<60_000)
            let start = try await startCluster(bin: bin, folder: folder, port: port)
            if start.status == 0 { return PostgresServer(port: port, folder: folder, bin: bin) }
            failures.append(start.output)
        }
        throw SupportError("PostgreSQL did not start: \(failures.joined(separator: "\n"))")
    }

    private static func startCluster(bin: String, folder: String, port: Int) async throws -> (status: Int32, output: String) {
        try await asPostgres("\(bin)/pg_ctl", [
            "-D", "\(folder)/data", "-l", "\(folder)/server.log", "-w", "-t", "60",
            "-o", "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            "start",
        ])
    }

    /// Stops the cluster and deletes its folder once this process is gone.
    private static func watch(folder: String, bin: String) throws {
        let stop = getuid() == 0 ? "runuser -u postgres -- \(bin)/pg_ctl" : "\(bin)/pg_ctl"
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            \(stop) -D '\(folder)/data' -m immediate stop >/dev/null 2>&1
            rm -rf '\(folder)'
            """
        // A session of its own: a signal to the test process's group does not reach it.
        _ = try runBlocking("/bin/sh", ["-c", script], detached: true)
    }

    /// The newest installed PostgreSQL's programs.
    private static func binaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        guard let newest = versions.compactMap(Int.init).max(), FileManager.default.isExecutableFile(atPath: "\(root)/\(newest)/bin/initdb") else {
            throw SupportError("PostgreSQL is not installed (no \(root)/*/bin/initdb): scripts/install-deps test installs it")
        }
        return "\(root)/\(newest)/bin"
    }

    /// initdb and pg_ctl refuse to run as root.
    private static func asPostgres(_ program: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        getuid() == 0 ? try await run("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments) : try await run(program, arguments)
    }

    /// Runs a program to its end on a thread of its own (it waits for the server).
    private static func run(_ program: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await offloaded { try runBlocking(program, arguments) }
    }

    /// posix_spawn and waitpid, not Foundation's `Process`: its `waitUntilExit` missed the end
    /// of `runuser` here and waited forever.
    private static func runBlocking(_ program: String, _ arguments: [String], detached: Bool = false) throws -> (status: Int32, output: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-pg-out-\(UUID().uuidString)").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, detached ? "/dev/null" : output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process goes to the child: the server it starts lives on, and a
        // pipe end it inherited (a browser script's output, say) would then never see its EOF.
        // (glibc's posix_spawn_file_actions_addclosefrom_np is not imported into Swift; a
        // descriptor closed meanwhile is skipped by the child.)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26), which Swift does not import.
        if detached { posix_spawnattr_setflags(&attributes, 0x80) }
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw SupportError("\(program) did not start: \(String(cString: strerror(spawned)))") }
        if detached { return (0, "") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (code, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }
}
