import Foundation
import Yams

extension StatusConfig {
    /// The environment variables that override the file, for deployments.
    public enum Environment {
        public static let config = "STATUSD_CONFIG"
        public static let listen = "STATUSD_LISTEN"
        public static let database = "STATUSD_DATABASE"
        public static let baseURL = "STATUSD_BASE_URL"
        public static let smtpURL = "STATUSD_SMTP_URL"
        public static let smtpFrom = "STATUSD_SMTP_FROM"
    }

    /// Reads `file`, applies the environment overrides and validates everything.
    public static func load(file: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> StatusConfig {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "cannot read the file (\(error.localizedDescription))")
        }
        var config = try parse(yaml: text, file: file)
        try config.applyEnvironment(environment)
        return config
    }

    /// Parses and validates a config text; `file` names it in errors.
    public static func parse(yaml text: String, file: String) throws(ConfigError) -> StatusConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(file: file, line: error.line, key: "", message: "not valid YAML: \(error.problem)")
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "not valid YAML: \(error)")
        }
        var config = StatusConfig(file: file)
        guard let root else { return config }
        let top = try ConfigNode(node: root, path: "", file: file).mapping(allowed: [
            "listen", "base_url", "time_zone", "history_days", "database", "retention", "products", "smtp", "webhooks",
            "trusted_proxies", "attachments",
            "sign_in_providers", "branding", "knowledge_base", "tickets_forms",
        ])
        if let node = top["listen"] {
            guard let address = ListenAddress(try node.string()) else { throw node.error("expected host:port, such as 127.0.0.1:8080") }
            config.listen = address
        }
        if let node = top["base_url"] { config.baseURL = try baseURL(try node.string(), node: node) }
        if let node = top["time_zone"] {
            let name = try node.nonEmptyString()
            guard let zone = TimeZone(identifier: name) else { throw node.error("unknown time zone \"\(name)\" (use an IANA name such as Europe/Paris)") }
            config.timeZone = zone
        }
        if let node = top["history_days"] { config.historyDays = try node.integer(in: 1...366) }
        if let node = top["database"] { config.databasePath = try node.nonEmptyString() }
        if let node = top["retention"] {
            let retention = try node.mapping(allowed: ["results_days", "history_days"])
            if let days = retention["results_days"] { config.retention.resultDays = try days.integer(in: 1...3650) }
            if let days = retention["history_days"] { config.retention.historyDays = try days.integer(in: 1...36500) }
        }
        if let node = top["products"] { config.products = try products(node) }
        if let node = top["smtp"] { config.smtp = try SMTPConfigReader.smtp(node) }
        if let node = top["webhooks"] { config.webhooks = try WebhooksConfigReader.webhooks(node) }
        if let node = top["trusted_proxies"] {
            config.trustedProxies = try node.sequence().map { entry throws(ConfigError) in
                let text = try entry.nonEmptyString()
                guard let address = IPAddressText.canonical(text) else {
                    throw entry.error("\"\(text)\" is not an IP address (a proxy in front of statusd, such as 127.0.0.1 or ::1)")
                }
                return address
            }
        }
        if let node = top["attachments"] { config.attachments = try AttachmentsConfigReader.attachments(node) }
        if let node = top["sign_in_providers"] { config.signInProviders = try SignInProvidersConfigReader.providers(node) }
        if let node = top["branding"] { config.branding = try BrandingConfigReader.branding(node) }
        if let node = top["knowledge_base"] { config.knowledgeBase = try KnowledgeBaseConfigReader.knowledgeBase(node) }
        if let node = top["tickets_forms"] { config.ticketFormsPath = try node.nonEmptyString() }
        if config.retention.historyDays < config.historyDays, let node = top["retention"] {
            throw node.error("history_days (\(config.retention.historyDays)) must cover the \(config.historyDays) days shown", key: "retention.history_days")
        }
        return config
    }

    mutating func applyEnvironment(_ environment: [String: String]) throws(ConfigError) {
        func envError(_ name: String, _ message: String) -> ConfigError {
            ConfigError(file: "environment", line: nil, key: name, message: message)
        }
        if let value = environment[Environment.listen], !value.isEmpty {
            guard let address = ListenAddress(value) else { throw envError(Environment.listen, "expected host:port, got \"\(value)\"") }
            listen = address
        }
        if let value = environment[Environment.database], !value.isEmpty { databasePath = value }
        if let value = environment[Environment.baseURL], !value.isEmpty {
            guard let url = URL(string: value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw envError(Environment.baseURL, "expected an http:// or https:// address, got \"\(value)\"")
            }
            baseURL = value.hasSuffix("/") ? String(value.dropLast()) : value
        }
        smtp = try SMTPConfigReader.applyEnvironment(environment, to: smtp)
        signInProviders = try SignInProvidersConfigReader.applyEnvironment(environment, to: signInProviders, file: file)
    }

    private static func baseURL(_ text: String, node: ConfigNode) throws(ConfigError) -> String {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw node.error("expected an http:// or https:// address, such as https://status.example.com")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    private static func products(_ node: ConfigNode) throws(ConfigError) -> [ProductEntry] {
        var entries: [ProductEntry] = []
        var seen: Set<String> = []
        for (index, item) in try node.sequence().enumerated() {
            let fields = try item.mapping(allowed: ["slug", "name", "family", "position", "visibility", "checks"])
            guard let slugNode = fields["slug"] else { throw item.error("missing key", key: "\(item.path).slug") }
            let slug = try slugNode.nonEmptyString()
            guard ProductSlug.isValid(slug) else {
                throw slugNode.error("use lower-case letters, digits and dashes only, got \"\(slug)\"")
            }
            guard seen.insert(slug).inserted else { throw slugNode.error("\"\(slug)\" is already used by another product") }
            guard let nameNode = fields["name"] else { throw item.error("missing key", key: "\(item.path).name") }
            var visibility = Product.Visibility.public
            if let node = fields["visibility"] {
                let text = try node.string()
                guard let value = Product.Visibility(rawValue: text) else { throw node.error("expected public, customers, private or hidden, got \"\(text)\"") }
                visibility = value
            }
            var checks: [Check] = []
            if let checksNode = fields["checks"] {
                for checkNode in try checksNode.sequence() {
                    let check = try CheckConfigReader.check(checkNode, productSlug: slug)
                    guard !checks.contains(where: { $0.id == check.id }) else {
                        throw checkNode.error("two checks are named \"\(check.name)\"", key: "\(checkNode.path).name")
                    }
                    checks.append(check)
                }
            }
            entries.append(ProductEntry(
                slug: slug,
                name: try nameNode.nonEmptyString(),
                family: try fields["family"]?.nonEmptyString() ?? "",
                position: try fields["position"]?.integer(in: 0...100_000) ?? index,
                visibility: visibility,
                checks: checks
            ))
        }
        return entries
    }
}

extension YamlError {
    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    var problem: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(self)"
        }
    }
}
