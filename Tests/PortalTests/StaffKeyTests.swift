import Foundation
import GRDB
import Portal
import StatusModel
import Testing

/// Staff API keys: stored hashed, shown once, tied to an active operator, revocable, and never
/// mistaken for a tenant's key.
@Suite struct StaffKeyTests {
    func activeOperator(_ fixture: PortalFixture, role: User.StaffRole = .operator_) async throws -> User {
        let link = try #require(try await fixture.accounts.createStaffUser(email: "ops@vendor.fr", role: role))
        return try await fixture.accounts.activate(token: String(link.split(separator: "/").last ?? ""),
                                                   form: .init(firstName: "O", lastName: "P", phone: "1", password: "Secret#2026", confirmation: "Secret#2026"))
    }

    func setStaff(_ fixture: PortalFixture, _ user: User, role: String?, state: String = "active") async throws {
        try await fixture.database.writer.write { db in
            try db.execute(sql: "UPDATE user SET staffRole = ?, state = ? WHERE id = ?", arguments: [role, state, user.id])
        }
    }

    @Test func aKeyIsStoredHashedAndWorksOnlyWhileItsCreatorIsAnActiveOperator() async throws {
        let fixture = try PortalFixture()
        let user = try await activeOperator(fixture)
        let (key, secret) = try await fixture.accounts.createStaffKey(userID: user.id, name: "  deploy  ")
        #expect(key.name == "deploy")
        #expect(secret.hasPrefix("sdstaff_") && secret.count > 40)
        #expect(secret.hasPrefix(key.prefix))
        let stored = try await fixture.database.writer.read { db in try String.fetchAll(db, sql: "SELECT hash FROM staffKey") }
        #expect(stored == [Secrets.hash(secret)], "only the hash is kept")
        #expect(try await fixture.accounts.authenticateStaff(bearer: secret)?.id == key.id)

        try await setStaff(fixture, user, role: nil)
        #expect(try await fixture.accounts.authenticateStaff(bearer: secret) == nil, "the role is gone")
        try await setStaff(fixture, user, role: "agent")
        #expect(try await fixture.accounts.authenticateStaff(bearer: secret) == nil, "agents are not operators")
        try await setStaff(fixture, user, role: "operator", state: "disabled")
        #expect(try await fixture.accounts.authenticateStaff(bearer: secret) == nil, "a disabled account")
        try await setStaff(fixture, user, role: "operator")
        #expect(try await fixture.accounts.authenticateStaff(bearer: secret) != nil, "back with the role")

        fixture.clock.advance(60)
        try await fixture.accounts.revokeStaffKey(id: key.id)
        #expect(try await fixture.accounts.authenticateStaff(bearer: secret) == nil)
        #expect(try await fixture.accounts.staffKeys().first?.revokedAt == fixture.clock.now)
        await #expect(throws: StaffKeyError.unknownKey) { try await fixture.accounts.revokeStaffKey(id: key.id) }
    }

    @Test func staffAndTenantKeysAreNotInterchangeable() async throws {
        let fixture = try PortalFixture()
        let user = try await activeOperator(fixture)
        let staff = try await fixture.accounts.createStaffKey(userID: user.id, name: "ops").secret
        let tenant = try await fixture.accounts.createAPIKey(tenantID: try await fixture.tenant().id, name: "client").secret
        #expect(try await fixture.accounts.authenticate(bearer: staff) == nil)
        #expect(try await fixture.accounts.authenticateStaff(bearer: tenant) == nil)
        #expect(try await fixture.accounts.authenticateStaff(bearer: "sdstaff_" + String(staff.dropFirst(8).reversed())) == nil)
    }

    @Test func onlyOperatorsGetKeysAndNamesAreRequired() async throws {
        let fixture = try PortalFixture()
        let agent = try await activeOperator(fixture, role: .agent)
        await #expect(throws: StaffKeyError.notAnOperator) { _ = try await fixture.accounts.createStaffKey(userID: agent.id, name: "x") }
        try await setStaff(fixture, agent, role: "operator")
        await #expect(throws: FormErrors("keyName", "error_required")) { _ = try await fixture.accounts.createStaffKey(userID: agent.id, name: " ") }
        #expect(try await fixture.accounts.staffKeys().isEmpty)
    }
}
