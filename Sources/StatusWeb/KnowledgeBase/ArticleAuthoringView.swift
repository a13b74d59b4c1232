import Foundation
import Portal
import StatusModel

/// What the agents' pages show: the list of every article, and the article form with its
/// preview, attachments, versions and state buttons.
struct ArticleAuthoringView {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }
    struct Row {
        let number: String
        let href: String
        let title: String
        let category: String
        let language: String
        let state: String
        let stateLabel: String
        let updated: String
    }
    struct Attachment {
        let id: String
        let name: String
        let href: String
        let size: String
        let type: String
    }
    struct Version {
        let label: String
        let href: String
        let saved: String
    }
    struct StateButton {
        let state: String
        let label: String
    }

    let page: PageChrome
    let csrf: String
    var notice: String?
    // The list.
    var rows: [Row] = []
    var hasRows = false
    var filterText = ""
    var stateFilters: [Option] = []
    // The form.
    var number: String?
    var action = "/staff/kb"
    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    var hasErrors = false
    var categories: [Option] = []
    var languages: [Option] = []
    var visibilities: [Option] = []
    var services: [Option] = []
    var hasServices = false
    var products: [Option] = []
    var preview: SafeHTML?
    var stateLabel: String?
    var versionLabel: String?
    var stateButtons: [StateButton] = []
    var attachments: [Attachment] = []
    var hasAttachments = false
    var uploadError: String?
    var canUpload = false
    var versions: [Version] = []
    var hasVersions = false
    var publicHref: String?
}
