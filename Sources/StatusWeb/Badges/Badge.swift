import Foundation

/// A flat two-part badge in the shields.io style ("Cegid Loop | operational") as SVG.
struct Badge {
    /// Background colours of the right part. Darker than shields.io's defaults so the white text
    /// keeps a contrast of at least 4.5:1; the word, not the colour, carries the meaning.
    enum Colour: String {
        case green = "#1a7f37"
        case blue = "#0969da"
        case ochre = "#9a6700"
        case red = "#cf222e"
        case grey = "#6e7781"
    }

    let label: String
    let message: String
    let colour: Colour

    static let height = 20.0
    /// Room on each side of a text.
    static let padding = 6.0
    static let labelColour = "#555"

    func svg() -> String {
        let labelText = Self.textWidth(label)
        let messageText = Self.textWidth(message)
        let labelWidth = (labelText + 2 * Self.padding).rounded(.up)
        let messageWidth = (messageText + 2 * Self.padding).rounded(.up)
        let width = labelWidth + messageWidth
        let spoken = XMLEscaping.escape("\(label): \(message)")
        // Ids unique to this badge: two badges inlined in one HTML page must not clip each other.
        let id = "b" + PageCache.etag(for: "\(label)|\(message)|\(colour.rawValue)").filter(\.isHexDigit)
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        // The text is drawn twice, a dark copy one pixel lower first: the shadow shields.io uses
        // to keep white text readable. `textLength` makes the browser fit the text to the width
        // estimated here, so a font with other metrics never overflows its box.
        func text(_ content: String, centre: Double, length: Double) -> String {
            let escaped = XMLEscaping.escape(content)
            return """
                <text x="\(number(centre))" y="15" fill="#010101" fill-opacity=".3" textLength="\(number(length))" aria-hidden="true">\(escaped)</text>\
                <text x="\(number(centre))" y="14" textLength="\(number(length))">\(escaped)</text>
                """
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(Self.height))" viewBox="0 0 \(Int(width)) \(Int(Self.height))" role="img" aria-label="\(spoken)">\
            <title>\(spoken)</title>\
            <linearGradient id="\(id)s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>\
            <clipPath id="\(id)r"><rect width="\(Int(width))" height="\(Int(Self.height))" rx="3" fill="#fff"/></clipPath>\
            <g clip-path="url(#\(id)r)"><rect width="\(Int(labelWidth))" height="\(Int(Self.height))" fill="\(Self.labelColour)"/>\
            <rect x="\(Int(labelWidth))" width="\(Int(messageWidth))" height="\(Int(Self.height))" fill="\(colour.rawValue)"/>\
            <rect width="\(Int(width))" height="\(Int(Self.height))" fill="url(#\(id)s)"/></g>\
            <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">\
            \(text(label, centre: labelWidth / 2, length: labelText))\
            \(text(message, centre: labelWidth + messageWidth / 2, length: messageText))</g></svg>
            """
    }

    /// The width of `text` in Verdana 11px, the badge font, from rounded advance widths: close
    /// enough for the box, and `textLength` absorbs the rest.
    static func textWidth(_ text: String) -> Double {
        text.reduce(0) { $0 + advance(of: $1) }
    }

    private static func advance(of character: Character) -> Double {
        // Accented letters are as wide as their base letter ("é" like "e").
        let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.first.map(Character.init) ?? character
        if let width = widths[base] { return width }
        if base.isUppercase { return 7.6 }
        if base.isLowercase { return 6.6 }
        if base.isNumber { return 7.0 }
        // Ideographs and emoji are about a square wide.
        if let scalar = base.unicodeScalars.first, scalar.value >= 0x2E80 { return 11.0 }
        return 7.0
    }

    private static let widths: [Character: Double] = {
        var table: [Character: Double] = [:]
        let groups: [(String, Double)] = [
            (" ", 3.9), ("ijl|", 3.1), ("'", 3.0), (".,:;!", 4.0), ("ftI()[]", 4.5), ("r", 4.7), ("s", 5.7), ("cz", 5.8),
            ("J-", 4.5), ("\"*", 5.5), ("kvxy", 6.5), ("abdeghnopqu", 6.8), ("0123456789+=<>#$", 7.0),
            ("ELFTZ", 6.8), ("BPSKXY", 7.5), ("ACDGHNORUV", 8.0), ("Q", 8.6), ("mM", 10.7), ("wW", 9.0), ("%", 11.9), ("&", 7.7), ("@", 11.0),
        ]
        for (characters, width) in groups { for character in characters { table[character] = width } }
        return table
    }()
}
