/// The console's product forms. Numbers stay text here: the controller range-checks them
/// before any arithmetic and answers a non-number with the form and its message, not a 400.

/// Adding a product, or changing one made in the console (the slug then comes from the URL).
struct ProductForm: CSRFProtectedForm {
    var csrf: String?
    var slug: String?
    var name: String?
    var family: String?
    var position: String?
    var visibility: String?

    var keptValues: [String: String] {
        ["slug": slug, "name": name, "family": family, "position": position, "visibility": visibility].compactMapValues { $0 }
    }
}

/// Adding a check to a console product, in the config file's words (durations like "60s").
struct CheckForm: CSRFProtectedForm {
    var csrf: String?
    var name: String?
    var kind: String?
    var target: String?
    var interval: String?
    var timeout: String?

    var keptValues: [String: String] {
        ["name": name, "kind": kind, "target": target, "interval": interval, "timeout": timeout].compactMapValues { $0 }
    }
}
