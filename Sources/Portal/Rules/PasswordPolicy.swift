import Foundation

/// The password policy shown beside the fields, checked as the user types and again here.
public enum PasswordPolicy {
    /// One rule of the policy; its raw value is the message key in the UI catalogs.
    public enum Rule: String, Sendable, CaseIterable {
        case length = "password_rule_length"
        case uppercase = "password_rule_uppercase"
        case lowercase = "password_rule_lowercase"
        case digit = "password_rule_digit"
        case special = "password_rule_special"
    }

    public static let minimumLength = 8

    /// The rules `password` breaks; empty when it holds.
    public static func violations(of password: String) -> [Rule] {
        var broken: [Rule] = []
        if password.count < minimumLength { broken.append(.length) }
        if !password.contains(where: \.isUppercase) { broken.append(.uppercase) }
        if !password.contains(where: \.isLowercase) { broken.append(.lowercase) }
        if !password.contains(where: \.isNumber) { broken.append(.digit) }
        if !password.contains(where: { !$0.isLetter && !$0.isNumber && !$0.isWhitespace }) { broken.append(.special) }
        return broken
    }
}

/// How long things last, in one place.
public enum AccountLifetimes {
    /// An activation link works for 90 days from the account's creation.
    public static let activation: TimeInterval = 90 * 86_400
    /// A reset link works for one hour, once.
    public static let reset: TimeInterval = 3600
    /// A password must change every 90 days.
    public static let password: TimeInterval = 90 * 86_400
    /// A session ends after 12 hours.
    public static let session: TimeInterval = 12 * 3600
}

/// Login throttling: after `maxFailures` failures within `window`, for an account or for a
/// client address, further attempts are refused until the window passes.
public enum LoginThrottle {
    public static let maxFailures = 5
    public static let window: TimeInterval = 15 * 60
}
