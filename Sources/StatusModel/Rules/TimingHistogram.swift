import Foundation

/// Log-scale buckets for response times: each bucket is 10% wider than the one before, so a
/// percentile read from them is within 10% of the true one.
public enum TimingHistogram {
    static let growth = 1.1

    /// The bucket of a duration; 0 holds everything up to 1 ms.
    public static func bucket(_ milliseconds: Double) -> Int {
        guard milliseconds > 1 else { return 0 }
        return Int((log(milliseconds) / log(growth)).rounded(.up))
    }

    /// The upper bound of a bucket, in milliseconds.
    public static func upperBound(_ bucket: Int) -> Double {
        pow(growth, Double(bucket))
    }

    /// The `fraction` percentile (0.5, 0.95) of bucket counts.
    public static func percentile(_ fraction: Double, of counts: [(bucket: Int, count: Int)]) -> Double {
        let sorted = counts.sorted { $0.bucket < $1.bucket }
        let total = sorted.reduce(0) { $0 + $1.count }
        guard total > 0 else { return 0 }
        let rank = Int((fraction * Double(total)).rounded(.up))
        var seen = 0
        for entry in sorted {
            seen += entry.count
            if seen >= rank { return upperBound(entry.bucket) }
        }
        return upperBound(sorted.last?.bucket ?? 0)
    }
}
