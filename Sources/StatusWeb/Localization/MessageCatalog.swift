import Foundation

/// The UI's texts in every language, loaded once at start from `Messages/*.json`.
public struct MessageCatalog: Sendable {
    private let messages: [Language: [String: String]]

    /// Loads the catalogs shipped with StatusWeb; fails when one is missing or malformed,
    /// or when a key exists in one language and not in another.
    public static func bundled() throws -> MessageCatalog {
        var messages: [Language: [String: String]] = [:]
        for language in Language.allCases {
            guard let url = Bundle.module.url(forResource: "Messages/\(language.rawValue)", withExtension: "json")
                ?? Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "Messages")
            else { throw CatalogError(message: "missing Messages/\(language.rawValue).json") }
            messages[language] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        let keySets = Set(messages.values.map { Set($0.keys) })
        guard keySets.count == 1 else { throw CatalogError(message: "the message catalogs do not have the same keys") }
        return MessageCatalog(messages: messages)
    }

    /// The catalog of one language, as templates read it (`{{t.grid_title}}`).
    public func table(_ language: Language) -> [String: String] { messages[language] ?? [:] }

    public func text(_ key: String, _ language: Language) -> String { messages[language]?[key] ?? key }

    /// A text with `%d` / `%@` placeholders filled.
    public func text(_ key: String, _ language: Language, _ arguments: any CVarArg...) -> String {
        String(format: text(key, language), locale: language.locale, arguments: arguments)
    }

    struct CatalogError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
