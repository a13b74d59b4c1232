import Foundation

/// A SaaS solution shown as one row of the weather grid ("Cegid Loop").
public struct Product: Sendable, Hashable, Codable {
    /// Who sees the product: everyone; any signed-in customer; only users of tenants with an
    /// accepted subscription to a service that covers it; or nobody (taken off the grid).
    /// `ProductAudience` applies it, in one place, for every surface.
    public enum Visibility: String, Sendable, Hashable, Codable, CaseIterable {
        case `public`
        case customers
        case `private`
        case hidden
    }

    /// Where the product is defined: the config file (which the console cannot change), or
    /// the operators' console.
    public enum Origin: String, Sendable, Hashable, Codable, CaseIterable {
        case config, console
    }

    public var slug: String
    public var name: String
    public var family: String
    public var position: Int
    public var visibility: Visibility
    /// When monitoring of the product began: days before it have no data.
    public var monitoredSince: Date
    /// False for a product reported by hand (no checks): its days count as observed once it exists.
    public var hasChecks: Bool
    public var origin: Origin

    public init(
        slug: String, name: String, family: String, position: Int,
        visibility: Visibility = .public, monitoredSince: Date, hasChecks: Bool = true, origin: Origin = .config
    ) {
        self.origin = origin
        self.slug = slug
        self.name = name
        self.family = family
        self.position = position
        self.visibility = visibility
        self.monitoredSince = monitoredSince
        self.hasChecks = hasChecks
    }
}

/// The rule for product slugs, the same in the config file and in the console: they end up in URLs.
public enum ProductSlug {
    public static func isValid(_ slug: String) -> Bool {
        !slug.isEmpty && slug.count <= 64 && slug.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }
}
