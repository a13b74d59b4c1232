import Foundation

/// Who reads a page, a feed or an API answer, as far as products go: the one rule every
/// surface asks ("may this reader see this product?"), so that a private product cannot leak
/// through a surface that forgot to filter. Built once per request from the identity
/// (`AudienceMiddleware` in the web layer); the pure rule lives here.
public struct ProductAudience: Sendable, Hashable {
    public enum Reader: String, Sendable, Hashable {
        /// Nobody signed in, or a signed-in user of no customer account: public products only.
        case anonymous
        /// A user of a customer account, or that account's API key: public and customers'
        /// products, and the private ones its tenant is entitled to.
        case customer
        /// The vendor's staff (a signed-in agent or operator, a staff key): every product still on the grid.
        case staff
    }

    public let reader: Reader
    /// Private products the reader's tenant has an accepted subscription to a service covering.
    public let entitled: Set<String>
    /// The products of the reader's own accepted services ("Mes services"); empty for a key.
    public let mine: Set<String>

    public init(reader: Reader, entitled: Set<String> = [], mine: Set<String> = []) {
        self.reader = reader
        self.entitled = reader == .customer ? entitled : []
        self.mine = reader == .anonymous ? [] : mine
    }

    public static let anonymous = ProductAudience(reader: .anonymous)
    public static let staff = ProductAudience(reader: .staff)

    /// The rule: hidden is nobody's; public is everyone's; customers' needs a signed-in
    /// customer (or staff); private needs the tenant's entitlement (or staff).
    public func sees(_ product: Product) -> Bool {
        switch product.visibility {
        case .hidden: false
        case .public: true
        case .customers: reader != .anonymous
        case .private: reader == .staff || entitled.contains(product.slug)
        }
    }

    /// The products this reader sees, in the order given.
    public func visible(_ products: [Product]) -> [Product] {
        products.filter(sees)
    }

    /// The slugs this reader sees among `products`.
    public func visibleSlugs(_ products: [Product]) -> Set<String> {
        Set(products.lazy.filter(sees).map(\.slug))
    }

    /// True when the reader sees exactly what an anonymous visitor sees and has no "Mes
    /// services": the shared public copy of a cached page serves them.
    public var readsAsAnonymous: Bool { reader == .anonymous }

    /// A stable name for this audience, for cache keys: two readers with the same name see the
    /// same products in the same sections. Anonymous is "", so the public copy's key is unchanged.
    public var cacheName: String {
        switch reader {
        case .anonymous: return ""
        case .staff: return "staff|" + mine.sorted().joined(separator: ",")
        case .customer: return "customer|" + entitled.sorted().joined(separator: ",") + "|" + mine.sorted().joined(separator: ",")
        }
    }
}
