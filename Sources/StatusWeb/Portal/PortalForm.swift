/// Every field the portal's forms send, decoded by `URLEncodedFormDecoder`: each form fills
/// the fields it has and leaves the others nil. One type rather than one per form, since the
/// forms share most of their fields (email, password, names) and validation lives in the
/// Portal rules, which take the values one by one.
struct PortalForm: CSRFProtectedForm {
    var csrf: String?
    // Sign-in, activation and passwords.
    var email: String?
    var password: String?
    var confirmation: String?
    /// The current password, asked before a change.
    var current: String?
    var firstName: String?
    var lastName: String?
    var phone: String?
    var language: String?
    /// Where a provider's sign-in lands afterwards (a path of this site).
    var returnTo: String?
    /// Where a password sign-in lands afterwards: the page whose "Se connecter" was followed.
    var next: String?
    /// "Changer de compte client": the tenant's id.
    var tenant: String?
    // Tenant administration.
    var emails: String?
    var role: String?
    var groupName: String?
    var user: String?
    var action: String?
    var keyName: String?
    // The console's tenants and services.
    var code: String?
    var name: String?
    var address: String?
    var admin: String?
    var family: String?
    var description: String?
    /// Why an administrator refuses a service request.
    var reason: String?
}
