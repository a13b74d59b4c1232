import Foundation

/// The types of content statusd can recognise in an uploaded file (what `ContentSniffer` in
/// Portal answers), so that the config can name only types a file can actually be found to have.
public enum AttachmentTypes {
    public static let pdf = "application/pdf"
    public static let png = "image/png"
    public static let jpeg = "image/jpeg"
    public static let gif = "image/gif"
    public static let webp = "image/webp"
    public static let zip = "application/zip"
    public static let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    public static let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    public static let pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    public static let plainText = "text/plain"
    public static let markdown = "text/markdown"
    public static let csv = "text/csv"
    public static let html = "text/html"
    public static let svg = "image/svg+xml"
    /// Bytes that are none of the above.
    public static let unknown = "application/octet-stream"

    /// Every type a file can be found to have.
    public static let known: [String] = [pdf, png, jpeg, gif, webp, zip, docx, xlsx, pptx, plainText, markdown, csv, html, svg, unknown]

    /// Types that run scripts when a browser opens them from our origin. They can never be
    /// allowed: refusing them at start is simpler to reason about than "stored but only ever
    /// downloaded", since article bodies show images from their attachments inline.
    public static let active: Set<String> = [html, svg]

    /// What a deployment accepts when the config says nothing: documents, images and text.
    public static let defaultAllowed: [String] = [pdf, png, jpeg, gif, webp, docx, xlsx, pptx, plainText, markdown, csv]
}

extension StatusConfig {
    /// What users may attach to articles and tickets.
    public struct Attachments: Sendable, Hashable {
        /// The largest file kept, in bytes (10 MiB by default).
        public var maxBytes: Int64 = 10 * 1024 * 1024
        /// The types read from a file's content that are kept; never HTML or SVG.
        public var allowedTypes: [String] = AttachmentTypes.defaultAllowed

        public init() {}
    }
}

/// Reads the `attachments:` section.
enum AttachmentsConfigReader {
    /// 1 GiB: beyond that an upload through a web form is a mistake, and an Int64 stays far from overflow.
    static let largestLimit: Int64 = 1 << 30

    static func attachments(_ node: ConfigNode) throws(ConfigError) -> StatusConfig.Attachments {
        let fields = try node.mapping(allowed: ["max_bytes", "allowed_types"])
        var attachments = StatusConfig.Attachments()
        if let value = fields["max_bytes"] {
            let text = try value.nonEmptyString()
            guard let bytes = byteCount(text) else {
                throw value.error("expected a number of bytes or a size such as 10 MB, 512 KB or 1 GB, got \"\(text)\"")
            }
            guard (1...largestLimit).contains(bytes) else { throw value.error("must be between 1 byte and 1 GB, got \"\(text)\"") }
            attachments.maxBytes = bytes
        }
        if let list = fields["allowed_types"] {
            var types: [String] = []
            for item in try list.sequence() {
                let type = try item.nonEmptyString().lowercased()
                if AttachmentTypes.active.contains(type) {
                    throw item.error("\(type) can never be allowed: a browser runs the scripts such a file holds as if statusd had sent them")
                }
                guard AttachmentTypes.known.contains(type) else {
                    let known = AttachmentTypes.known.filter { !AttachmentTypes.active.contains($0) }.joined(separator: ", ")
                    throw item.error("\"\(type)\" is not a type statusd can recognise in a file (known: \(known))")
                }
                if !types.contains(type) { types.append(type) }
            }
            attachments.allowedTypes = types
        }
        return attachments
    }

    /// "10485760", "10 MB", "10MB", "512 KiB", "1 GB": KB, MB and GB count in 1024s, as upload
    /// limits are usually meant ("10 MB" is 10,485,760 bytes); nil when unreadable or too large.
    static func byteCount(_ text: String) -> Int64? {
        let units: [(suffix: String, factor: Int64)] = [
            ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30),
            ("kb", 1 << 10), ("mb", 1 << 20), ("gb", 1 << 30), ("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30), ("b", 1),
        ]
        let lowered = text.lowercased().trimmingCharacters(in: .whitespaces)
        for unit in units where lowered.hasSuffix(unit.suffix) {
            let number = lowered.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)
            guard let value = Double(number), value.isFinite, value >= 0, value * Double(unit.factor) <= Double(Int64.max / 2) else { return nil }
            return Int64((value * Double(unit.factor)).rounded())
        }
        guard lowered.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(lowered)
    }
}
