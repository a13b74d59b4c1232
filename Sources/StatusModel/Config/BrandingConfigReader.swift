import Foundation
import Yams

/// Reads the `branding:` section: name, logo file, accent colour, footer links, support phone.
/// The logo is read and its format checked here, so a missing or wrong file refuses to start.
enum BrandingConfigReader {
    static let keys: Set<String> = ["name", "logo", "accent", "links", "phone"]
    /// A logo is a header image: larger than this is a mistake (a photo), not a logo.
    static let maxLogoBytes = 512 * 1024

    static func branding(_ node: ConfigNode) throws(ConfigError) -> StatusConfig.Branding {
        var branding = StatusConfig.Branding()
        let fields = try node.mapping(allowed: keys)
        if let name = fields["name"] {
            branding.name = try text(name, example: "Cegid Status")
            branding.hasOwnName = true
        }
        if let logo = fields["logo"] { branding.logo = try self.logo(logo) }
        if let accent = fields["accent"] { branding.accent = try colour(accent) }
        if let links = fields["links"] {
            branding.links = try links.sequence().map { item throws(ConfigError) in try link(item) }
        }
        if let phone = fields["phone"] {
            let written = try phone.nonEmptyString()
            guard let dial = dialable(written) else {
                throw phone.error("expected a phone number such as \"+33 1 23 45 67 89\" (digits, spaces, dots, dashes, a leading +), got \"\(written)\"")
            }
            branding.phone = written
            branding.phoneDial = dial
        }
        return branding
    }

    /// One text for both languages, or `{fr: ..., en: ...}`.
    private static func text(_ node: ConfigNode, example: String) throws(ConfigError) -> StatusConfig.Branding.Text {
        if case .mapping(_) = node.node {
            let fields = try node.mapping(allowed: ["fr", "en"])
            guard let fr = fields["fr"] else { throw node.error("missing key (the French text)", key: "\(node.path).fr") }
            guard let en = fields["en"] else { throw node.error("missing key (the English text)", key: "\(node.path).en") }
            return .init(fr: try plain(fr), en: try plain(en))
        }
        let value = try plain(node)
        return .init(fr: value, en: value)
    }

    /// A line of text: not empty, no control characters, short enough for a header or a subject.
    private static func plain(_ node: ConfigNode) throws(ConfigError) -> String {
        let value = try node.nonEmptyString()
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw node.error("must be one line of text")
        }
        guard value.count <= 80 else { throw node.error("must be at most 80 characters, got \(value.count)") }
        return value
    }

    private static func link(_ item: ConfigNode) throws(ConfigError) -> StatusConfig.Branding.Link {
        let fields = try item.mapping(allowed: ["label", "url"])
        guard let label = fields["label"] else { throw item.error("missing key (such as {fr: Nous contacter, en: Contact us})", key: "\(item.path).label") }
        guard let urlNode = fields["url"] else { throw item.error("missing key (such as https://www.example.com/contact)", key: "\(item.path).url") }
        let url = try urlNode.nonEmptyString()
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host?.isEmpty == false else {
            throw urlNode.error("expected an http:// or https:// address, such as https://www.example.com/contact, got \"\(url)\"")
        }
        return .init(label: try text(label, example: "Contact"), url: url)
    }

    /// "#rrggbb". YAML reads an unquoted `#0b4fa0` as a comment, hence the hint.
    static func colour(_ node: ConfigNode) throws(ConfigError) -> String {
        let hint = "expected a colour \"#rrggbb\" in quotes (an unquoted # starts a YAML comment), such as \"#0b4fa0\""
        guard case .scalar(let scalar) = node.node else { throw node.error(hint) }
        let value = scalar.string.trimmingCharacters(in: .whitespaces).lowercased()
        guard value.count == 7, value.hasPrefix("#"), value.dropFirst().allSatisfy(\.isHexDigit) else {
            throw node.error(value.isEmpty ? hint : "\(hint), got \"\(scalar.string)\"")
        }
        return value
    }

    /// The number as a tel: link dials it: "+" then digits; nil unless it reads as a phone number.
    static func dialable(_ written: String) -> String? {
        var dial = ""
        for (index, character) in written.enumerated() {
            switch character {
            case "+" where index == 0: dial.append("+")
            case "0"..."9": dial.append(character)
            case " ", ".", "-", "(", ")": continue
            default: return nil
            }
        }
        let digits = dial.filter(\.isNumber).count
        return (4...15).contains(digits) ? dial : nil
    }

    private static func logo(_ node: ConfigNode) throws(ConfigError) -> StatusConfig.Branding.Logo {
        let written = try node.nonEmptyString()
        // Relative to the config file, so a config and its logo move together.
        let folder = URL(fileURLWithPath: node.file).deletingLastPathComponent()
        let url = written.hasPrefix("/") ? URL(fileURLWithPath: written) : folder.appendingPathComponent(written)
        let path = url.standardizedFileURL.path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw node.error("cannot read \"\(written)\" (looked for \(path); a path relative to the config file)")
        }
        guard data.count <= maxLogoBytes else { throw node.error("\"\(written)\" is \(data.count / 1024) KB: a logo must be at most \(maxLogoBytes / 1024) KB") }
        let bytes = [UInt8](data)
        guard let format = format(of: bytes) else { throw node.error("\"\(written)\" is not a PNG, SVG or JPEG image") }
        return .init(path: path, format: format, bytes: bytes)
    }

    /// The format by the file's first bytes, not its name: a renamed file is caught at start.
    static func format(of bytes: [UInt8]) -> StatusConfig.Branding.Logo.Format? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        // SVG is text: an optional byte-order mark, XML declaration and comments, then <svg.
        guard var text = String(bytes: bytes.prefix(4096), encoding: .utf8) else { return nil }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasPrefix("<?") || text.hasPrefix("<!--") || text.hasPrefix("<!DOCTYPE") {
            let end = text.hasPrefix("<!--") ? "-->" : ">"
            guard let close = text.range(of: end) else { return nil }
            text = String(text[close.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text.hasPrefix("<svg") ? .svg : nil
    }
}
