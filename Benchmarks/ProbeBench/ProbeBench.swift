import ArgumentParser
import Curl
import Foundation
import Logging
import Probes
import StatusModel
import Synchronization

/// Measures the probe worker: checks per second at a given concurrency, and the scheduler's
/// lag with thousands of checks configured. Prints `key=value` figures for Benchmarks/probes.sh.
@main
struct ProbeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe-bench",
        subcommands: [Throughput.self, Lag.self, Raw.self]
    )
}

/// Options both modes share.
struct BenchOptions: ParsableArguments {
    @Option(help: "The URL every check gets (nginx on loopback).") var target: String
    @Option(help: "How many checks.") var checks: Int
}

/// A worker over a fresh SQLite file, with `count` http checks of one product.
struct BenchWorld {
    let folder: URL
    let store: SQLiteStatusStore
    let checks: [Check]

    init(target: String, count: Int, interval: Duration) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("probe-bench-\(UUID().uuidString)")
        let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("bench.sqlite").path, migrations: [StatusModelMigrations()])
        store = SQLiteStatusStore(database: database, calendar: DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris") ?? .current))
        try await store.syncProducts([Product(slug: "bench", name: "Bench", family: "", position: 0, monitoredSince: Date())])
        checks = (0..<count).map { index in
            var check = Check(productSlug: "bench", name: "c\(index)", kind: .http, target: target, interval: interval, timeout: .seconds(5))
            check.retryInterval = interval
            return check
        }
    }

    func worker(maxInFlight: Int, spread: Bool, observer: ProbeObserver) -> ProbeWorker<SQLiteStatusStore> {
        ProbeWorker(checks: checks, productNames: ["bench": "Bench"], store: store, region: "default", curl: CurlMulti(),
                    maxInFlight: maxInFlight, observer: observer, spreadFirstRuns: spread, logger: Logger(label: "bench"))
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// Peak resident memory of this process, from /proc.
func peakRSSMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes / 1024
}

struct Throughput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run N checks once each, C at a time, a new connection per check.")
    @OptionGroup var options: BenchOptions
    @Option(help: "Checks in flight at once.") var concurrency = 64

    func run() async throws {
        let world = try await BenchWorld(target: options.target, count: options.checks, interval: .seconds(3600))
        defer { world.remove() }
        let done = Mutex((count: 0, failed: 0))
        let finished = AsyncStream<Void>.makeStream()
        let total = options.checks
        let observer = ProbeObserver(result: { result in
            let count = done.withLock { state -> Int in
                state.count += 1
                if result.outcome != .up { state.failed += 1 }
                return state.count
            }
            if count == total { finished.continuation.yield() }
        })
        let worker = world.worker(maxInFlight: concurrency, spread: false, observer: observer)
        let clock = ContinuousClock()
        let start = clock.now
        let task = Task { try await worker.run() }
        for await _ in finished.stream { break }
        let elapsed = clock.now - start
        task.cancel()
        try await task.value
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let state = done.withLock { $0 }
        let stored = try await world.store.resultCount()
        print(String(format: "checks=%d failed=%d stored=%d seconds=%.3f checks_per_s=%.1f", state.count, state.failed, stored, seconds, Double(state.count) / seconds))
    }
}

struct Lag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Keep N checks on their interval for a while; report dispatch lag and memory.")
    @OptionGroup var options: BenchOptions
    @Option(help: "Seconds between runs of each check.") var interval = 10
    @Option(help: "Seconds to run.") var duration = 40
    @Option(help: "Checks in flight at once.") var concurrency = 256

    func run() async throws {
        let world = try await BenchWorld(target: options.target, count: options.checks, interval: .seconds(interval))
        defer { world.remove() }
        let lags = Mutex<[Double]>([])
        let results = Mutex((count: 0, failed: 0))
        lags.withLock { $0.reserveCapacity(options.checks * (duration / max(interval, 1) + 2)) }
        let observer = ProbeObserver(
            result: { result in results.withLock { $0.count += 1; if result.outcome != .up { $0.failed += 1 } } },
            lag: { lag in lags.withLock { $0.append(Double(lag.components.seconds) * 1000 + Double(lag.components.attoseconds) / 1e15) } }
        )
        let worker = world.worker(maxInFlight: concurrency, spread: true, observer: observer)
        let task = Task { try await worker.run() }
        try await Task.sleep(for: .seconds(duration))
        task.cancel()
        try await task.value
        let sorted = lags.withLock { $0.sorted() }
        func percentile(_ fraction: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
        }
        let counted = results.withLock { $0 }
        print(String(format: "runs=%d failed=%d lag_p50_ms=%.1f lag_p99_ms=%.1f lag_max_ms=%.1f rss_mb=%.1f",
                     counted.count, counted.failed, percentile(0.5), percentile(0.99), sorted.last ?? 0, peakRSSMegabytes()))
    }
}

struct Raw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The ceiling: N bare libcurl GETs, C at a time, no scheduler and no store.")
    @OptionGroup var options: BenchOptions
    @Option(help: "Transfers in flight at once.") var concurrency = 64

    func run() async throws {
        let curl = CurlMulti()
        let total = options.checks
        let state = Mutex((started: 0, done: 0, failed: 0))
        let finished = AsyncStream<Void>.makeStream()
        let request = CurlRequest(url: options.target)
        let clock = ContinuousClock()
        let start = clock.now
        @Sendable func launch() {
            let go = state.withLock { state -> Bool in
                guard state.started < total else { return false }
                state.started += 1
                return true
            }
            guard go else { return }
            curl.start(request) { response in
                let done = state.withLock { state -> Int in
                    state.done += 1
                    if response.status != 200 { state.failed += 1 }
                    return state.done
                }
                if done == total { finished.continuation.yield() } else { launch() }
            }
        }
        for _ in 0..<concurrency { launch() }
        for await _ in finished.stream { break }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let failed = state.withLock { $0.failed }
        print(String(format: "transfers=%d failed=%d seconds=%.3f transfers_per_s=%.1f", total, failed, seconds, Double(total) / seconds))
    }
}
