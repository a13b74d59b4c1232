import Foundation
import Portal
import Synchronization
import Testing

/// Issue 9, items 1 to 3: throttling by account and by address apart, the same work for every
/// refusal, and bcrypt off the callers' executors.
@Suite(.serialized) struct ThrottleAndTimingTests {
    func login(_ fixture: PortalFixture, _ email: String, _ password: String, from address: String) async throws -> String {
        switch try await fixture.accounts.login(email: email, password: password, clientAddress: address) {
        case .success: "success"
        case .failed: "failed"
        case .throttled: "throttled"
        }
    }

    @Test func wrongPasswordsFromOneAddressNeverLockAnotherAccountOut() async throws {
        let fixture = try PortalFixture()
        let tenant = try await fixture.tenant()
        _ = try await fixture.activeUser("a@client.fr", tenant: tenant, password: "Alpha#2026")
        _ = try await fixture.activeUser("operator@vendor.fr", tenant: tenant, password: "Bravo#2026")
        var answers: [String] = []
        for _ in 0..<20 { answers.append(try await login(fixture, "a@client.fr", "wrong", from: "127.0.0.1")) }
        #expect(answers == Array(repeating: "failed", count: 5) + Array(repeating: "throttled", count: 15))

        #expect(try await login(fixture, "operator@vendor.fr", "Bravo#2026", from: "127.0.0.1") == "success",
                "another account's correct password from the same address")
        #expect(try await login(fixture, "a@client.fr", "Alpha#2026", from: "127.0.0.1") == "throttled",
                "the guessed account, from the guessing address")
        #expect(try await login(fixture, "a@client.fr", "Alpha#2026", from: "10.0.0.2") == "success",
                "the guessed account from another address")
    }

    @Test func guessingOneAccountFromManyAddressesLocksItEverywhereAt50() async throws {
        let fixture = try PortalFixture()
        let tenant = try await fixture.tenant()
        _ = try await fixture.activeUser("a@client.fr", tenant: tenant, password: "Alpha#2026")
        _ = try await fixture.activeUser("b@client.fr", tenant: tenant, password: "Bravo#2026")
        // 49 failures from ten addresses: not yet.
        for index in 0..<49 { _ = try await login(fixture, "a@client.fr", "wrong", from: "10.0.\(index / 5).1") }
        #expect(try await login(fixture, "a@client.fr", "Alpha#2026", from: "192.168.1.1") == "success")
        // A success clears only its own address's counter: one more failure elsewhere makes 50.
        _ = try await login(fixture, "a@client.fr", "wrong", from: "10.0.9.1")
        #expect(try await login(fixture, "a@client.fr", "Alpha#2026", from: "192.168.1.2") == "throttled")
        #expect(try await login(fixture, "b@client.fr", "Bravo#2026", from: "10.0.0.1") == "success",
                "the other accounts, even from the guessing addresses")
        fixture.clock.advance(LoginThrottle.window + 1)
        #expect(try await login(fixture, "a@client.fr", "Alpha#2026", from: "192.168.1.2") == "success")
    }

    @Test func sprayingManyAccountsFromOneAddressStopsThatAddressAt200() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("c@client.fr", tenant: try await fixture.tenant(), password: "Charlie#2026")
        for index in 0..<199 { _ = try await login(fixture, "user\(index)@client.fr", "Summer2026!", from: "203.0.113.9") }
        #expect(try await login(fixture, "c@client.fr", "Charlie#2026", from: "203.0.113.9") == "success", "199 failures: not yet")
        _ = try await login(fixture, "user199@client.fr", "Summer2026!", from: "203.0.113.9")
        #expect(try await login(fixture, "c@client.fr", "Charlie#2026", from: "203.0.113.9") == "throttled")
        #expect(try await login(fixture, "c@client.fr", "Charlie#2026", from: "198.51.100.1") == "success")
    }

    @Test func aSuccessClearsThePairsCounter() async throws {
        let fixture = try PortalFixture()
        _ = try await fixture.activeUser("a@client.fr", tenant: try await fixture.tenant(), password: "Alpha#2026")
        for _ in 0..<4 { _ = try await login(fixture, "a@client.fr", "typo", from: "1.1.1.1") }
        #expect(try await login(fixture, "a@client.fr", "Alpha#2026", from: "1.1.1.1") == "success")
        for _ in 0..<4 { _ = try await login(fixture, "a@client.fr", "typo", from: "1.1.1.1") }
        #expect(try await login(fixture, "a@client.fr", "Alpha#2026", from: "1.1.1.1") == "success")
    }

    /// Every refusal runs exactly one bcrypt verification, whatever the account: a pending
    /// invitation, a disabled account and an unknown address cost what a wrong password costs.
    @Test func everyRefusalCostsOneVerification() async throws {
        let fixture = try PortalFixture()
        let tenant = try await fixture.tenant()
        _ = try await fixture.activeUser("active@client.fr", tenant: tenant)
        _ = try await fixture.activeUser("disabled@client.fr", tenant: tenant)
        try await fixture.disable("disabled@client.fr")
        _ = try await fixture.accounts.invite("pending@client.fr", tenantID: tenant.id, language: "fr", invitedBy: PortalFixture.inviter)
        let hasher = fixture.accounts.passwords
        for (index, email) in ["active@client.fr", "pending@client.fr", "disabled@client.fr", "nobody@client.fr"].enumerated() {
            let before = hasher.verifications
            #expect(try await login(fixture, email, "Secret#2026x", from: "10.1.0.\(index)") == "failed")
            #expect(hasher.verifications - before == 1, "\(email): one verification")
        }
        let before = hasher.verifications
        #expect(try await login(fixture, "disabled@client.fr", "Secret#2026", from: "10.2.0.1") == "failed",
                "a disabled account's own password opens nothing")
        #expect(try await login(fixture, "active@client.fr", "Secret#2026", from: "10.2.0.1") == "success")
        #expect(hasher.verifications - before == 2)

        // Throttled attempts answer without bcrypt: the answer depends only on the failures counted.
        for _ in 0..<5 { _ = try await login(fixture, "pending@client.fr", "x", from: "10.3.0.1") }
        let throttledBefore = hasher.verifications
        #expect(try await login(fixture, "pending@client.fr", "x", from: "10.3.0.1") == "throttled")
        #expect(hasher.verifications == throttledBefore)
    }

    /// The same, by the clock, at the production cost: a pending account's refusal takes about
    /// as long as an active one's (it took 4 ms against 240 ms before).
    @Test func aPendingAccountsRefusalTakesAsLongAsAnActiveOnes() async throws {
        let fixture = try PortalFixture()
        let accounts = AccountService(store: fixture.store, baseURL: PortalFixture.baseURL, passwords: PasswordHasher(cost: 10))
        let tenant = try await fixture.tenant()
        _ = try await accounts.invite("pending@client.fr", tenantID: tenant.id, language: "fr", invitedBy: PortalFixture.inviter)
        _ = try await accounts.invite("active@client.fr", tenantID: tenant.id, language: "fr", invitedBy: PortalFixture.inviter)
        let token = try #require(try await fixture.token(sentTo: "active@client.fr", path: "activate"))
        _ = try await accounts.activate(token: token, form: PortalFixture.form(password: "Secret#2026"))
        func median(_ email: String) async throws -> Duration {
            var times: [Duration] = []
            for attempt in 0..<5 {
                let start = ContinuousClock.now
                _ = try await accounts.login(email: email, password: "wrong", clientAddress: "\(email)-\(attempt)")
                times.append(ContinuousClock.now - start)
            }
            return times.sorted()[2]
        }
        _ = try await median("warm-up@client.fr")
        let pending = try await median("pending@client.fr")
        let active = try await median("active@client.fr")
        // bcrypt at cost 10 takes tens of milliseconds; a refusal without it, well under one.
        #expect(pending * 4 > active, "pending \(pending), active \(active)")
    }

    /// bcrypt runs on NIO's thread pool: two long hashes at once (as many as Swift concurrency
    /// has threads here) leave the cooperative threads free for other work meanwhile.
    @Test func bcryptLeavesTheCallersExecutorFree() async throws {
        let hasher = PasswordHasher(cost: 13)
        let finished = Finished()
        let width = max(2, ProcessInfo.processInfo.activeProcessorCount)
        let hashing = (0..<width).map { _ in
            Task {
                _ = try await hasher.hash("Secret#2026")
                finished.count.add(1, ordering: .relaxed)
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        for _ in 0..<10 { await Task.yield() }
        #expect(finished.count.load(ordering: .relaxed) == 0, "other work ran while every hash was still going")
        #expect(hasher.hashes == width)
        for task in hashing { try await task.value }
        #expect(finished.count.load(ordering: .relaxed) == width)
    }
}

final class Finished: Sendable {
    let count = Atomic<Int>(0)
}
