import Foundation

/// What operators may publish as an incident or a maintenance window: limits that keep the
/// pages, feeds and mails readable, and windows that make sense. Pure, so every door in (the
/// API, the console) refuses the same things.
public enum AnnouncementRules {
    public static let maxTitleLength = 200
    public static let maxMessageLength = 10_000

    /// One thing wrong with what was written, and the field it is about.
    public struct Violation: Error, Sendable, Hashable {
        public enum Reason: String, Sendable, Hashable {
            case required, tooLong, noProduct, endNotAfterStart, windowTooLong, invalidSlug
        }

        public let field: String
        public let reason: Reason

        public init(_ field: String, _ reason: Reason) {
            self.field = field
            self.reason = reason
        }
    }

    /// The first problem of a title, a message and the products they are about, if any.
    public static func check(title: String, message: String, productSlugs: [String]) -> Violation? {
        violations(title: title, message: message, productSlugs: productSlugs).first
    }

    /// Every problem, at most one a field, in the order of the fields: forms show them all at once.
    public static func violations(title: String, message: String, productSlugs: [String]) -> [Violation] {
        var found: [Violation] = []
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            found.append(Violation("title", .required))
        } else if title.count > maxTitleLength {
            found.append(Violation("title", .tooLong))
        }
        if message.count > maxMessageLength { found.append(Violation("message", .tooLong)) }
        if productSlugs.isEmpty { found.append(Violation("products", .noProduct)) }
        return found
    }

    /// A window ends after it starts: an empty or reversed one would never be in progress.
    public static func check(windowStart start: Date, end: Date) -> Violation? {
        if end <= start { return Violation("end", .endNotAfterStart) }
        if end.timeIntervalSince(start) > maxWindow { return Violation("end", .windowTooLong) }
        return nil
    }

    /// The longest window: a month covers any real migration, and a mistyped year (9999)
    /// would otherwise make thousands of days of maintenance, each a rollup to write.
    public static let maxWindow: TimeInterval = 31 * 86_400

    /// Product slugs: lower-case letters, digits and dashes, as the config file demands, and short enough for a URL.
    public static func isValidSlug(_ slug: String) -> Bool { ProductSlug.isValid(slug) }
}

/// What a product made in the operators' console must be: the same shape as one of the config file.
public enum ConsoleProductRules {
    public static let maxNameLength = 200
    /// Rows are ordered by position: far from Int's limits, since positions are added to.
    public static let positions = 1...1_000_000

    public static func check(slug: String, name: String, family: String) -> AnnouncementRules.Violation? {
        if !AnnouncementRules.isValidSlug(slug) { return AnnouncementRules.Violation("slug", .invalidSlug) }
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return AnnouncementRules.Violation("name", .required) }
        if name.count > maxNameLength { return AnnouncementRules.Violation("name", .tooLong) }
        if family.count > maxNameLength { return AnnouncementRules.Violation("family", .tooLong) }
        return nil
    }
}
