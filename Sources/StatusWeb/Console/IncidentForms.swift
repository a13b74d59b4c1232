/// The console's incident forms, decoded by `Forms.read`. Every field is optional text, so a
/// missing one is nil and the controller's rules say what is wrong with it, next to the field.

/// Declaring an incident (all fields), or editing one (title, impact, products).
struct IncidentForm: CSRFProtectedForm, ProductChecklist {
    var csrf: String?
    var title: String?
    var message: String?
    var impact: String?
    var status: String?
    var products: [String]?

    /// The text fields as typed, for the page that comes back with errors; absent ones are left out.
    var keptValues: [String: String] {
        ["title": title, "message": message, "impact": impact, "status": status].compactMapValues { $0 }
    }
}

/// Posting an update to an incident's timeline.
struct IncidentUpdateForm: CSRFProtectedForm {
    var csrf: String?
    var status: String?
    var message: String?

    var keptValues: [String: String] {
        ["status": status, "message": message].compactMapValues { $0 }
    }
}
