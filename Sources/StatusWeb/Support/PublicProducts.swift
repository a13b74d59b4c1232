import StatusModel

extension ProductStore {
    /// The public products and their slugs: what readers of the pages, the API and the
    /// subscriptions may see and follow (hidden products stay out). One rule, one place.
    func publicProducts() async throws -> (products: [Product], slugs: Set<String>) {
        let products = try await products().filter { $0.visibility == .public }
        return (products, Set(products.map(\.slug)))
    }
}
