import Foundation

/// "environ une heure auparavant", "about an hour ago": how long ago a message was written, in
/// words, as the conversation shows it (the exact date goes in the `<time>` element's title).
/// A pure function of the two instants and the language.
enum RelativeTime {
    static func text(_ date: Date, now: Date, language: Language) -> String {
        let seconds = max(0, now.timeIntervalSince(date))
        let minutes = Int((seconds / 60).rounded())
        let hours = Int((seconds / 3600).rounded())
        let days = Int((seconds / 86_400).rounded())
        let months = Int((seconds / (30 * 86_400)).rounded())
        let years = Int((seconds / (365 * 86_400)).rounded())
        let french = language == .fr
        switch seconds {
        case ..<45: return french ? "il y a quelques secondes" : "a few seconds ago"
        case ..<90: return french ? "environ une minute auparavant" : "about a minute ago"
        case ..<(45 * 60): return french ? "\(minutes) minutes auparavant" : "\(minutes) minutes ago"
        case ..<(90 * 60): return french ? "environ une heure auparavant" : "about an hour ago"
        case ..<(22 * 3600): return french ? "environ \(hours) heures auparavant" : "about \(hours) hours ago"
        case ..<(36 * 3600): return french ? "un jour auparavant" : "a day ago"
        case ..<(26 * 86_400): return french ? "\(max(days, 2)) jours auparavant" : "\(max(days, 2)) days ago"
        case ..<(45 * 86_400): return french ? "environ un mois auparavant" : "about a month ago"
        case ..<(320 * 86_400): return french ? "\(max(months, 2)) mois auparavant" : "\(max(months, 2)) months ago"
        case ..<(548 * 86_400): return french ? "environ un an auparavant" : "about a year ago"
        default: return french ? "\(max(years, 2)) ans auparavant" : "\(max(years, 2)) years ago"
        }
    }

    /// "2026-11-20T11:00:00Z", for the `datetime` attribute.
    static func machine(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
