import Foundation

/// Reads one check of a product from the config, with the defaults DESIGN.md sets.
enum CheckConfigReader {
    static let keys: Set<String> = [
        "name", "kind", "target", "interval", "timeout", "fail_after", "recover_after", "degraded_above", "regions",
    ]

    static func check(_ node: ConfigNode, productSlug: String) throws(ConfigError) -> Check {
        let fields = try node.mapping(allowed: keys)
        guard let kindNode = fields["kind"] else { throw node.error("missing key", key: "\(node.path).kind") }
        let kindName = try kindNode.string()
        guard let kind = CheckKind(rawValue: kindName) else {
            let known = CheckKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw kindNode.error("unknown check kind \"\(kindName)\" (known kinds: \(known))")
        }
        let name = try fields["name"]?.nonEmptyString() ?? kind.rawValue
        var target = ""
        if kind != .push {
            guard let targetNode = fields["target"] else { throw node.error("missing key", key: "\(node.path).target") }
            target = try targetNode.nonEmptyString()
            try validate(target: target, kind: kind, node: targetNode)
        }
        var check = Check(productSlug: productSlug, name: name, kind: kind, target: target)
        if let value = fields["interval"] { check.interval = try value.duration() }
        if let value = fields["timeout"] { check.timeout = try value.duration() }
        if let value = fields["fail_after"] { check.failAfter = try value.integer(in: 1...100) }
        if let value = fields["recover_after"] { check.recoverAfter = try value.integer(in: 1...100) }
        if let value = fields["degraded_above"] { check.degradedAbove = try value.duration() }
        if let value = fields["regions"] {
            let regions = try value.sequence().map { (item) throws(ConfigError) in try item.nonEmptyString() }
            guard !regions.isEmpty else { throw value.error("list at least one region") }
            check.regions = regions
        }
        return check
    }

    private static func validate(target: String, kind: CheckKind, node: ConfigNode) throws(ConfigError) {
        switch kind {
        case .http:
            guard let url = URL(string: target), let scheme = url.scheme?.lowercased() else {
                throw node.error("expected a URL with its scheme, such as https://example.com/health, got \"\(target)\"")
            }
            guard ["http", "https"].contains(scheme), url.host?.isEmpty == false else {
                throw node.error("an http check needs an http:// or https:// URL with a host, got \"\(target)\"")
            }
        case .tcp, .tls:
            guard StatusConfig.ListenAddress(target) != nil else {
                throw node.error("expected host:port, such as example.com:443, got \"\(target)\"")
            }
        case .dns:
            guard !target.contains("/"), !target.contains(" ") else {
                throw node.error("expected a host name, such as example.com, got \"\(target)\"")
            }
        case .push:
            break
        }
    }
}
