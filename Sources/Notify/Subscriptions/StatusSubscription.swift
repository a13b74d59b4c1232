import Foundation

/// Someone following updates of some products: an email address (a logged-in user's, or one
/// confirmed by a link) or a webhook.
public struct StatusSubscription: Sendable, Hashable, Identifiable {
    public enum Channel: String, Sendable, Hashable, Codable, CaseIterable {
        case email, webhook
    }

    public var id: Int64
    public var channel: Channel
    /// The email address (lower-cased) or the webhook URL.
    public var address: String
    /// The portal user it belongs to, when it was made by a logged-in user.
    public var userID: Int64?
    /// "fr" or "en": the language of its mail.
    public var language: String
    /// The products it follows; empty follows every product.
    public var productSlugs: [String]
    /// Nil while an anonymous address has not confirmed it: it gets no update until then.
    public var confirmedAt: Date?
    public var createdAt: Date
    /// The key webhook bodies are signed with.
    public var webhookSecret: String?

    public init(id: Int64, channel: Channel = .email, address: String, userID: Int64? = nil, language: String,
                productSlugs: [String], confirmedAt: Date?, createdAt: Date, webhookSecret: String? = nil) {
        self.id = id
        self.channel = channel
        self.address = address
        self.userID = userID
        self.language = language
        self.productSlugs = productSlugs
        self.confirmedAt = confirmedAt
        self.createdAt = createdAt
        self.webhookSecret = webhookSecret
    }

    public var followsEveryProduct: Bool { productSlugs.isEmpty }
    public var isConfirmed: Bool { confirmedAt != nil }

    /// Whether an event on `slugs` concerns it.
    public func follows(any slugs: [String]) -> Bool {
        followsEveryProduct || slugs.contains(where: productSlugs.contains)
    }

    /// How long an anonymous request waits for its confirmation before it is dropped.
    public static let confirmationLifetime: TimeInterval = 48 * 3600

    /// An address is mailed about requests at most this often (the rest are answered the same, silently).
    public static let requestMailInterval: TimeInterval = 600
}
