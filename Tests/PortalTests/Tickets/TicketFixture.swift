import Foundation
import GRDB
import Notify
import Portal
import StatusModel
import Testing

/// Tickets over a real SQLite file in WAL mode, with two customer accounts: tenant A has two
/// members (Alice, Bob) and an administrator (Adèle), tenant B one member (Berthe); Gaston is
/// an agent. Users are written straight into the tables, so the outbox holds only ticket mails.
struct TicketFixture {
    let database: SQLiteDatabase
    let store: SQLiteTicketStore
    let accounts: SQLiteAccountStore
    let clock = TestClock()
    let tenantA: Tenant, tenantB: Tenant
    let alice: User, bob: User, adele: User, berthe: User, gaston: User
    let folder: URL

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tickets-\(UUID().uuidString)")
        database = try SQLiteDatabase.open(path: folder.appendingPathComponent("tickets.sqlite").path,
                                           migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()])
        let database = self.database
        store = SQLiteTicketStore(database: database)
        let accounts = SQLiteAccountStore(database: database)
        self.accounts = accounts
        tenantA = try await accounts.createTenant(Tenant(code: "11111111", name: "Client A"))
        tenantB = try await accounts.createTenant(Tenant(code: "22222222", name: "Client B"))
        let writer = database.writer
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func user(_ email: String, _ first: String, tenant: Tenant?, role: Membership.Role = .member, staff: User.StaffRole? = nil,
                  language: String = "fr") async throws -> User {
            let id = try await writer.write { db -> Int64 in
                try db.execute(sql: """
                    INSERT INTO user (email, firstName, lastName, language, state, staffRole, createdAt) VALUES (?, ?, 'Test', ?, 'active', ?, ?)
                    """, arguments: [email, first, language, staff?.rawValue, now.timeIntervalSince1970])
                let id = db.lastInsertedRowID
                if let tenant {
                    try db.execute(sql: "INSERT INTO membership (userID, tenantID, role) VALUES (?, ?, ?)", arguments: [id, tenant.id, role.rawValue])
                }
                return id
            }
            guard let user = try await accounts.user(id: id) else { throw TicketFixtureError() }
            return user
        }
        alice = try await user("alice@a.fr", "Alice", tenant: tenantA)
        bob = try await user("bob@a.fr", "Bob", tenant: tenantA, language: "en")
        adele = try await user("adele@a.fr", "Adèle", tenant: tenantA, role: .admin)
        berthe = try await user("berthe@b.fr", "Berthe", tenant: tenantB)
        gaston = try await user("gaston@vendor.fr", "Gaston", tenant: nil, staff: .agent)
    }

    func reader(_ user: User) -> TicketReader {
        if user.staffRole != nil { return TicketReader(userID: user.id, isStaff: true) }
        return TicketReader(userID: user.id, adminTenantIDs: user.id == adele.id ? [tenantA.id] : [])
    }

    func draft(_ subject: String, by user: User, tenant: Tenant? = nil, description: String = "Ça ne marche pas.",
               type: String = "incident", product: String? = "cegid-loop", priority: TicketPriority = .moderate,
               followUps: [String] = [], attachments: [TicketAttachment] = [], due: Date? = nil) -> TicketDraft {
        TicketDraft(tenantID: (tenant ?? (user.id == berthe.id ? tenantB : tenantA)).id, contactUserID: user.id, type: type,
                    subject: subject, productSlug: product, priority: priority, followUpEmails: followUps, language: user.language,
                    firstResponseDueAt: due, description: description, authorName: user.displayName, attachments: attachments)
    }

    @discardableResult
    func open(_ subject: String, by user: User, tenant: Tenant? = nil, description: String = "Ça ne marche pas.", type: String = "incident",
              product: String? = "cegid-loop", priority: TicketPriority = .moderate, followUps: [String] = [],
              attachments: [TicketAttachment] = [], due: Date? = nil, mails: @escaping @Sendable (Ticket) -> [Mail] = { _ in [] }) async throws -> Ticket {
        clock.advance(60)
        return try await store.createTicket(draft(subject, by: user, tenant: tenant, description: description, type: type, product: product,
                                                  priority: priority, followUps: followUps, attachments: attachments, due: due),
                                            at: clock.now, mails: mails)
    }

    /// The mails waiting in the outbox, oldest first.
    func outbox() async throws -> [Mail] {
        try await database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM outboxMessage ORDER BY id").map {
                try JSONDecoder().decode(Mail.self, from: Data($0.utf8))
            }
        }
    }

    func count(_ table: String) async throws -> Int {
        try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    func list(_ reader: TicketReader, text: String = "", states: [TicketState] = [], priority: TicketPriority? = nil, type: String? = nil,
              product: String? = nil, tenant: Int64? = nil, assignee: Int64? = nil, unassigned: Bool = false, contact: Int64? = nil,
              sort: TicketSort = .updated, page: Int = 1, pageSize: Int = 25) async throws -> TicketResults {
        try await store.tickets(TicketQuery(text: text, states: states, priority: priority, type: type, productSlug: product, tenantID: tenant,
                                            assigneeID: assignee, unassignedOnly: unassigned, contactUserID: contact, sort: sort,
                                            page: page, pageSize: pageSize), for: reader)
    }

    func subjects(_ reader: TicketReader, text: String = "", states: [TicketState] = [], sort: TicketSort = .updated) async throws -> [String] {
        try await list(reader, text: text, states: states, sort: sort).tickets.map(\.subject)
    }

    static func blob(_ name: String) -> BlobReference {
        BlobReference(sha256: String(repeating: name.first.map(String.init) ?? "0", count: 64), size: 12, contentType: "application/pdf")
    }
}

struct TicketFixtureError: Error {}
