import Foundation
import GRDB
import Notify
import Portal
import StatusModel
import Synchronization

/// A clock the tests move by hand.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// The account rules over a real SQLite database in memory, with a clock the test controls.
struct PortalFixture {
    let database: SQLiteDatabase
    let store: SQLiteAccountStore
    let accounts: AccountService
    let clock = TestClock()
    static let baseURL = "https://portal.example.com"
    static let inviter = Inviter(name: "Ada Lovelace", email: "ada@vendor.fr")

    init() throws {
        try self.init(database: SQLiteDatabase.inMemory(migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()]))
    }

    /// The same rules over a database the test opened (a file in WAL mode, say).
    init(database: SQLiteDatabase) throws {
        self.database = database
        store = SQLiteAccountStore(database: database)
        let clock = self.clock
        // bcrypt cost 4 keeps the tests fast; production uses 12 (checked in SecurityTests).
        accounts = AccountService(store: store, baseURL: Self.baseURL, passwords: PasswordHasher(cost: 4), clock: { clock.now })
    }

    func tenant(_ code: String = "90266482") async throws -> Tenant {
        try await store.createTenant(Tenant(code: code, name: "Client \(code)"))
    }

    /// The mails waiting in the outbox, oldest first.
    func outbox() async throws -> [Mail] {
        try await database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM outboxMessage ORDER BY id").map {
                try JSONDecoder().decode(Mail.self, from: Data($0.utf8))
            }
        }
    }

    /// The mails sent to `email`, oldest first.
    func mails(to email: String) async throws -> [Mail] {
        try await outbox().filter { $0.to == email }
    }

    /// Makes an account disabled, as staff would.
    func disable(_ email: String) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE user SET state = 'disabled' WHERE email = ?", arguments: [email])
        }
    }

    /// The token in the last mail sent to `email`, read from its link.
    func token(sentTo email: String, path: String) async throws -> String? {
        guard let mail = try await outbox().last(where: { $0.to == email }),
              let range = mail.text.range(of: "\(Self.baseURL)/\(path)/") else { return nil }
        // The token ends at the link's query (`?lang=`, the reader's language) or its end.
        return String(mail.text[range.upperBound...].prefix { !$0.isWhitespace && $0 != "?" })
    }

    /// An active user with a password, through invitation and activation.
    func activeUser(_ email: String, tenant: Tenant, password: String = "Secret#2026", role: Membership.Role = .member,
                    language: String = "fr") async throws -> User {
        _ = try await accounts.invite(email, tenantID: tenant.id, role: role, language: language, invitedBy: Self.inviter)
        let token = try await token(sentTo: email, path: "activate") ?? ""
        return try await accounts.activate(token: token, form: .init(firstName: "Ada", lastName: "Lovelace", phone: "0102030405",
                                                                    password: password, confirmation: password))
    }
}
