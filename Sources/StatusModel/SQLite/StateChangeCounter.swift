import GRDB
import Synchronization

/// Counts the commits of this process that moved the state version, in memory: the web cache
/// checks it on every request without reading the database. Commits of other processes on
/// the same file do not reach it; they show through `stateVersion()`.
final class StateChangeCounter: TransactionObserver, Sendable {
    private struct State {
        var commits = 0
        var pending = false
    }

    private let state = Mutex(State())

    var value: Int { state.withLock { $0.commits } }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        eventKind.tableName == "stateVersion"
    }

    func databaseDidChange(with event: DatabaseEvent) {
        state.withLock { $0.pending = true }
    }

    func databaseDidCommit(_ db: Database) {
        state.withLock { state in
            if state.pending { state.commits += 1 }
            state.pending = false
        }
    }

    func databaseDidRollback(_ db: Database) {
        state.withLock { $0.pending = false }
    }
}
