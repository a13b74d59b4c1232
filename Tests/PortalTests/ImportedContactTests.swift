import Foundation
import Portal
import Testing

/// The contact of imported tickets: a pending member account without token or mail, never a
/// silent grant of a tenant to a live account.
@Suite struct ImportedContactTests {
    @Test func anAddressWithoutAccountGetsAPendingMembershipAndNoMail() async throws {
        let portal = try PortalFixture()
        let tenant = try await portal.tenant()
        let outcome = try await portal.store.importContact(User(email: "Marie@Example.fr", firstName: "Marie", createdAt: portal.clock.now),
                                                           tenantID: tenant.id)
        guard case .created(let user) = outcome else { Issue.record("\(outcome)"); return }
        #expect(user.state == .pending)
        #expect(user.email == "marie@example.fr")
        #expect(try await portal.store.memberships(userID: user.id).map(\.role) == [.member])
        #expect(try await portal.outbox().isEmpty)
        // The same address again: the same account.
        #expect(try await portal.store.importContact(User(email: "marie@example.fr", createdAt: portal.clock.now), tenantID: tenant.id)
                == .member(try #require(try await portal.store.user(id: user.id))))
    }

    @Test func aPendingAccountJoinsAnActiveOneNotAMemberIsRefused() async throws {
        let portal = try PortalFixture()
        let first = try await portal.tenant("90000001")
        let second = try await portal.tenant("90000002")
        guard case .created(let pending) = try await portal.store.importContact(User(email: "p@example.fr", createdAt: portal.clock.now),
                                                                                tenantID: first.id) else { Issue.record("not created"); return }
        #expect(try await portal.store.importContact(User(email: "p@example.fr", createdAt: portal.clock.now), tenantID: second.id) == .joined(pending))
        #expect(Set(try await portal.store.memberships(userID: pending.id).map(\.tenant.code)) == ["90000001", "90000002"])

        // An administrator invited and activated elsewhere: an import does not give them this tenant.
        let third = try await portal.tenant("90000003")
        let admin = try await portal.activeUser("admin@example.fr", tenant: third, role: .admin)
        let outcome = try await portal.store.importContact(User(email: "admin@example.fr", createdAt: portal.clock.now), tenantID: first.id)
        guard case .refused = outcome else { Issue.record("\(outcome)"); return }
        #expect(try await portal.store.memberships(userID: admin.id).map(\.tenant.code) == ["90000003"])
    }
}
