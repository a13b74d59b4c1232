/// Which of the profile's three tabs a page is ("Général", "Services", "Activités"), for
/// `account_tabs.mustache`: each tab page sets its own and includes the partial.
struct AccountTab {
    var general = false
    var services = false
    var activity = false

    static let general = AccountTab(general: true)
    static let services = AccountTab(services: true)
    static let activity = AccountTab(activity: true)
}
