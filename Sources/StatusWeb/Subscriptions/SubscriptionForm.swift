/// Subscribing, or changing what a subscription follows: `scope` is "all" or "chosen", and the
/// chosen products are the ticked boxes. `email` only on the anonymous form.
struct SubscriptionForm: CSRFProtectedForm, ProductChecklist {
    var csrf: String?
    var email: String?
    var scope: String?
    var products: [String]?

    var followsAll: Bool { scope != "chosen" }

    var keptValues: [String: String] {
        ["email": email].compactMapValues { $0 }
    }
}
