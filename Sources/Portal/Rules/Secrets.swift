import Crypto
import Foundation
import HummingbirdBcrypt

/// Random tokens and their stored hashes, and password hashing.
public enum Secrets {
    /// 256 random bits, URL-safe: links and session ids.
    public static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// What the store keeps of a token: its SHA-256, so a stolen database opens no account.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// bcrypt; `cost` 12 or more outside tests. It blocks its thread for as long as bcrypt
    /// takes: the account rules go through `PasswordHasher`, which runs it on a thread pool.
    public static func hashPassword(_ password: String, cost: UInt8) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// Blocks like `hashPassword`; prefer `PasswordHasher.verify`.
    public static func verifyPassword(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }
}
