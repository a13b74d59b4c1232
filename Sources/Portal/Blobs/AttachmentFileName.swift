import Foundation

/// The name an attachment is shown and downloaded under, made from the name it came with.
public enum AttachmentFileName {
    /// Long enough for any real name; short enough for a list and for every file system (255 bytes).
    public static let maxCharacters = 120
    static let maxUTF8Bytes = 240
    /// Given when nothing is left of the name (".", "../", only control characters).
    public static let fallbackStem = "attachment"

    /// The last part of the name only (no folder, whether written with / or \), without control,
    /// format (bidi overrides, zero-width) or line-separator characters, without leading dots
    /// or trailing dots and spaces, at most `maxCharacters` with its extension kept; "attachment"
    /// (with `fallbackExtension`) when nothing is left.
    public static func sanitised(_ name: String, fallbackExtension: String = "") -> String {
        let lastPart = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var cleaned = String(String.UnicodeScalarView(lastPart.precomposedStringWithCanonicalMapping.unicodeScalars.compactMap { (scalar) -> Unicode.Scalar? in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return nil
            case .spaceSeparator: return " "
            default: return windowsReserved.contains(scalar) ? "_" : scalar
            }
        }))
        // Drive letters ("C:y.pdf") and the like lose their colon above; runs of spaces become one.
        cleaned = cleaned.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        cleaned = String(cleaned.drop { $0 == "." || $0 == " " })
        while let last = cleaned.last, last == "." || last == " " { cleaned.removeLast() }
        guard !cleaned.isEmpty else {
            let ext = sanitisedExtension(fallbackExtension)
            return ext.isEmpty ? fallbackStem : "\(fallbackStem).\(ext)"
        }
        return capped(cleaned)
    }

    /// `<>:"|?*` are refused by Windows, where downloads often land.
    private static let windowsReserved: Set<Unicode.Scalar> = ["<", ">", ":", "\"", "|", "?", "*"]

    private static func sanitisedExtension(_ ext: String) -> String {
        String(ext.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) }.prefix(10))
    }

    /// Cuts the stem, not the extension, so that a long "rapport ... .pdf" still opens as a PDF.
    private static func capped(_ name: String) -> String {
        func fits(_ text: String) -> Bool { text.count <= maxCharacters && text.utf8.count <= maxUTF8Bytes }
        guard !fits(name) else { return name }
        let ext = (name as NSString).pathExtension
        let keepsExtension = !ext.isEmpty && ext.count <= 10
        var stem = keepsExtension ? String(name.dropLast(ext.count + 1)) : name
        let suffix = keepsExtension ? ".\(ext)" : ""
        while !stem.isEmpty, !fits(stem + suffix) { stem.removeLast() }
        while let last = stem.last, last == " " || last == "." { stem.removeLast() }
        return stem.isEmpty ? fallbackStem + suffix : stem + suffix
    }
}
