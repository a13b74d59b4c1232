import Foundation

/// Reads the `sign_in_providers:` list (OpenID Connect providers), and their secrets from the
/// environment when `client_secret_env` names a variable.
enum SignInProvidersConfigReader {
    static let keys: Set<String> = ["id", "name", "issuer", "client_id", "client_secret", "client_secret_env"]

    static func providers(_ node: ConfigNode) throws(ConfigError) -> [StatusConfig.SignInProvider] {
        var providers: [StatusConfig.SignInProvider] = []
        var seen: Set<String> = []
        for item in try node.sequence() {
            let fields = try item.mapping(allowed: keys)
            func required(_ key: String, _ example: String) throws(ConfigError) -> ConfigNode {
                guard let value = fields[key] else { throw item.error("missing key (such as \(example))", key: "\(item.path).\(key)") }
                return value
            }
            let idNode = try required("id", "google")
            let id = try idNode.nonEmptyString()
            guard isSlug(id) else { throw idNode.error("use lower-case letters, digits and dashes only, such as google, got \"\(id)\"") }
            guard seen.insert(id).inserted else { throw idNode.error("\"\(id)\" is already used by another provider") }
            let name = try required("name", "Google").nonEmptyString()
            let issuerNode = try required("issuer", "https://accounts.google.com")
            let issuer = try issuerNode.nonEmptyString()
            if let problem = issuerProblem(issuer) { throw issuerNode.error(problem) }
            let clientID = try required("client_id", "1234.apps.googleusercontent.com").nonEmptyString()
            var provider = StatusConfig.SignInProvider(id: id, name: name, issuer: issuer, clientID: clientID, clientSecret: "")
            switch (fields["client_secret"], fields["client_secret_env"]) {
            case (nil, nil):
                throw item.error("missing key: client_secret, or client_secret_env naming an environment variable",
                                 key: "\(item.path).client_secret")
            case (_?, let variable?):
                throw variable.error("give client_secret or client_secret_env, not both")
            case (let secret?, nil):
                provider.clientSecret = try secret.nonEmptyString()
            case (nil, let variableNode?):
                let variable = try variableNode.nonEmptyString()
                guard isVariableName(variable) else {
                    throw variableNode.error("expected an environment variable name such as STATUSD_GOOGLE_SECRET, got \"\(variable)\"")
                }
                provider.clientSecretVariable = variable
                provider.secretLine = variableNode.line
            }
            providers.append(provider)
        }
        return providers
    }

    /// Fills in the secrets named by `client_secret_env`; a missing or empty variable stops the start.
    static func applyEnvironment(_ environment: [String: String], to providers: [StatusConfig.SignInProvider],
                                 file: String) throws(ConfigError) -> [StatusConfig.SignInProvider] {
        var resolved = providers
        for (index, provider) in providers.enumerated() {
            guard let variable = provider.clientSecretVariable else { continue }
            guard let secret = environment[variable], !secret.isEmpty else {
                throw ConfigError(file: file, line: provider.secretLine, key: "sign_in_providers[\(index)].client_secret_env",
                                  message: "the environment variable \(variable) is not set")
            }
            resolved[index].clientSecret = secret
        }
        return resolved
    }

    /// An https:// URL with a host and no query or fragment; http:// only on loopback, for tests.
    static func issuerProblem(_ text: String) -> String? {
        let usage = "expected an https:// issuer URL such as https://accounts.google.com"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            return "\(usage), got \"\(text)\""
        }
        guard components.query == nil, components.fragment == nil, components.user == nil else {
            return "an issuer URL has no query, fragment or user, got \"\(text)\""
        }
        switch scheme {
        case "https": return nil
        case "http" where ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()): return nil
        case "http": return "http:// is allowed only on loopback (127.0.0.1, for tests): \(usage), got \"\(text)\""
        default: return "\(usage), got \"\(text)\""
        }
    }

    static func isSlug(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40 && text.first != "-"
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
