import GRDB

extension SQLiteServiceStore {
    public func productAccess(tenantID: Int64, userID: Int64?) async throws -> ProductAccess {
        try await writer.read { db in
            // A retired service keeps opening its products to those who have it: retiring stops
            // new requests only (see `Service.isActive`).
            let rows = try Row.fetchAll(db, sql: """
                SELECT DISTINCT p.productSlug, s.userID = ? AS own
                FROM serviceSubscription s JOIN serviceProduct p ON p.serviceID = s.serviceID
                WHERE s.tenantID = ? AND s.state = 'accepted'
                """, arguments: [userID ?? -1, tenantID])
            var access = ProductAccess()
            for row in rows {
                let slug: String = try row.decode(String.self, atIndex: 0)
                access.tenantProducts.insert(slug)
                if try row.decode(Bool.self, atIndex: 1) { access.userProducts.insert(slug) }
            }
            return access
        }
    }
}

extension SQLiteServiceStore {
    /// Replaces a service's product ties inside the caller's transaction, so a service is never
    /// read with half of its old ties and half of its new ones.
    static func replaceProducts(of serviceID: Int64, with slugs: [String], in db: Database) throws {
        try db.execute(sql: "DELETE FROM serviceProduct WHERE serviceID = ?", arguments: [serviceID])
        for slug in Set(slugs) {
            try db.execute(sql: "INSERT INTO serviceProduct (serviceID, productSlug) VALUES (?, ?)", arguments: [serviceID, slug])
        }
    }

    /// `services` with their product slugs, read in one query.
    static func withProducts(_ services: [Service], in db: Database) throws -> [Service] {
        guard !services.isEmpty else { return services }
        var slugs: [Int64: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT serviceID, productSlug FROM serviceProduct ORDER BY productSlug") {
            slugs[try row.decode(Int64.self, atIndex: 0), default: []].append(try row.decode(String.self, atIndex: 1))
        }
        return services.map { service in
            var service = service
            service.productSlugs = slugs[service.id] ?? []
            return service
        }
    }
}
