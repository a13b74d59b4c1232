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
    /// Consecutive failures before the check is confirmed down.
    public var failAfter: Int
    /// Consecutive successes before a down check is confirmed up again.
    public var recoverAfter: Int
    /// Slower than this is degraded; nil means speed is not judged.
    public var degradedAbove: Duration?
    public var regions: [String]

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
