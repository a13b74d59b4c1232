/// Reads the `webhooks:` section.
enum WebhooksConfigReader {
    static func webhooks(_ node: ConfigNode) throws(ConfigError) -> StatusConfig.Webhooks {
        let fields = try node.mapping(allowed: ["allow_private_targets", "allowed_targets"])
        var webhooks = StatusConfig.Webhooks()
        if let value = fields["allow_private_targets"] { webhooks.allowPrivateTargets = try value.bool() }
        if let list = fields["allowed_targets"] {
            for item in try list.sequence() {
                let target = try item.nonEmptyString().lowercased()
                guard isHostAndPort(target) else {
                    throw item.error("expected host:port, such as hooks.internal:8443 or [fd00::5]:443, got \"\(target)\"")
                }
                webhooks.allowedTargets.append(target)
            }
        }
        return webhooks
    }

    /// "name:port" or "[ipv6]:port": the exact spelling Notify's allow-list compares with.
    static func isHostAndPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            return false
        }
        let host = text[..<colon]
        if host.hasPrefix("[") { return host.hasSuffix("]") && host.count > 2 }
        return !host.isEmpty && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }
    }
}
