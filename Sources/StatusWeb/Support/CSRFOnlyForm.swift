/// A form whose only field is its CSRF token: the buttons that act on what the URL names
/// (cancel a window, delete a check, requeue a message, confirm a subscription, unsubscribe
/// from the account page). Any other field is ignored.
struct CSRFOnlyForm: CSRFProtectedForm {
    var csrf: String?
}
