import Foundation

/// The profile's "Général" tab: what a signed-in user edits of their own account.
extension AccountService {
    /// What the profile form sends.
    public struct ProfileForm: Sendable, Hashable {
        public var firstName: String
        public var lastName: String
        public var phone: String
        public var language: String

        public init(firstName: String, lastName: String, phone: String, language: String) {
            self.firstName = firstName
            self.lastName = lastName
            self.phone = phone
            self.language = language
        }
    }

    /// The longest first or last name accepted.
    public static var maxNameLength: Int { 100 }
    /// The languages of the UI and of the mails.
    public static var languages: [String] { ["fr", "en"] }

    /// Saves the user's names, phone and language; throws `FormErrors` field by field: a name
    /// missing or too long, a phone that is not one ("profile_error_phone"), a language the
    /// site does not speak. Returns the user as saved.
    public func updateProfile(of user: User, _ form: ProfileForm) async throws -> User {
        let firstName = form.firstName.trimmingCharacters(in: .whitespacesAndNewlines)
        let lastName = form.lastName.trimmingCharacters(in: .whitespacesAndNewlines)
        let phone = form.phone.trimmingCharacters(in: .whitespacesAndNewlines)
        let language = form.language.trimmingCharacters(in: .whitespaces).lowercased()
        var errors = FormErrors()
        for (field, value) in [("firstName", firstName), ("lastName", lastName)] {
            if value.isEmpty { errors.add(field, "error_required") }
            if value.count > Self.maxNameLength { errors.add(field, "profile_error_too_long") }
        }
        if phone.isEmpty { errors.add("phone", "error_required") } else if !Self.isPhoneNumber(phone) { errors.add("phone", "profile_error_phone") }
        if !Self.languages.contains(language) { errors.add("language", "profile_error_language") }
        guard errors.isEmpty else { throw errors }
        guard try await store.updateProfile(userID: user.id, firstName: firstName, lastName: lastName, phone: phone, language: language) else {
            throw NotInTenant()
        }
        var saved = user
        saved.firstName = firstName
        saved.lastName = lastName
        saved.phone = phone
        saved.language = language
        await activity?.record(userID: user.id, .profileChanged)
        return saved
    }

    /// A number as people write one: digits with spaces, dots, dashes, brackets and a leading
    /// "+"; 6 to 20 digits, 30 characters at most ("+33 1 23 45 67 89", "(555) 010-9999").
    static func isPhoneNumber(_ text: String) -> Bool {
        guard text.count <= 30 else { return false }
        var digits = 0
        for (index, character) in text.enumerated() {
            if character.isASCII, character.isNumber { digits += 1; continue }
            if character == "+", index == 0 { continue }
            guard " .-()".contains(character) else { return false }
        }
        return (6...20).contains(digits)
    }
}
