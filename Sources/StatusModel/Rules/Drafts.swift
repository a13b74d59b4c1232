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
        var errors: [String: String] = [:]
        if title.isEmpty { errors["title"] = "error_title_required" }
        if title.count > Self.maxTitle { errors["title"] = "error_title_too_long" }
        if messageRequired && message.isEmpty { errors["message"] = "error_message_required" }
        if message.count > Self.maxMessage { errors["message"] = "error_message_too_long" }
        if productSlugs.isEmpty { errors["products"] = "error_products_required" }
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
