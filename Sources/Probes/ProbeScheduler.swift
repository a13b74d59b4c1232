import Foundation
import Synchronization

/// Runs each check at its interval, spread with jitter so checks do not bunch, never two runs
/// of one check at once, with at most `maxInFlight` runs going on. A hanging target holds one
/// slot until its own timeout and delays no other check.
public final class ProbeScheduler<Job: Sendable>: Sendable {
    /// Runs a job and returns how long to wait before its next run.
    public typealias Execute = @Sendable (Job) async -> Duration
    /// Starts a job without waiting; it calls `done` with the delay before its next run.
    public typealias Start = @Sendable (Job, _ done: @escaping @Sendable (Duration) -> Void) -> Void

    private enum Runner: Sendable {
        case async(Execute)
        case callback(Start)
    }

    private struct Entry: Comparable {
        var due: ContinuousClock.Instant
        var index: Int
        static func < (lhs: Entry, rhs: Entry) -> Bool { lhs.due < rhs.due }
    }

    private struct State {
        var queue = MinHeap<Entry>()
        var inFlight = 0
    }

    private let jobs: [Job]
    private let firstRunWithin: [Duration]
    private let maxInFlight: Int
    private let runner: Runner
    private let onLag: @Sendable (Duration) -> Void
    private let state = Mutex(State())
    private let clock = ContinuousClock()

    /// - Parameters:
    ///   - firstRunWithin: each job's first run falls at a random moment within its own duration
    ///     (its interval), so thousands of checks start spread out.
    public convenience init(jobs: [(job: Job, firstRunWithin: Duration)], maxInFlight: Int,
                            onLag: @escaping @Sendable (Duration) -> Void = { _ in }, execute: @escaping Execute) {
        self.init(jobs: jobs, maxInFlight: maxInFlight, onLag: onLag, runner: .async(execute))
    }

    /// The form for high volumes: jobs report completion through a callback, with no task per run.
    public convenience init(jobs: [(job: Job, firstRunWithin: Duration)], maxInFlight: Int,
                            onLag: @escaping @Sendable (Duration) -> Void = { _ in }, start: @escaping Start) {
        self.init(jobs: jobs, maxInFlight: maxInFlight, onLag: onLag, runner: .callback(start))
    }

    private init(jobs: [(job: Job, firstRunWithin: Duration)], maxInFlight: Int,
                 onLag: @escaping @Sendable (Duration) -> Void, runner: Runner) {
        self.jobs = jobs.map(\.job)
        self.firstRunWithin = jobs.map(\.firstRunWithin)
        self.maxInFlight = max(1, maxInFlight)
        self.runner = runner
        self.onLag = onLag
    }

    /// Runs until the task is cancelled; runs in progress are cancelled with it.
    public func run() async {
        let now = clock.now
        state.withLock { state in
            for (index, within) in firstRunWithin.enumerated() {
                let spread = Double.random(in: 0..<1) * max(within.seconds, 0)
                state.queue.push(Entry(due: now + .milliseconds(Int64(spread * 1000)), index: index))
            }
        }
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let now = clock.now
                let ready: [Entry] = state.withLock { state in
                    var ready: [Entry] = []
                    while state.inFlight < maxInFlight, let first = state.queue.peek, first.due <= now, let due = state.queue.pop() {
                        ready.append(due)
                        state.inFlight += 1
                    }
                    return ready
                }
                for entry in ready {
                    onLag(now - entry.due)
                    let job = jobs[entry.index]
                    let done: @Sendable (Duration) -> Void = { [self] delay in
                        let finished = clock.now
                        state.withLock { state in
                            state.inFlight -= 1
                            state.queue.push(Entry(due: max(entry.due + delay, finished), index: entry.index))
                        }
                    }
                    switch runner {
                    case .async(let execute): group.addTask { done(await execute(job)) }
                    case .callback(let start): start(job, done)
                    }
                }
                // Short naps: a slot freed or a due time reached is seen within a few milliseconds.
                let pause: Duration = state.withLock { state in
                    if state.inFlight >= maxInFlight { return .milliseconds(2) }
                    guard let next = state.queue.peek else { return .milliseconds(50) }
                    return min(max(next.due - clock.now, .milliseconds(1)), .milliseconds(50))
                }
                try? await Task.sleep(for: pause)
            }
            group.cancelAll()
        }
    }

    /// Runs in progress right now.
    public var inFlight: Int { state.withLock { $0.inFlight } }
}

/// A binary heap: the smallest element first.
struct MinHeap<Element: Comparable> {
    private var items: [Element] = []

    var peek: Element? { items.first }
    var count: Int { items.count }

    mutating func push(_ element: Element) {
        items.append(element)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let smallest = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var candidate = parent
            if left < items.count, items[left] < items[candidate] { candidate = left }
            if right < items.count, items[right] < items[candidate] { candidate = right }
            guard candidate != parent else { break }
            items.swapAt(parent, candidate)
            parent = candidate
        }
        return smallest
    }
}
