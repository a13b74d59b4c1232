/// A product's state for one local day, as the weather grid shows it.
public enum DayState: String, Sendable, Hashable, Codable, CaseIterable {
    case ok, maintenance, degraded, incident, multiple, noData

    /// The symbol shown next to the word: states never rely on colour alone.
    public var icon: String {
        switch self {
        case .ok: "✓"
        case .maintenance: "ⓘ"
        case .degraded: "⊖"
        case .incident: "!"
        case .multiple: "+"
        case .noData: "·"
        }
    }
}
