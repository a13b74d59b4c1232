import Foundation

/// The products shown on the grid, as the config declares them.
public protocol ProductStore: Sendable {
    /// Makes the stored products match `products`: new ones added, known ones updated
    /// (their history kept), missing ones hidden rather than deleted.
    func syncProducts(_ products: [Product]) async throws
    /// Creates or changes a product made in the operators' console; products of the config
    /// file are left as the config says (throws `StoreError.notEditable`).
    func saveConsoleProduct(_ product: Product) async throws
    /// The checks made in the console, by product and name.
    func consoleChecks() async throws -> [ConsoleCheck]
    /// Creates or replaces a check of a console product (`StoreError.notEditable` for a
    /// product of the config file, whose checks are in the file).
    func saveConsoleCheck(_ check: ConsoleCheck) async throws
    /// True when it existed.
    func deleteConsoleCheck(productSlug: String, name: String) async throws -> Bool
    /// Every product, hidden ones included, by family position order.
    func products() async throws -> [Product]
    func product(slug: String) async throws -> Product?
}

/// Raw check results, kept for the retention.
public protocol ResultStore: Sendable {
    /// Writes a batch in one transaction and marks the days it covers as observed.
    func record(_ results: [CheckResult]) async throws
    func results(checkID: String, since: Date) async throws -> [CheckResult]
    func resultCount() async throws -> Int
    /// Deletes results older than `cutoff`; returns how many went.
    @discardableResult
    func pruneResults(before cutoff: Date) async throws -> Int
}

/// Episodes, incidents and maintenance: what makes a product not operational.
public protocol EpisodeStore: Sendable {
    /// Starts an episode, or does nothing if one from the same source is already open.
    func openEpisode(_ episode: Episode) async throws
    /// Ends the open episode of `source` on `productSlug`, if any.
    func closeEpisode(productSlug: String, cause: Episode.Cause, source: String, at end: Date) async throws
    func episodes(productSlug: String, overlapping interval: DateInterval) async throws -> [Episode]
    /// Creates or replaces an incident, its timeline and its episodes.
    func save(_ incident: Incident) async throws
    func incident(id: String) async throws -> Incident?
    /// Reads, changes and saves an incident in one transaction, so two operators posting at
    /// once both keep their step (and both are announced); nil when there is no such incident.
    /// An error thrown by `change` changes nothing.
    func changeIncident(id: String, _ change: @Sendable (inout Incident) throws -> Void) async throws -> Incident?
    /// The latest incidents of every product, unresolved first then by start, newest first.
    func recentIncidents(limit: Int) async throws -> [Incident]
    /// Incidents not yet resolved.
    func unresolvedIncidents() async throws -> [Incident]
    /// Resolved incidents on a product, the latest first.
    func closedIncidents(productSlug: String, limit: Int) async throws -> [Incident]
    /// Creates or replaces a maintenance window and its episodes.
    func save(_ maintenance: Maintenance) async throws
    func maintenance(id: String) async throws -> Maintenance?
    /// Cancels a window: it goes, with its episodes, and one not yet over is journalled as
    /// cancelled; true when it existed.
    func deleteMaintenance(id: String) async throws -> Bool
    func maintenances(overlapping interval: DateInterval) async throws -> [Maintenance]
    /// Opens the probes' incident on a product whose outage they confirmed, unless one is
    /// open already (several regions or processes may confirm the same outage).
    func openProbeIncident(productSlug: String, title: String, message: String, reason: String?, at: Date) async throws
    /// Resolves the probes' open incident on a product, once none of its checks is down.
    func resolveProbeIncident(productSlug: String, message: String, at: Date) async throws
}

/// The journal of what subscribers hear about. Saving an incident or a window journals its
/// steps in the same transaction; the start and end of windows are journalled as time passes.
public protocol EventStore: Sendable {
    /// Events after `id`, oldest first.
    func events(after id: Int64, limit: Int) async throws -> [StatusEvent]
    /// The id of the last event, 0 when none.
    func lastEventID() async throws -> Int64
    /// Journals the starts and ends of windows that `now` has passed (each once, whoever calls),
    /// and schedules the next occurrence of a weekly window that ended. Returns how many events.
    @discardableResult
    func recordMaintenanceTransitions(now: Date) async throws -> Int
    /// Deletes events older than `cutoff`.
    @discardableResult
    func pruneEvents(before cutoff: Date) async throws -> Int
}

/// A store refused a change as asked.
public enum StoreError: Error, Sendable, Equatable {
    /// The product is defined in the config file.
    case notEditable
}

/// Day states and uptime, read from the rollups kept as results and episodes arrive.
public protocol HistoryStore: Sendable {
    /// For each product, its day state on each of `days` (same order as `days`).
    func dayStates(days: [LocalDay], now: Date) async throws -> [String: [DayState]]
    /// One product's days, uptime and current condition.
    func history(productSlug: String, days: [LocalDay], now: Date) async throws -> ProductHistory
    /// Every product's condition at `now`.
    func conditions(now: Date) async throws -> [String: Condition]
    /// The next instant after `now` at which a known episode starts or ends (a scheduled
    /// maintenance beginning, say): pages computed before it go stale then.
    func nextScheduledChange(after now: Date) async throws -> Date?
    /// Which kind of database holds the store ("sqlite", "postgres"), for `/healthz`.
    var databaseKind: String { get }
    /// A number that changes whenever a day state or a condition may have changed, in any process.
    func stateVersion() async throws -> Int
    /// A count kept in memory that moves as soon as this process commits a state change, read
    /// without touching the database; changes by other processes show only in `stateVersion()`.
    func localStateChanges() -> Int
    /// Deletes day rollups and closed episodes that ended before `cutoff`.
    @discardableResult
    func pruneHistory(before cutoff: LocalDay) async throws -> Int
}

/// Everything the rest of statusd needs from storage.
public typealias StatusStore = ProductStore & ResultStore & EpisodeStore & HistoryStore & ProbeStateStore & EventStore

/// One product's recent history, as its page shows it.
public struct ProductHistory: Sendable, Hashable {
    public var days: [LocalDay]
    public var states: [DayState]
    /// Fraction between 0 and 1 over `days`; nil when nothing was observed.
    public var uptime: Double?
    public var condition: Condition

    public init(days: [LocalDay], states: [DayState], uptime: Double?, condition: Condition) {
        self.days = days
        self.states = states
        self.uptime = uptime
        self.condition = condition
    }
}
