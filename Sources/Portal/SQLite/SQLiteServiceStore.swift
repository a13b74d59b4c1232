import Foundation
import GRDB
import Notify
import StatusModel

/// The service catalog and its subscriptions on SQLite. A decision's mail goes into the outbox
/// in the same transaction as the decision.
public struct SQLiteServiceStore: ServiceStore {
    let writer: any DatabaseWriter

    public init(database: SQLiteDatabase) {
        writer = database.writer
    }

    public func createService(_ service: Service) async throws -> Service {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO service (name, family, description, isActive, needsValidation) VALUES (?, ?, ?, ?, ?)",
                           arguments: [service.name, service.family, service.description, service.isActive, service.needsValidation])
            var created = service
            created.id = db.lastInsertedRowID
            try Self.replaceProducts(of: created.id, with: created.productSlugs, in: db)
            return created
        }
    }

    public func updateService(_ service: Service) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "UPDATE service SET name = ?, family = ?, description = ?, isActive = ?, needsValidation = ? WHERE id = ?",
                           arguments: [service.name, service.family, service.description, service.isActive, service.needsValidation, service.id])
            guard db.changesCount == 1 else { return false }
            try Self.replaceProducts(of: service.id, with: service.productSlugs, in: db)
            return true
        }
    }

    public func service(id: Int64) async throws -> Service? {
        try await writer.read { db in
            try Self.withProducts(Row.fetchAll(db, sql: "SELECT * FROM service WHERE id = ?", arguments: [id]).map(Service.init(row:)), in: db).first
        }
    }

    public func service(named name: String) async throws -> Service? {
        try await writer.read { db in
            try Self.withProducts(Row.fetchAll(db, sql: "SELECT * FROM service WHERE name = ? COLLATE NOCASE", arguments: [name])
                .map(Service.init(row:)), in: db).first
        }
    }

    public func services() async throws -> [Service] {
        try await writer.read { db in
            try Self.withProducts(Row.fetchAll(db, sql: "SELECT * FROM service ORDER BY family COLLATE NOCASE, name COLLATE NOCASE")
                .map(Service.init(row:)), in: db)
        }
    }

    public func requestSubscription(_ subscription: ServiceSubscription) async throws -> ServiceSubscription? {
        try await writer.write { db in try Self.insertRequest(subscription, in: db) }
    }

    public func requestSubscriptions(_ subscriptions: [ServiceSubscription]) async throws -> [ServiceSubscription] {
        try await writer.write { db in try subscriptions.compactMap { try Self.insertRequest($0, in: db) } }
    }

    /// One request inside the caller's transaction; nil when a live one exists. Only pending
    /// and accepted are recorded: a request never starts refused or suspended.
    private static func insertRequest(_ subscription: ServiceSubscription, in db: Database) throws -> ServiceSubscription? {
        let live = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM serviceSubscription WHERE tenantID = ? AND userID = ? AND serviceID = ? AND state <> 'refused')
            """, arguments: [subscription.tenantID, subscription.userID, subscription.serviceID]) ?? false
        guard !live else { return nil }
        var created = subscription
        created.state = subscription.state == .accepted ? .accepted : .pending
        created.reason = ""
        created.decidedAt = created.state == .accepted ? (subscription.decidedAt ?? subscription.requestedAt) : nil
        try db.execute(sql: """
            INSERT INTO serviceSubscription (tenantID, userID, serviceID, state, reason, requestedAt, decidedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [created.tenantID, created.userID, created.serviceID, created.state.rawValue, "",
                             created.requestedAt.timeIntervalSince1970, created.decidedAt?.timeIntervalSince1970])
        created.id = db.lastInsertedRowID
        return created
    }

    public func giveUp(id: Int64, userID: Int64, tenantID: Int64, states: Set<ServiceSubscription.State>) async throws -> ServiceSubscription? {
        try await writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM serviceSubscription WHERE id = ? AND userID = ? AND tenantID = ?",
                                             arguments: [id, userID, tenantID]) else { return nil }
            let subscription = try ServiceSubscription(row: row)
            guard states.contains(subscription.state) else { return nil }
            try db.execute(sql: "DELETE FROM serviceSubscription WHERE id = ?", arguments: [id])
            return subscription
        }
    }

    /// The joined columns of a request: subscription and service columns renamed so that the
    /// user's own columns (`id`, `state`...) stay unambiguous.
    private static let requestSQL = """
        SELECT user.*,
               sub.id AS subID, sub.tenantID AS subTenantID, sub.userID AS subUserID, sub.serviceID AS subServiceID,
               sub.state AS subState, sub.reason AS subReason, sub.requestedAt AS subRequestedAt, sub.decidedAt AS subDecidedAt,
               service.name AS serviceName, service.family AS serviceFamily, service.description AS serviceDescription,
               service.isActive AS serviceIsActive, service.needsValidation AS serviceNeedsValidation
        FROM serviceSubscription sub
        JOIN service ON service.id = sub.serviceID
        JOIN user ON user.id = sub.userID
        """

    public func request(id: Int64, tenantID: Int64) async throws -> ServiceRequest? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: Self.requestSQL + " WHERE sub.id = ? AND sub.tenantID = ?", arguments: [id, tenantID])
                .map(ServiceRequest.init(row:))
        }
    }

    public func requests(tenantID: Int64) async throws -> [ServiceRequest] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: Self.requestSQL + """
                 WHERE sub.tenantID = ?
                ORDER BY CASE sub.state WHEN 'pending' THEN 0 ELSE 1 END, sub.requestedAt DESC, sub.id DESC
                """, arguments: [tenantID]).map(ServiceRequest.init(row:))
        }
    }

    public func subscriptions(userID: Int64, tenantID: Int64) async throws -> [ServiceSubscription] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM serviceSubscription WHERE userID = ? AND tenantID = ? ORDER BY requestedAt DESC, id DESC
                """, arguments: [userID, tenantID]).map(ServiceSubscription.init(row:))
        }
    }

    public func decide(id: Int64, tenantID: Int64, decision: ServiceDecision, reason: String, at: Date, mail: Mail?) async throws -> Bool {
        try await writer.write { db in
            // Compare and set: a second administrator deciding on the same request changes nothing.
            try db.execute(sql: """
                UPDATE serviceSubscription SET state = ?, reason = ?, decidedAt = ? WHERE id = ? AND tenantID = ? AND state = ?
                """, arguments: [decision.to.rawValue, reason, at.timeIntervalSince1970, id, tenantID, decision.from.rawValue])
            guard db.changesCount == 1 else { return false }
            if let mail { try Outbox.enqueue(mail, in: db, now: at) }
            return true
        }
    }

    public func counts(tenantID: Int64) async throws -> ServiceCounts {
        try await writer.read { db in
            let services = try Int.fetchOne(db, sql: """
                SELECT COUNT(DISTINCT serviceID) FROM serviceSubscription WHERE tenantID = ? AND state = 'accepted'
                """, arguments: [tenantID]) ?? 0
            let pending = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM serviceSubscription WHERE tenantID = ? AND state = 'pending'
                """, arguments: [tenantID]) ?? 0
            return ServiceCounts(services: services, pendingRequests: pending)
        }
    }
}

// Columns are decoded with `try`, never read with `row["column"]`: GRDB's subscript traps on a
// NULL or a value of another type, and one damaged row would stop the whole server.

extension Service {
    init(row: Row) throws {
        self.init(id: try row.decode(Int64.self, forColumn: "id"), name: try row.decode(String.self, forColumn: "name"),
                  family: try row.decode(String.self, forColumn: "family"), description: try row.decode(String.self, forColumn: "description"),
                  isActive: try row.decode(Bool.self, forColumn: "isActive"),
                  needsValidation: try row.decode(Bool.self, forColumn: "needsValidation"))
    }
}

extension ServiceSubscription {
    init(row: Row) throws {
        let decided = try row.decode(Double?.self, forColumn: "decidedAt")
        self.init(id: try row.decode(Int64.self, forColumn: "id"), tenantID: try row.decode(Int64.self, forColumn: "tenantID"),
                  userID: try row.decode(Int64.self, forColumn: "userID"), serviceID: try row.decode(Int64.self, forColumn: "serviceID"),
                  state: State(rawValue: try row.decode(String.self, forColumn: "state")) ?? .refused,
                  reason: try row.decode(String.self, forColumn: "reason"),
                  requestedAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "requestedAt")),
                  decidedAt: decided.map(Date.init(timeIntervalSince1970:)))
    }
}

extension ServiceRequest {
    init(row: Row) throws {
        let decided = try row.decode(Double?.self, forColumn: "subDecidedAt")
        let serviceID = try row.decode(Int64.self, forColumn: "subServiceID")
        let subscription = ServiceSubscription(
            id: try row.decode(Int64.self, forColumn: "subID"), tenantID: try row.decode(Int64.self, forColumn: "subTenantID"),
            userID: try row.decode(Int64.self, forColumn: "subUserID"), serviceID: serviceID,
            state: ServiceSubscription.State(rawValue: try row.decode(String.self, forColumn: "subState")) ?? .refused,
            reason: try row.decode(String.self, forColumn: "subReason"),
            requestedAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "subRequestedAt")),
            decidedAt: decided.map(Date.init(timeIntervalSince1970:)))
        let service = Service(id: serviceID, name: try row.decode(String.self, forColumn: "serviceName"),
                              family: try row.decode(String.self, forColumn: "serviceFamily"),
                              description: try row.decode(String.self, forColumn: "serviceDescription"),
                              isActive: try row.decode(Bool.self, forColumn: "serviceIsActive"),
                              needsValidation: try row.decode(Bool.self, forColumn: "serviceNeedsValidation"))
        // The request lists do not read the service's product ties: none of them shows them.
        self.init(subscription: subscription, service: service, requester: try User(row: row))
    }
}
