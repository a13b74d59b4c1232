import Foundation
import StatusModel

/// The UI's texts in every language, loaded once at start from `Messages/*.json`.
public struct MessageCatalog: Sendable {
    private var messages: [Language: [String: String]]
    /// The vendor's branding: its name is the catalogs' `site_name`, and pages read the rest
    /// (logo, footer links, phone) from here, as they read their texts.
    private(set) var brand = SiteBrand.standard

    /// Loads the catalogs shipped with StatusWeb: `Messages/fr.json` and `en.json`, plus one
    /// file per area and language (`Messages/console.fr.json`), so each part of the site keeps
    /// its texts in its own file. Fails when one is malformed, when two files define the same
    /// key, or when a key exists in one language and not in another.
    public static func bundled() throws -> MessageCatalog {
        guard let folder = Bundle.module.url(forResource: "Messages", withExtension: nil) else {
            throw CatalogError(message: "missing the Messages folder")
        }
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        var messages: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let mine = files.filter { url in
                let parts = url.deletingPathExtension().lastPathComponent.split(separator: ".")
                return url.pathExtension == "json" && parts.last.map(String.init) == language.rawValue
            }
            guard !mine.isEmpty else { throw CatalogError(message: "missing Messages/\(language.rawValue).json") }
            var table: [String: String] = [:]
            for url in mine.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
                let texts = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
                for (key, text) in texts {
                    guard table.updateValue(text, forKey: key) == nil else {
                        throw CatalogError(message: "the key \(key) is defined twice in the \(language.rawValue) catalogs")
                    }
                }
            }
            messages[language] = table
        }
        let keySets = Set(messages.values.map { Set($0.keys) })
        guard keySets.count == 1 else { throw CatalogError(message: "the message catalogs do not have the same keys") }
        return MessageCatalog(messages: messages)
    }

    /// The same texts under the vendor's name (`site_name` in every language) and branding.
    func branded(_ brand: SiteBrand) -> MessageCatalog {
        var catalog = self
        catalog.brand = brand
        for language in Language.allCases { catalog.messages[language]?["site_name"] = brand.name.text(language.rawValue) }
        return catalog
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
