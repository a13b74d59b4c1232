import Foundation
import Yams

/// One check written in the config file's own words ("kind: http", "target: …", "interval: 30s"):
/// the operators' console stores checks this way, so a check made there is read, validated
/// and explained by exactly the rules of the config file.
public enum CheckSpec {
    /// The check that `yaml` describes for `productSlug`; errors name the key, as in the file.
    public static func check(yaml text: String, productSlug: String) throws(ConfigError) -> Check {
        let file = "console"
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "not valid YAML")
        }
        guard let root else { throw ConfigError(file: file, line: nil, key: "kind", message: "missing key") }
        return try CheckConfigReader.check(ConfigNode(node: root, path: "", file: file), productSlug: productSlug)
    }

    /// The YAML of the console's check form: only the fields given, each quoted, so a value
    /// can never add a key of its own.
    public static func yaml(_ fields: [(key: String, value: String)]) -> String {
        fields.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }.map { field in
            let quoted = field.value.trimmingCharacters(in: .whitespaces)
                .replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            return "\(field.key): \"\(quoted)\""
        }.joined(separator: "\n") + "\n"
    }
}

/// A check made in the operators' console for a product of the console, kept as its spec.
public struct ConsoleCheck: Sendable, Hashable {
    public var productSlug: String
    /// The check's name within its product ("home"): with the slug, its id ("portal/home").
    public var name: String
    public var spec: String

    public init(productSlug: String, name: String, spec: String) {
        self.productSlug = productSlug
        self.name = name
        self.spec = spec
    }
}
