import Foundation

/// What an operator typed to declare or change an incident or a window, checked before it is
/// saved. Errors name the field and a message key of the UI's catalogs.
public struct AnnouncementDraft: Sendable {
    public static let maxTitle = AnnouncementRules.maxTitleLength
    public static let maxMessage = AnnouncementRules.maxMessageLength

    public var title: String
    public var message: String
    public var productSlugs: [String]

    public init(title: String, message: String, productSlugs: [String]) {
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.message = message.trimmingCharacters(in: .whitespacesAndNewlines)
        self.productSlugs = Array(Set(productSlugs)).sorted()
    }

    /// Field → message key, empty when the draft can be saved.
    public func errors(knownSlugs: Set<String>, messageRequired: Bool) -> [String: String] {
        // The API's rules, each said in the catalogs' words; plus what only a form asks.
        var errors: [String: String] = [:]
        for violation in AnnouncementRules.violations(title: title, message: message, productSlugs: productSlugs) {
            errors[violation.field] = switch violation.reason {
            case .required: "error_\(violation.field)_required"
            case .tooLong: "error_\(violation.field)_too_long"
            default: "error_products_required"
            }
        }
        if messageRequired && message.isEmpty { errors["message"] = "error_message_required" }
        if productSlugs.contains(where: { !knownSlugs.contains($0) }) { errors["products"] = "error_products_unknown" }
        return errors
    }

    /// A window must end after it starts.
    public static func windowErrors(start: Date?, end: Date?) -> [String: String] {
        var errors: [String: String] = [:]
        if start == nil { errors["start"] = "error_date_invalid" }
        if end == nil { errors["end"] = "error_date_invalid" }
        if let start, let end {
            switch AnnouncementRules.check(windowStart: start, end: end)?.reason {
            case .endNotAfterStart: errors["end"] = "error_window_order"
            case .windowTooLong: errors["end"] = "error_window_too_long"
            default: break
            }
        }
        return errors
    }
}
