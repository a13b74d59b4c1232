import StatusModel

extension ProductStore {
    /// The products `audience` sees and their slugs, in grid order: what a reader of the pages,
    /// the feeds, the APIs and the subscriptions may see and follow. The one rule is
    /// `ProductAudience.sees`; this is the one place a surface asks the store for it.
    func visibleProducts(for audience: ProductAudience) async throws -> (products: [Product], slugs: Set<String>) {
        let products = audience.visible(try await products())
        return (products, Set(products.map(\.slug)))
    }

    /// The product of `slug` when `audience` sees it; nil for an unknown slug and for a product
    /// the reader may not see alike, so both answer the same 404.
    func visibleProduct(slug: String, for audience: ProductAudience) async throws -> Product? {
        guard let product = try await product(slug: slug), audience.sees(product) else { return nil }
        return product
    }
}

extension ProductAudience {
    /// The same reader without "Mes services": the key of pages that show no such section
    /// (product pages, feeds, the Statuspage API), so every user of a tenant shares one copy.
    var withoutMine: ProductAudience { ProductAudience(reader: reader, entitled: entitled) }
}
