import Foundation
import Probes
import Synchronization
import TestSupport
import Testing

@Suite struct SchedulerTests {
    /// Runs per job, and the most runs of one job seen at the same time.
    final class Tally: Sendable {
        let runs = Mutex<[Int: Int]>([:])
        let running = Mutex<[Int: Int]>([:])
        let mostAtOnce = Mutex<Int>(0)
        let lags = Mutex<[Duration]>([])

        func begin(_ job: Int) {
            running.withLock { $0[job, default: 0] += 1; let now = $0[job]!; mostAtOnce.withLock { $0 = max($0, now) } }
        }

        func end(_ job: Int) {
            running.withLock { $0[job, default: 0] -= 1 }
            runs.withLock { $0[job, default: 0] += 1 }
        }
    }

    @Test func hangingJobsDelayNoOtherAndNoJobRunsTwiceAtOnce() async throws {
        let tally = Tally()
        // Jobs 0-3 hang for a minute (far longer than their 100 ms interval); job 4 is quick.
        let jobs = (0..<5).map { ($0, Duration.milliseconds(100)) }
        let scheduler = ProbeScheduler(jobs: jobs, maxInFlight: 8, onLag: { lag in tally.lags.withLock { $0.append(lag) } }) { job in
            tally.begin(job)
            if job < 4 { try? await Task.sleep(for: .seconds(60)) }
            tally.end(job)
            return .milliseconds(100)
        }
        let task = Task { await scheduler.run() }
        // Generous limits: the suite runs in parallel on two cores; what matters is what happens, not how fast.
        let quickRanOften = try await eventually(within: .seconds(40)) { tally.runs.withLock { $0[4] ?? 0 } >= 10 }
        let hangingFinished = tally.runs.withLock { runs in (0..<4).map { runs[$0] ?? 0 }.reduce(0, +) }
        task.cancel()
        await task.value
        #expect(quickRanOften, "the quick job keeps its schedule while four others hang")
        #expect(hangingFinished == 0, "ten quick runs happened while the hanging ones were still hanging")
        #expect(tally.mostAtOnce.withLock { $0 } == 1, "never two runs of one job at once")
    }

    @Test func inFlightIsBounded() async throws {
        let tally = Tally()
        let concurrent = Mutex<(now: Int, most: Int)>((0, 0))
        let jobs = (0..<50).map { ($0, Duration.milliseconds(10)) }
        let scheduler = ProbeScheduler(jobs: jobs, maxInFlight: 5) { job in
            concurrent.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            try? await Task.sleep(for: .milliseconds(20))
            concurrent.withLock { $0.now -= 1 }
            tally.end(job)
            return .milliseconds(10)
        }
        let task = Task { await scheduler.run() }
        let allRan = try await eventually(within: .seconds(40)) { tally.runs.withLock { $0.count } == 50 }
        task.cancel()
        await task.value
        #expect(allRan)
        #expect(concurrent.withLock { $0.most } == 5)
    }
}
