/// Why a webhook address is refused: a sentence for the person who typed it, and a stable code
/// for programs ("private_address").
public struct WebhookTargetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable reason; its `description` is the code's text.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidURL = "invalid_url"
            case unsupportedScheme = "unsupported_scheme"
            case unresolvable
            case loopbackAddress = "loopback_address"
            case privateAddress = "private_address"
            case linkLocalAddress = "link_local_address"
            case unspecifiedAddress = "unspecified_address"
            case sharedAddress = "shared_address"
            case multicastAddress = "multicast_address"
            case reservedAddress = "reserved_address"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Not an absolute http(s) URL with a usable host.
        public static let invalidURL = Code(.invalidURL)
        /// A scheme other than http or https.
        public static let unsupportedScheme = Code(.unsupportedScheme)
        /// The host has no address (or DNS did not answer): worth trying again later.
        public static let unresolvable = Code(.unresolvable)
        public static let loopbackAddress = Code(.loopbackAddress)
        public static let privateAddress = Code(.privateAddress)
        public static let linkLocalAddress = Code(.linkLocalAddress)
        public static let unspecifiedAddress = Code(.unspecifiedAddress)
        /// Carrier-grade NAT, 100.64.0.0/10.
        public static let sharedAddress = Code(.sharedAddress)
        public static let multicastAddress = Code(.multicastAddress)
        /// Documentation, benchmarking and other ranges that are no one's public server.
        public static let reservedAddress = Code(.reservedAddress)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// "the address resolves to a private address (10.0.0.5)".
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Whether the same address may pass later (DNS was down): a delivery retries these.
    public var isTemporary: Bool { code == .unresolvable }

    static func refused(_ kind: NonPublicAddress, address: IPAddress, host: String, literal: Bool) -> WebhookTargetError {
        let code: Code = switch kind {
        case .loopback: .loopbackAddress
        case .privateNetwork: .privateAddress
        case .linkLocal: .linkLocalAddress
        case .unspecified: .unspecifiedAddress
        case .sharedCarrierNAT: .sharedAddress
        case .multicast: .multicastAddress
        case .reserved: .reservedAddress
        }
        let sentence = literal
            ? "the address is \(kind.words) (\(address)): webhooks go only to public internet addresses"
            : "the address resolves to \(kind.words) (\(address)) for \(host): webhooks go only to public internet addresses"
        return WebhookTargetError(code, sentence)
    }
}
