import Foundation
import Notify
import StatusModel

/// What the subscription pages show: the form (address, all products or chosen ones), or a
/// message with at most one button.
struct SubscriptionView {
    let page: PageChrome
    let csrf: String
    /// Nil shows no notice (an empty text would still open the template's section).
    var notice: String?
    var message = ""
    var values: [String: String] = [:]
    var errors: [String: String] = [:] {
        didSet { hasErrors = !errors.isEmpty }
    }
    /// Stored: templates see stored properties only.
    private(set) var hasErrors = false
    var products: [ConsoleView.Choice] = []
    var followsAll = true
    /// Where the form posts, and the button's words; nil shows no form.
    var action = ""
    var button: String?
    /// A second form: the one-click unsubscribe.
    var unsubscribeAction = ""
    var email = ""
    var loggedIn = false
}

/// Reading the choice of products from a subscription form: "all", or the boxes ticked.
struct ProductChoice {
    let followsAll: Bool
    let slugs: [String]

    init(_ form: SubscriptionForm, known: Set<String>) {
        followsAll = form.followsAll
        slugs = followsAll ? [] : form.chosenProducts.filter(known.contains)
    }

    /// Field → message key.
    var errors: [String: String] { !followsAll && slugs.isEmpty ? ["products": "error_products_required"] : [:] }
}
