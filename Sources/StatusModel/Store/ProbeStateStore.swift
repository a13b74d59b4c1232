import Foundation

/// A check's confirmed state as one region's worker sees it.
public struct RegionState: Sendable, Hashable {
    public var checkID: String
    public var region: String
    public var outcome: CheckResult.Outcome
    public var reason: String?
    public var since: Date

    public init(checkID: String, region: String, outcome: CheckResult.Outcome, reason: String?, since: Date) {
        self.checkID = checkID
        self.region = region
        self.outcome = outcome
        self.reason = reason
        self.since = since
    }
}

/// What probe workers share through the store: confirmed states per region, and heartbeats.
public protocol ProbeStateStore: Sendable {
    func setRegionState(_ state: RegionState) async throws
    func regionStates(checkID: String) async throws -> [RegionState]
    /// Every check's confirmed state in one region, to resume a worker in one read.
    func regionStates(region: String) async throws -> [RegionState]
    /// Records a push check's heartbeat.
    func recordHeartbeat(checkID: String, at time: Date) async throws
    func lastHeartbeat(checkID: String) async throws -> Date?
    /// Open probe episodes, to resume confirmed states after a restart.
    func openProbeEpisodes() async throws -> [Episode]
    /// Why the product's checks are failing now: the reasons of its open probe episodes' checks.
    func currentProbeReasons(productSlug: String) async throws -> [String]
    /// Hourly response times of a product since `since`: p50 and p95 in milliseconds.
    func hourlyTimings(productSlug: String, since: Date) async throws -> [HourlyTiming]
}

/// Response times of one product during one hour.
public struct HourlyTiming: Sendable, Hashable {
    public var hourStart: Date
    public var count: Int
    public var p50Milliseconds: Double
    public var p95Milliseconds: Double

    public init(hourStart: Date, count: Int, p50Milliseconds: Double, p95Milliseconds: Double) {
        self.hourStart = hourStart
        self.count = count
        self.p50Milliseconds = p50Milliseconds
        self.p95Milliseconds = p95Milliseconds
    }
}
