import Foundation
import Yams

/// A YAML node with the key path that led to it, so every error can name file, line and key.
/// Public so that the other config files (the ticket forms, read in Portal) say it the same way.
public struct ConfigNode {
    public let node: Node
    public let path: String
    public let file: String

    public init(node: Node, path: String, file: String) {
        self.node = node
        self.path = path
        self.file = file
    }

    /// The root of a YAML text (nil when it is empty); text that is not YAML is a `ConfigError` with its line.
    public static func root(yaml text: String, file: String) throws(ConfigError) -> ConfigNode? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(file: file, line: error.line, key: "", message: "not valid YAML: \(error.problem)")
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "not valid YAML: \(error)")
        }
        return root.map { ConfigNode(node: $0, path: "", file: file) }
    }

    public var line: Int? { node.mark?.line }

    public func error(_ message: String, key: String? = nil) -> ConfigError {
        ConfigError(file: file, line: line, key: key ?? path, message: message)
    }

    /// The entries of a mapping; refuses keys outside `allowed`, which are usually typos.
    /// `allowed` nil accepts any key (a map of HTTP headers, say).
    public func mapping(allowed: Set<String>?) throws(ConfigError) -> [String: ConfigNode] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of keys to values") }
        var entries: [String: ConfigNode] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if let allowed, !allowed.contains(key) {
                let known = allowed.sorted().joined(separator: ", ")
                throw ConfigError(file: file, line: keyNode.mark?.line, key: childPath, message: "unknown key (known keys: \(known))")
            }
            entries[key] = ConfigNode(node: value, path: childPath, file: file)
        }
        return entries
    }

    public func sequence() throws(ConfigError) -> [ConfigNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { ConfigNode(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    public func string() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a single value") }
        return scalar.string
    }

    public func nonEmptyString() throws(ConfigError) -> String {
        let value = try string().trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw error("must not be empty") }
        return value
    }

    public func integer(in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let value = Int(try string()) else { throw error("expected a whole number") }
        guard range.contains(value) else { throw error("must be between \(range.lowerBound) and \(range.upperBound), got \(value)") }
        return value
    }

    public func bool() throws(ConfigError) -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false")
        }
    }

    /// "500ms", "10s", "5m", "1h", or a bare number of seconds; must be positive.
    public func duration() throws(ConfigError) -> Duration {
        let text = try string().trimmingCharacters(in: .whitespaces)
        guard let value = ConfigNode.parseDuration(text) else {
            throw error("expected a duration such as 500ms, 10s, 5m or 1h, got \"\(text)\"")
        }
        guard value > .zero else { throw error("must be positive, got \"\(text)\"") }
        return value
    }

    static func parseDuration(_ text: String) -> Duration? {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let number = Double(text.dropLast(unit.suffix.count)) else { continue }
            return milliseconds(number * unit.seconds * 1000)
        }
        return Double(text).flatMap { milliseconds($0 * 1000) }
    }

    /// Nil for "inf", "nan" or a number too large to be a duration, which `Int64(_:)` would trap on.
    private static func milliseconds(_ value: Double) -> Duration? {
        let maximum = 1e15 // about 31,000 years
        guard value.isFinite, abs(value) <= maximum else { return nil }
        return .milliseconds(Int64(value.rounded()))
    }
}

extension Yams.Node {
    var isSequence: Bool {
        if case .sequence = self { return true }
        return false
    }
}
