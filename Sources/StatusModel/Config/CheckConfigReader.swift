import Foundation

/// Reads one check of a product from the config, with the defaults DESIGN.md sets.
enum CheckConfigReader {
    static let keys: Set<String> = [
        "name", "kind", "target", "interval", "timeout", "fail_after", "recover_after", "degraded_above", "regions",
        "quorum", "retry_interval", "connect_timeout", "method", "headers", "body", "expect_status", "body_contains", "body_not_contains",
        "json_path", "json_value", "follow_redirects", "certificate_warning_days", "ca_file", "expect_address", "token", "grace",
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
        if let value = fields["quorum"] { check.quorum = try value.integer(in: 1...check.regions.count) }
        if let value = fields["retry_interval"] { check.retryInterval = try value.duration() }
        if let value = fields["connect_timeout"] { check.connectTimeout = try value.duration() }
        try readHTTPOptions(fields, into: &check)
        if let value = fields["certificate_warning_days"] { check.certificateWarningDays = try value.integer(in: 0...3650) }
        if let value = fields["ca_file"] {
            let path = try value.nonEmptyString()
            guard FileManager.default.isReadableFile(atPath: path) else { throw value.error("cannot read \"\(path)\"") }
            check.caFile = path
        }
        if let value = fields["expect_address"] { check.expectedAddress = try value.nonEmptyString() }
        if let value = fields["grace"] { check.pushGrace = try value.duration() }
        if kind == .push {
            guard let tokenNode = fields["token"] else { throw node.error("a push check needs a secret token (16 characters or more)", key: "\(node.path).token") }
            let token = try tokenNode.nonEmptyString()
            guard token.count >= 16, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw tokenNode.error("use 16 or more letters, digits, - or _")
            }
            check.pushToken = token
        }
        return check
    }

    private static func readHTTPOptions(_ fields: [String: ConfigNode], into check: inout Check) throws(ConfigError) {
        if let value = fields["method"] {
            let method = try value.nonEmptyString().uppercased()
            guard ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].contains(method) else {
                throw value.error("expected GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS, got \"\(method)\"")
            }
            check.http.method = method
        }
        if let value = fields["headers"] {
            var headers: [String: String] = [:]
            for (name, header) in try value.mapping(allowed: nil) {
                let text = try header.string()
                guard !name.contains(":"), !name.contains("\n"), !text.contains("\n") else { throw header.error("not a valid header") }
                headers[name] = text
            }
            check.http.headers = headers
        }
        if let value = fields["body"] { check.http.body = try value.string() }
        if let value = fields["expect_status"] {
            let items: [ConfigNode] = value.node.isSequence ? try value.sequence() : [value]
            check.http.expectedStatuses = try items.map { (item) throws(ConfigError) in try statusRange(item) }
        }
        if let value = fields["body_contains"] { check.http.bodyContains = try value.nonEmptyString() }
        if let value = fields["body_not_contains"] { check.http.bodyNotContains = try value.nonEmptyString() }
        if let value = fields["json_path"] { check.http.jsonPath = try value.nonEmptyString() }
        if let value = fields["json_value"] { check.http.jsonValue = try value.string() }
        if (check.http.jsonPath == nil) != (check.http.jsonValue == nil), let node = fields["json_path"] ?? fields["json_value"] {
            throw node.error("json_path and json_value go together")
        }
        if let value = fields["follow_redirects"] { check.http.followRedirects = try value.bool() }
    }

    /// "200", "2xx" or "200-204".
    private static func statusRange(_ node: ConfigNode) throws(ConfigError) -> ClosedRange<Int> {
        let text = try node.string().trimmingCharacters(in: .whitespaces).lowercased()
        if text.count == 3, text.hasSuffix("xx"), let hundred = Int(text.prefix(1)), (1...5).contains(hundred) {
            return (hundred * 100)...(hundred * 100 + 99)
        }
        let bounds = text.split(separator: "-").compactMap { Int($0) }
        if bounds.count == 1, (100...599).contains(bounds[0]) { return bounds[0]...bounds[0] }
        if bounds.count == 2, (100...599).contains(bounds[0]), bounds[0] <= bounds[1], bounds[1] <= 599 { return bounds[0]...bounds[1] }
        throw node.error("expected a status such as 200, 2xx or 200-204, got \"\(text)\"")
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
