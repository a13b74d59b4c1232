/// Scheduling or changing a maintenance window. `start` and `end` are `datetime-local` text,
/// read by the controller in the deployment's time zone; `weekly` is a checkbox ("on" or absent).
struct MaintenanceForm: CSRFProtectedForm, ProductChecklist {
    var csrf: String?
    var title: String?
    var message: String?
    var start: String?
    var end: String?
    var weekly: String?
    var products: [String]?

    var repeatsWeekly: Bool { weekly == "on" }

    /// The text fields as typed; `weekly` only when ticked, since the template's section opens
    /// for any value, even an empty one.
    var keptValues: [String: String] {
        ["title": title, "message": message, "start": start, "end": end, "weekly": repeatsWeekly ? "on" : nil].compactMapValues { $0 }
    }
}
