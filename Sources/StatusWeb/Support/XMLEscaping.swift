import Notify

/// Escapes text for XML and HTML documents written by hand (Atom feeds, SVG badges), where no
/// template engine escapes for us.
enum XMLEscaping {
    /// `text` made safe as element content or as a quoted attribute value: markup characters
    /// become entities, so user text can never open a tag or close an attribute.
    ///
    /// Characters XML 1.0 forbids (control characters other than tab, line feed and carriage
    /// return, and U+FFFE / U+FFFF) are dropped: one of them in an incident message would
    /// otherwise make the whole feed unreadable for a strict parser.
    static func escape(_ text: String) -> String {
        var allowed = String.UnicodeScalarView()
        allowed.append(contentsOf: text.unicodeScalars.filter(isAllowedInXML))
        return HTMLText.escape(String(allowed))
    }

    /// XML 1.0's `Char` production; Swift strings hold no lone surrogates, so those need no check.
    static func isAllowedInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
