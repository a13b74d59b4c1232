import Crypto
import Foundation
import StatusModel
import Synchronization

/// Following status updates: anonymous requests confirmed by a link (double opt-in), one-click
/// subscriptions of logged-in users, and the links of every mail (settings, unsubscribe).
///
/// Settings links carry `id-signature`, an HMAC of the id under the installation's secret:
/// every mail can hold one without storing it, and deleting the subscription kills them all.
/// Confirmation tokens are random and stored hashed, like the portal's.
public struct SubscriptionService: Sendable {
    public let store: any SubscriptionStore
    let baseURL: String
    let mails: StatusMails
    /// The installation's link secret never changes once made: read once, not on every link.
    private let cachedKey = KeyCache()

    public init(store: any SubscriptionStore, baseURL: String, siteName: StatusConfig.Branding.Text = StatusConfig.Branding.defaultName) {
        self.store = store
        self.baseURL = baseURL
        self.mails = StatusMails(baseURL: baseURL, siteName: siteName)
    }

    /// Records an anonymous request and queues its mail: a confirmation link, or for an
    /// address that already follows updates, a link to its settings. The caller answers the
    /// same in both cases, so nobody learns who subscribed.
    @discardableResult
    public func request(email: String, language: String, productSlugs: [String], now: Date) async throws -> SubscriptionRequestOutcome {
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard MailAddress.isValidAddress(address), MailAddress.isSafeRecipient(address) else { throw SubscriptionError.invalidEmail }
        let token = Self.randomToken()
        let key = try await linkKey()
        let mails = self.mails, base = baseURL
        return try await store.request(address: address, language: language, productSlugs: productSlugs,
                                       confirmationHash: Self.hash(token), now: now) { outcome in
            switch outcome {
            case .awaitingConfirmation:
                mails.confirmation(to: address, language: language, link: "\(base)/subscriptions/confirm/\(token)")
            case .alreadyConfirmed(let id):
                mails.alreadySubscribed(to: address, language: language, manageLink: "\(base)/subscriptions/\(Self.manageToken(id: id, key: key))")
            }
        }
    }

    /// The subscription a confirmation link confirms, or nil when it is unknown or expired.
    public func confirm(token: String, now: Date) async throws -> StatusSubscription? {
        try await store.confirm(confirmationHash: Self.hash(token), now: now)
    }

    public func subscribeUser(userID: Int64, email: String, language: String, productSlugs: [String], now: Date) async throws -> StatusSubscription {
        try await store.subscribeUser(userID: userID, address: email.lowercased(), language: language, productSlugs: productSlugs, now: now)
    }

    /// The subscription a settings link points at; nil for a forged or stale link.
    public func subscription(manageToken: String) async throws -> StatusSubscription? {
        guard let id = Self.id(in: manageToken), FixedTimeCompare.same(manageToken, Self.manageToken(id: id, key: try await linkKey())) else {
            return nil
        }
        return try await store.subscription(id: id)
    }

    public func manageToken(for id: Int64) async throws -> String {
        Self.manageToken(id: id, key: try await linkKey())
    }

    public func manageLink(for id: Int64) async throws -> String {
        "\(baseURL)/subscriptions/\(try await manageToken(for: id))"
    }

    /// The key of settings links.
    func linkKey() async throws -> [UInt8] {
        if let key = cachedKey.value.withLock({ $0 }) { return key }
        let key = try await store.linkSecret()
        cachedKey.value.withLock { $0 = key }
        return key
    }

    private final class KeyCache: Sendable {
        let value = Mutex<[UInt8]?>(nil)
    }

    static func manageToken(id: Int64, key: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("subscription:\(id)".utf8), using: SymmetricKey(data: key))
        return "\(id)-" + code.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    private static func id(in token: String) -> Int64? {
        token.split(separator: "-", maxSplits: 1).first.flatMap { Int64($0) }
    }

    /// A new secret for a webhook subscription: the receiver checks each body's HMAC with it.
    public static func webhookSecret() -> String {
        "whsec_" + randomToken()
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

public enum SubscriptionError: Error, Sendable, Equatable {
    case invalidEmail
}

/// Compares secrets in a time that does not depend on where they differ.
enum FixedTimeCompare {
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count, !a.isEmpty else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
