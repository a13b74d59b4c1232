import Foundation
import Notify
@testable import Portal
import StatusModel
import Testing

/// The small rules of the flow: PKCE, the landing path, and the pending login's single use
/// when two callbacks race.
@Suite("OpenID Connect: flow rules")
struct OpenIDRulesTests {
    @Test("The S256 challenge is RFC 7636's own example")
    func pkce() {
        #expect(OpenIDSignIn.codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test("Only a path of this site is a landing page", arguments: [
        ("/services?tab=2", "/services?tab=2"), ("/", "/"), (nil, "/"), ("", "/"),
        ("https://evil.example.com/", "/"), ("//evil.example.com", "/"), ("/\\evil.example.com", "/"),
        ("/a b", "/"), ("/a\nLocation: x", "/"), ("services", "/"),
    ] as [(String?, String)])
    func landingPath(given: String?, expected: String) {
        #expect(OpenIDSignIn.localPath(given) == expected)
    }

    @Test("Of two callbacks with the same state, one takes the pending login")
    func singleUseUnderRace() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-oidc-race-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("db.sqlite").path,
                                               migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()])
        let store = SQLiteOpenIDStore(database: database)
        let now = Date()
        for round in 0..<20 {
            let login = PendingOpenIDLogin(stateHash: "state-\(round)", browserKeyHash: "b", providerID: "p", nonce: "n",
                                           codeVerifier: "v", returnTo: "/", expiresAt: now.addingTimeInterval(600))
            try await store.savePendingLogin(login, now: now)
            let taken = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<2 { group.addTask { try await store.takePendingLogin(stateHash: "state-\(round)") != nil } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(taken == 1)
        }
    }

    @Test("Saving a pending login drops the expired ones")
    func expiredAreDropped() async throws {
        let database = try SQLiteDatabase.inMemory(migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()])
        let store = SQLiteOpenIDStore(database: database)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func login(_ state: String, expiresAt: Date) -> PendingOpenIDLogin {
            PendingOpenIDLogin(stateHash: state, browserKeyHash: "b", providerID: "p", nonce: "n", codeVerifier: "v", returnTo: "/", expiresAt: expiresAt)
        }
        try await store.savePendingLogin(login("old", expiresAt: now.addingTimeInterval(600)), now: now)
        try await store.savePendingLogin(login("new", expiresAt: now.addingTimeInterval(1300)), now: now.addingTimeInterval(700))
        #expect(try await store.takePendingLogin(stateHash: "old") == nil)
        #expect(try await store.takePendingLogin(stateHash: "new") != nil)
    }
}
