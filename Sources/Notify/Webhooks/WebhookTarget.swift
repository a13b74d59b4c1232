import Foundation

/// Checks a webhook address before anything is sent to it: when a subscriber registers it, and
/// again at each delivery (DNS can change in between).
public enum WebhookTarget {
    /// The URL is http or https, and every address its host resolves to is public (or allowed
    /// by `policy`). Throws a `WebhookTargetError` whose message says why in one sentence.
    public static func check(_ url: String, policy: WebhookTargetPolicy) async throws(WebhookTargetError) -> CheckedWebhookTarget {
        let parts = try URLParts(url)
        if let literal = IPAddress(literal: parts.host) {
            if !policy.allows(parts), let kind = NonPublicAddress.classify(literal) {
                throw WebhookTargetError.refused(kind, address: literal, host: parts.host, literal: true)
            }
            return CheckedWebhookTarget(url: url, host: parts.host, port: parts.port, addresses: [literal], pinned: false)
        }
        let addresses = try await policy.resolver(parts.host)
        if !policy.allows(parts) {
            // Every address, not the first: the connection may go to any of them.
            for address in addresses {
                if let kind = NonPublicAddress.classify(address) {
                    throw WebhookTargetError.refused(kind, address: address, host: parts.host, literal: false)
                }
            }
        }
        return CheckedWebhookTarget(url: url, host: parts.host, port: parts.port, addresses: addresses, pinned: true)
    }

    /// The checks that need no DNS: scheme, host and port. For enqueueing.
    static func checkSyntax(_ url: String) throws(WebhookTargetError) {
        _ = try URLParts(url)
    }
}

/// A target that passed the check, with the addresses it was checked on.
public struct CheckedWebhookTarget: Sendable, Hashable {
    public let url: String
    /// The URL's host, lower-case, without the brackets of an IPv6 literal.
    public let host: String
    public let port: Int
    /// Every address the host resolved to, in the resolver's order ("203.0.113.7", "2001:db8::1").
    public var addresses: [String] { checkedAddresses.map(\.description) }

    let checkedAddresses: [IPAddress]
    /// False for an IP literal: there is nothing to resolve again.
    let pinned: Bool

    init(url: String, host: String, port: Int, addresses: [IPAddress], pinned: Bool) {
        self.url = url
        self.host = host
        self.port = port
        self.checkedAddresses = addresses
        self.pinned = pinned
    }

    /// The CURLOPT_RESOLVE entry that makes libcurl connect to the checked addresses and
    /// nowhere else, whatever DNS says by the time it connects.
    var resolveEntries: [String] {
        guard pinned else { return [] }
        return ["\(host):\(port):" + checkedAddresses.map(\.resolveForm).joined(separator: ",")]
    }

    /// The URL to request: its host written exactly as the pin names it (lower case, no
    /// trailing dot), so libcurl's lookup finds the pinned addresses rather than asking DNS.
    var requestURL: String {
        guard pinned, var components = URLComponents(string: url) else { return url }
        components.host = host
        return components.string ?? url
    }
}

/// The parts of a webhook URL the checks need.
struct URLParts {
    let scheme: String
    let host: String
    let port: Int

    init(_ text: String) throws(WebhookTargetError) {
        guard text.utf8.count <= 2048, !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }),
              let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            throw WebhookTargetError(.invalidURL, "the address is not a valid URL (write it whole, such as https://hooks.example.com/statusd)")
        }
        guard scheme == "http" || scheme == "https" else {
            throw WebhookTargetError(.unsupportedScheme, "the address must start with https:// or http://, not \(scheme):")
        }
        var host = (url.host ?? "").lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host = String(host.dropLast()) }
        guard !host.isEmpty else { throw WebhookTargetError(.invalidURL, "the address has no host name") }
        // A host name of letters, digits, dots and dashes, or an IP address as usually written:
        // anything else ("2130706433", "0x7f.1", percent-escapes) could mean another address to
        // libcurl than to the check.
        // A name's last label starts with a letter (every top-level domain does): "0x7f.1" or
        // "127.1", which C libraries read as addresses, are not names.
        let isName = host.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "-" || $0 == "_") }
            && host.split(separator: ".", omittingEmptySubsequences: false).last?.first?.isLetter == true
        guard isName || IPAddress(literal: host) != nil else {
            throw WebhookTargetError(.invalidURL, "the address's host \(host) is neither a host name nor an IP address as usually written")
        }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { throw WebhookTargetError(.invalidURL, "the address's port \(port) is not a valid port") }
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// "host:port", with an IPv6 literal in brackets: how the allow-list spells targets.
    var target: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension WebhookTargetPolicy {
    /// Whether the address checks are skipped for this target.
    func allows(_ parts: URLParts) -> Bool {
        allowPrivateTargets || allowedTargets.contains(parts.target)
    }
}
