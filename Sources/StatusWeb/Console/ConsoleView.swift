import Foundation
import StatusModel

/// What the operators' console pages show: the chrome, the form being filled (values kept,
/// errors next to fields), the choices of products, impacts and statuses, and the lists.
struct ConsoleView {
    /// The notices a redirect may ask for: only these, so a link cannot make the page say anything.
    static let notices: Set<String> = ["update_posted", "incident_saved", "maintenance_saved", "maintenance_cancelled", "product_saved", "check_saved", "check_deleted", "tickets_linked"]

    let page: PageChrome
    let csrf: String
    /// Nil shows no notice (an empty text would still open the template's section).
    var notice: String?
    var values: [String: String] = [:]
    var errors: [String: String] = [:] {
        didSet { hasErrors = !errors.isEmpty }
    }
    /// Stored, not computed: templates see stored properties only (swift-mustache reads them by
    /// reflection), so the summary "the form has errors" never showed while this was computed.
    private(set) var hasErrors = false
    var products: [Choice] = []
    var impacts: [Choice] = []
    var statuses: [Choice] = []
    var incidents: [IncidentRow] = []
    var incident: IncidentRow?
    var windows: [WindowRow] = []
    var window: WindowRow?
    var productRows: [ProductRow] = []
    var visibilities: [Choice] = []
    /// The incident's linked tickets, when the site serves tickets.
    var servesTickets = false
    var linkedTickets: [LinkedTicketRow] = []
    var hasLinkedTickets = false

    struct LinkedTicketRow {
        let number: String
        let href: String
        let subject: String
        let state: String
        let stateWord: String
        let priorityWord: String
    }

    struct Choice {
        let value: String
        let label: String
        let selected: Bool
    }

    struct IncidentRow {
        let id: String
        let title: String
        let impact: String
        let status: String
        let statusWord: String
        let products: String
        let started: String
        let resolved: Bool
        let automatic: Bool
        let updates: [UpdateRow]
    }

    struct UpdateRow {
        let statusWord: String
        let message: String
        let at: String
    }

    struct WindowRow {
        let id: String
        let title: String
        let message: String
        let products: String
        let start: String
        let end: String
        let status: String
        let statusWord: String
        let weekly: Bool
    }

    struct ProductRow {
        let slug: String
        let name: String
        let family: String
        let position: String
        let visibility: String
        let visibilityWord: String
        let fromConfig: Bool
        let visibilities: [Choice]
        var checks: [CheckRow] = []
        /// The refusal of this product's check form, and what was typed in it.
        var checkError: String?
        var checkValues: [String: String] = [:]
    }

    /// A console product's check, in the config file's words.
    struct CheckRow {
        let productSlug: String
        let name: String
        let spec: String
    }
}
