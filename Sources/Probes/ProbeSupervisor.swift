import Foundation
import Logging
import ServiceLifecycle
import StatusModel

/// Runs the probe worker of one region over the config file's checks and the console's, and
/// starts it again when operators change the console's checks or rename a product (looked at every few seconds, so
/// every process sharing the database follows). A restart loses nothing: confirmed states are
/// stored and resumed, and the worker flushes its results when it stops.
public final class ProbeSupervisor<Store: StatusStore>: Service, Sendable {
    private let configChecks: [Check]
    private let store: Store
    private let region: String
    private let pollInterval: Duration
    private let makeWorker: @Sendable ([Check], [String: String]) -> ProbeWorker<Store>
    private let logger: Logger

    /// - Parameter makeWorker: the worker for a set of checks and the products' names.
    public init(configChecks: [Check], store: Store, region: String, pollInterval: Duration = .seconds(5), logger: Logger,
                makeWorker: @escaping @Sendable ([Check], [String: String]) -> ProbeWorker<Store>) {
        self.configChecks = configChecks
        self.store = store
        self.region = region
        self.pollInterval = pollInterval
        self.makeWorker = makeWorker
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.supervise() }
    }

    private func supervise() async {
        var current: [ConsoleCheck]?
        var currentNames: [String: String] = [:]
        var running: Task<Void, Never>?
        while !Task.isCancelled {
            // A renamed product restarts the worker too: its incidents are titled with the name.
            if let found = try? await store.consoleChecks(), let products = try? await store.products() {
                let names = Dictionary(products.map { ($0.slug, $0.name) }) { first, _ in first }
                if found != current || names != currentNames {
                    if let running {
                        logger.info("console checks or product names changed: restarting the probe worker", metadata: ["region": "\(region)"])
                        running.cancel()
                        await running.value
                    }
                    current = found
                    currentNames = names
                    let worker = makeWorker(configChecks + consoleChecks(found), names)
                    let logger = self.logger
                    running = Task {
                        do { try await worker.run() } catch { logger.error("the probe worker stopped", metadata: ["error": "\(error)"]) }
                    }
                }
            }
            try? await Task.sleep(for: pollInterval)
        }
        running?.cancel()
        await running?.value
    }

    /// The console's checks as checks; one that no longer reads (the rules grew stricter) is
    /// left out and said in the log rather than stopping the others.
    private func consoleChecks(_ found: [ConsoleCheck]) -> [Check] {
        found.compactMap { entry in
            do {
                return try CheckSpec.check(yaml: entry.spec, productSlug: entry.productSlug)
            } catch {
                logger.error("a console check cannot be read", metadata: ["check": "\(entry.productSlug)/\(entry.name)", "error": "\(error)"])
                return nil
            }
        }
    }
}
