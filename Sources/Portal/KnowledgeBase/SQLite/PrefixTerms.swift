import Foundation
import GRDB
import Synchronization

/// The index terms a typed prefix begins (`SearchExpression.words(_:db:prefixTerms:)`), kept
/// while the index is unchanged: the vocabulary counts every term it lists by walking the
/// term's doclist (16 ms for "pass" at 100,000 articles), and the same prefixes come back as
/// users type.
final class PrefixTerms: Sendable {
    private struct State {
        /// FTS5's structure record: every committed change to the index writes a new one.
        var version: [UInt8] = []
        var terms: [String: [String]] = [:]
    }

    private let state = Mutex(State())
    static let capacity = 4_096

    /// At most `limit + 1` terms beginning with `prefix` (lower-case ASCII letters and digits).
    func terms(_ db: Database, prefix: String, limit: Int) throws -> [String] {
        let version = try [UInt8](Data.fetchOne(db, sql: "SELECT block FROM articleSearch_data WHERE id = 10") ?? Data())
        if let found = state.withLock({ $0.version == version ? $0.terms[prefix] : nil }) { return found }
        guard let lastByte = prefix.utf8.last else { return [] }
        let upper = String(prefix.dropLast()) + String(UnicodeScalar(lastByte + 1))
        let terms = try String.fetchAll(db, sql: "SELECT term FROM temp.\(SearchExpression.vocabulary) WHERE term >= ? AND term < ? LIMIT ?",
                                        arguments: [prefix, upper, limit + 1])
        state.withLock { state in
            // A reader on an older snapshot may reset it too: entries always belong to `version`.
            if state.version != version || state.terms.count >= Self.capacity { state = State(version: version) }
            state.terms[prefix] = terms
        }
        return terms
    }
}
