import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt for the account rules, run on NIO's blocking thread pool (`NIOThreadPool.singleton`)
/// so that 240 ms of hashing never holds one of the few threads Swift concurrency has (two on
/// a two-core machine). It counts what it does: tests check that every refused login costs one
/// verification, whether the account is active, pending, disabled or unknown.
public final class PasswordHasher: Sendable {
    /// bcrypt's cost: 12 or more in production; tests may go lower to stay fast.
    public let cost: UInt8
    private let verificationCount = Atomic<Int>(0)
    private let hashCount = Atomic<Int>(0)

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    /// How many verifications ran (decoys included) since this hasher was made.
    public var verifications: Int { verificationCount.load(ordering: .relaxed) }
    /// How many new hashes were made (the decoy's excepted).
    public var hashes: Int { hashCount.load(ordering: .relaxed) }

    public func hash(_ password: String) async throws -> String {
        hashCount.add(1, ordering: .relaxed)
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        verificationCount.add(1, ordering: .relaxed)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Checks `password` against `hash`, or against a decoy of the same cost when there is no
    /// usable hash: the answer is then false, after the same work.
    public func verify(_ password: String, hashOrDecoy hash: String?) async throws -> Bool {
        guard let hash else {
            _ = try await verify(password, hash: try await DecoyPassword.hash(cost: cost))
            return false
        }
        return try await verify(password, hash: hash)
    }
}

/// bcrypt hashes of nothing anyone knows, one per cost, made on first use: checked against
/// when an account does not exist or has no usable password, so that refusal costs the same.
enum DecoyPassword {
    private static let hashes = Mutex<[UInt8: String]>([:])

    static func hash(cost: UInt8) async throws -> String {
        if let known = hashes.withLock({ $0[cost] }) { return known }
        let secret = Secrets.token()
        let made = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(secret, cost: cost) }
        // Two first uses at once may both make one: the first stored wins, both are as good.
        return hashes.withLock { table in
            if let known = table[cost] { return known }
            table[cost] = made
            return made
        }
    }
}
