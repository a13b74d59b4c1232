import Foundation

/// A language the UI speaks.
public enum Language: String, Sendable, CaseIterable {
    case fr, en

    public static let fallback: Language = .fr

    /// The language of a request: `?lang=`, then the `lang` cookie, then Accept-Language.
    public static func negotiate(query: String?, cookie: String?, acceptLanguage: String?) -> Language {
        if let query, let language = Language(rawValue: query.lowercased()) { return language }
        if let cookie, let language = Language(rawValue: cookie.lowercased()) { return language }
        return acceptLanguage.flatMap(fromAcceptLanguage) ?? fallback
    }

    /// Picks the supported language the browser prefers most, honouring q-values.
    static func fromAcceptLanguage(_ header: String) -> Language? {
        let ranked = header.split(separator: ",").enumerated().compactMap { index, part -> (Language, Double, Int)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), !tag.isEmpty else { return nil }
            let primary = String(tag.split(separator: "-").first ?? "")
            guard let language = Language(rawValue: primary) else { return nil }
            let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0 ? (language, quality, index) : nil
        }
        return ranked.sorted { ($0.1, -$0.2) > ($1.1, -$1.2) }.first?.0
    }

    var locale: Locale { Locale(identifier: self == .fr ? "fr_FR" : "en_GB") }
}
