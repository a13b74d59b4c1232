import Foundation

extension StatusConfig {
    /// The vendor's look on pages and mails: its name, logo, accent colour, footer links and
    /// support phone. Every part is optional; an empty section keeps statusd's defaults.
    public struct Branding: Sendable, Hashable {
        /// A text in both languages of the site.
        public typealias Text = LocalizedText

        /// A link of the footer: the vendor's contact page, its privacy policy.
        public struct Link: Sendable, Hashable {
            public var label: Text
            /// An http:// or https:// address (checked when the config is read).
            public var url: String

            public init(label: Text, url: String) {
                self.label = label
                self.url = url
            }
        }

        /// The logo file, read once at start.
        public struct Logo: Sendable, Hashable {
            public enum Format: String, Sendable, Hashable {
                case png, svg, jpeg

                public var mediaType: String {
                    switch self {
                    case .png: "image/png"
                    case .svg: "image/svg+xml"
                    case .jpeg: "image/jpeg"
                    }
                }

                public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
            }

            /// The file as the config names it, resolved against the config file's folder.
            public var path: String
            public var format: Format
            public var bytes: [UInt8]

            public init(path: String, format: Format, bytes: [UInt8]) {
                self.path = path
                self.format = format
                self.bytes = bytes
            }
        }

        /// The pages' and mails' name when the config gives none: the program's own, which
        /// reads well in both languages and in mails ("Activez votre compte statusd").
        public static let defaultName = Text(fr: "statusd", en: "statusd")
        /// The accent when the config gives none: the links' blue of the stylesheet.
        public static let defaultAccent = "#0b4fa0"

        public var name: Text = Branding.defaultName
        /// Whether `name` came from the config (a mail's From then carries it).
        public var hasOwnName = false
        public var logo: Logo?
        /// "#rrggbb", lower case.
        public var accent: String = Branding.defaultAccent
        public var links: [Link] = []
        /// The support number as written ("+33 1 23 45 67 89") and as dialled ("+33123456789").
        public var phone: String?
        public var phoneDial: String?

        public init() {}

        /// The colour of text written on the accent: white or black, whichever contrasts more
        /// (WCAG 2 relative luminance; one of the two always reaches 4.5:1, which near black would not).
        public var textOnAccent: String {
            Self.contrast(accent, "#ffffff") >= Self.contrast(accent, "#000000") ? "#ffffff" : "#000000"
        }

        /// The WCAG 2 contrast ratio of two "#rrggbb" colours, from 1 to 21.
        public static func contrast(_ first: String, _ second: String) -> Double {
            let (a, b) = (luminance(first), luminance(second))
            return (max(a, b) + 0.05) / (min(a, b) + 0.05)
        }

        static func luminance(_ colour: String) -> Double {
            let hex = colour.dropFirst()
            guard hex.count == 6, let value = Int(hex, radix: 16) else { return 0 }
            func channel(_ shift: Int) -> Double {
                let c = Double((value >> shift) & 0xFF) / 255
                return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
        }
    }
}
