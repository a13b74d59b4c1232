import CoreMetrics
import Foundation
import StatusModel

/// The probes' figures for Prometheus: checks run and failed per product, their durations, and
/// the scheduler's lag. Whatever metrics backend the executable bootstrapped receives them.
public struct ProbeMetrics: Sendable {
    private let lag = Timer(label: "statusd_scheduler_lag_seconds")

    public init() {}

    func record(_ result: CheckResult) {
        Counter(label: "statusd_checks_total", dimensions: [("product", result.productSlug), ("outcome", result.outcome.rawValue)]).increment()
        if result.outcome == .down {
            Counter(label: "statusd_check_failures_total", dimensions: [("product", result.productSlug)]).increment()
        }
        if let milliseconds = result.durationMilliseconds {
            Timer(label: "statusd_check_duration_seconds", dimensions: [("product", result.productSlug)])
                .recordNanoseconds(Int64(milliseconds * 1_000_000))
        }
    }

    func recordLag(_ duration: Duration) {
        lag.recordNanoseconds(Int64(duration.seconds * 1e9))
    }
}
