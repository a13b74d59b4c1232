import Foundation

/// Set arithmetic on time spans, enough for the day-state rule.
enum Intervals {
    /// Merges overlapping or touching spans; the result is sorted and disjoint.
    static func union(_ spans: [DateInterval]) -> [DateInterval] {
        let sorted = spans.filter { $0.duration > 0 }.sorted { $0.start < $1.start }
        var merged: [DateInterval] = []
        for span in sorted {
            if let last = merged.last, span.start <= last.end {
                merged[merged.count - 1] = DateInterval(start: last.start, end: max(last.end, span.end))
            } else {
                merged.append(span)
            }
        }
        return merged
    }

    /// The parts of `spans` outside every span of `holes`.
    static func subtract(_ holes: [DateInterval], from spans: [DateInterval]) -> [DateInterval] {
        let holes = union(holes)
        var result: [DateInterval] = []
        for span in union(spans) {
            var cursor = span.start
            for hole in holes where hole.end > cursor && hole.start < span.end {
                if hole.start > cursor { result.append(DateInterval(start: cursor, end: hole.start)) }
                cursor = max(cursor, hole.end)
            }
            if cursor < span.end { result.append(DateInterval(start: cursor, end: span.end)) }
        }
        return result
    }

    /// The part of `span` inside `window`, nil when they share no time.
    static func clip(_ span: DateInterval, to window: DateInterval) -> DateInterval? {
        let start = max(span.start, window.start)
        let end = min(span.end, window.end)
        return end > start ? DateInterval(start: start, end: end) : nil
    }

    static func totalSeconds(_ spans: [DateInterval]) -> Double {
        union(spans).reduce(0) { $0 + $1.duration }
    }
}
