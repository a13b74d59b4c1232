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
