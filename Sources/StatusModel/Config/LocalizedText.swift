import Foundation

/// A text in both languages of the site: the brand's name, a footer link's label, a request
/// type's label in the ticket forms.
public struct LocalizedText: Sendable, Hashable {
    public var fr: String
    public var en: String

    public init(fr: String, en: String) {
        self.fr = fr
        self.en = en
    }

    /// The text for a language code ("fr", "en"); French for any other.
    public func text(_ language: String) -> String { language == "en" ? en : fr }
}
