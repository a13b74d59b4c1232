import Foundation

/// The kinds of probe a check can run.
public enum CheckKind: String, Sendable, Hashable, Codable, CaseIterable {
    case http, tcp, tls, dns, push
}

/// One probe definition of a product: what to check, how often, and when to believe it.
public struct Check: Sendable, Hashable, Codable {
    /// Unique within the deployment: "product-slug/check-name".
    public var id: String
    public var productSlug: String
    public var name: String
    public var kind: CheckKind
    public var target: String
    public var interval: Duration
    public var timeout: Duration
    /// The limit for establishing the connection alone; nil: the total timeout.
    public var connectTimeout: Duration?
    /// Consecutive failures before the check is confirmed down.
    public var failAfter: Int
    /// Consecutive successes before a down check is confirmed up again.
    public var recoverAfter: Int
    /// Slower than this is degraded; nil means speed is not judged.
    public var degradedAbove: Duration?
    public var regions: [String]
    /// Regions that must see the check down for an outage; fewer is degraded. Nil: a majority.
    public var quorum: Int?
    /// How soon to run again while a failure or a recovery is being confirmed.
    public var retryInterval: Duration?
    public var http = HTTPOptions()
    /// tls: fewer days than this before the certificate expires is degraded.
    public var certificateWarningDays = 14
    /// http, tls: a PEM file of extra trusted certificate authorities (a private CA).
    public var caFile: String?
    /// dns: the name must resolve to this address.
    public var expectedAddress: String?
    /// push: the secret in the heartbeat URL, and the silence tolerated past the interval.
    public var pushToken: String?
    public var pushGrace: Duration = .seconds(30)

    /// What an http check sends and expects.
    public struct HTTPOptions: Sendable, Hashable, Codable {
        public var method = "GET"
        public var headers: [String: String] = [:]
        public var body: String?
        public var expectedStatuses: [ClosedRange<Int>] = [200...299]
        public var bodyContains: String?
        public var bodyNotContains: String?
        /// A dotted path into a JSON body ("data.status", "items.0.state") and the value expected there.
        public var jsonPath: String?
        public var jsonValue: String?
        public var followRedirects = true

        public init() {}
    }

    /// The number of regions that must agree on an outage.
    public var effectiveQuorum: Int { quorum ?? (regions.count / 2 + 1) }

    /// The delay between runs while a state change is being confirmed.
    public var effectiveRetryInterval: Duration {
        retryInterval ?? max(.seconds(1), interval / 3)
    }

    public init(
        productSlug: String, name: String, kind: CheckKind, target: String,
        interval: Duration = .seconds(60), timeout: Duration = .seconds(10),
        failAfter: Int = 3, recoverAfter: Int = 2, degradedAbove: Duration? = nil,
        regions: [String] = ["default"]
    ) {
        self.id = "\(productSlug)/\(name)"
        self.productSlug = productSlug
        self.name = name
        self.kind = kind
        self.target = target
        self.interval = interval
        self.timeout = timeout
        self.failAfter = failAfter
        self.recoverAfter = recoverAfter
        self.degradedAbove = degradedAbove
        self.regions = regions
    }
}
