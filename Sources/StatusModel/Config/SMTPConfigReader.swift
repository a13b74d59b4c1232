import Foundation

/// Reads the `smtp:` section, and the environment variables that override it.
enum SMTPConfigReader {
    static let keys: Set<String> = ["url", "from", "username", "password", "require_tls", "timeout", "ca_file"]

    static func smtp(_ node: ConfigNode) throws(ConfigError) -> StatusConfig.SMTP {
        let fields = try node.mapping(allowed: keys)
        guard let urlNode = fields["url"] else { throw node.error("missing key (such as smtp://mail.example.com:587)", key: "\(node.path).url") }
        guard let fromNode = fields["from"] else { throw node.error("missing key (such as status@example.com)", key: "\(node.path).from") }
        let url = try urlNode.nonEmptyString()
        if let problem = urlProblem(url) { throw urlNode.error(problem) }
        let from = try fromNode.nonEmptyString()
        if let problem = senderProblem(from) { throw fromNode.error(problem) }
        var smtp = StatusConfig.SMTP(url: url, from: from)
        if let value = fields["username"] { smtp.username = try value.nonEmptyString() }
        if let value = fields["password"] {
            guard smtp.username != nil else { throw value.error("a password needs a username") }
            smtp.password = try value.string()
        }
        if let value = fields["require_tls"] { smtp.requireTLS = try value.bool() }
        if let value = fields["timeout"] { smtp.timeout = try value.duration() }
        if let value = fields["ca_file"] {
            let path = try value.nonEmptyString()
            guard FileManager.default.isReadableFile(atPath: path) else { throw value.error("cannot read \"\(path)\"") }
            smtp.caFile = path
        }
        return smtp
    }

    /// STATUSD_SMTP_URL and STATUSD_SMTP_FROM replace the file's values; together they are
    /// enough without any `smtp:` section.
    static func applyEnvironment(_ environment: [String: String], to smtp: StatusConfig.SMTP?) throws(ConfigError) -> StatusConfig.SMTP? {
        let url = environment[StatusConfig.Environment.smtpURL].flatMap { $0.isEmpty ? nil : $0 }
        let from = environment[StatusConfig.Environment.smtpFrom].flatMap { $0.isEmpty ? nil : $0 }
        if let url, let problem = urlProblem(url) { throw envError(StatusConfig.Environment.smtpURL, problem) }
        if let from, let problem = senderProblem(from) { throw envError(StatusConfig.Environment.smtpFrom, problem) }
        if var smtp {
            if let url { smtp.url = url }
            if let from { smtp.from = from }
            return smtp
        }
        switch (url, from) {
        case (nil, nil): return nil
        case (let url?, let from?): return StatusConfig.SMTP(url: url, from: from)
        case (nil, _): throw envError(StatusConfig.Environment.smtpURL, "needed with \(StatusConfig.Environment.smtpFrom) when the file has no smtp section")
        case (_, nil): throw envError(StatusConfig.Environment.smtpFrom, "needed with \(StatusConfig.Environment.smtpURL) when the file has no smtp section")
        }
    }

    private static func envError(_ name: String, _ message: String) -> ConfigError {
        ConfigError(file: "environment", line: nil, key: name, message: message)
    }

    static func urlProblem(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["smtp", "smtps"].contains(scheme),
              url.host?.isEmpty == false else {
            return "expected an smtp:// or smtps:// address with a host, such as smtp://mail.example.com:587, got \"\(redacted(text))\""
        }
        return nil
    }

    /// The URL without its password, for error messages.
    private static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound < at else { return text }
        return String(text[..<scheme.upperBound]) + "…" + String(text[at...])
    }

    /// The same rules as Notify's MailAddress (which StatusModel cannot import): "a@b.c" or
    /// "Name <a@b.c>", ASCII, without quoted local parts.
    static func senderProblem(_ text: String) -> String? {
        var address = text.trimmingCharacters(in: .whitespaces)
        if address.hasSuffix(">"), let open = address.lastIndex(of: "<") {
            if address[..<open].unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "the name has control characters" }
            address = String(address[address.index(after: open)..<address.index(before: address.endIndex)])
        }
        let atext = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
        let hostText = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        func dotAtom(_ part: Substring, _ allowed: CharacterSet) -> Bool {
            !part.isEmpty && part.split(separator: ".", omittingEmptySubsequences: false).allSatisfy {
                !$0.isEmpty && $0.unicodeScalars.allSatisfy(allowed.contains)
            }
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, dotAtom(parts[0], atext), dotAtom(parts[1], hostText) else {
            return "expected an email address such as status@example.com or \"Statusd <status@example.com>\", got \"\(text)\""
        }
        return nil
    }
}
