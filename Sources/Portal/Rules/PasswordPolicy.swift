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

/// Login throttling, over a window of 15 minutes, on three counters that every failed attempt
/// adds to:
/// - the account from one client address: `maxFailures` (5), the ordinary lock against someone
///   guessing one account's password;
/// - the account from every address: `maxFailuresPerAccount` (50), against guessing spread over
///   many addresses (a botnet); the account's owner is locked out too while it lasts;
/// - the client address over every account: `maxFailuresPerAddress` (200), against one address
///   spraying a common password over many accounts. It is high because many people may share
///   one address (an office behind NAT).
///
/// So wrong passwords from one address lock only that account from that address, until they
/// pass 50 (that account everywhere) or 200 (every account from that address): a burst of up to
/// 199 never keeps another account's correct password out. A success clears the pair's counter.
/// A throttled attempt is answered at once, without bcrypt: it says nothing about the account
/// (a throttled answer depends only on failures, which unknown accounts collect the same way).
public enum LoginThrottle {
    /// The account from one client address.
    public static let maxFailures = 5
    /// The account from every address.
    public static let maxFailuresPerAccount = 50
    /// The client address over every account.
    public static let maxFailuresPerAddress = 200
    public static let window: TimeInterval = 15 * 60

    /// The counters of an attempt, each with its limit. `email` is normalized.
    static func counters(email: String, clientAddress: String) -> [(key: String, limit: Int)] {
        [(pairKey(email: email, clientAddress: clientAddress), maxFailures),
         ("account:\(email)", maxFailuresPerAccount),
         ("address:\(clientAddress)", maxFailuresPerAddress)]
    }

    static func pairKey(email: String, clientAddress: String) -> String {
        "pair:\(email)|\(clientAddress)"
    }
}

/// "Mot de passe oublié" sends at most one mail per address per `interval`; the page answers
/// the same every time.
public enum ResetRequests {
    public static let interval: TimeInterval = 10 * 60
}
