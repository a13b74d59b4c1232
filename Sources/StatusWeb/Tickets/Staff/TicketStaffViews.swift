import Foundation

/// What the agents' queue (`/staff/tickets`) shows: the filters with their counts, the sorts,
/// one page of tickets and the links to the others. Empty values are left nil, since a
/// template opens a section for an empty string.
struct TicketQueueView {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }
    /// A state or priority with how many tickets it holds among those the other filters keep.
    struct Count {
        let label: String
        let count: Int
        let href: String
        let current: Bool
    }
    struct Row {
        let number: String
        let href: String
        let subject: String
        let state: String
        let stateWord: String
        let priority: String
        let priorityWord: String
        let type: String
        let tenant: String
        let contact: String
        let product: String?
        let assignee: String?
        let updated: String
        let dueWords: String
        let dueState: String
        let late: Bool
        let incidentTitle: String?
        let incidentHref: String?
    }
    struct PageLink {
        let label: String
        let href: String
        let current: Bool
    }

    let page: PageChrome
    let csrf: String
    var text = ""
    var tenantCode = ""
    var mine = false
    var unassigned = false
    var states: [Option] = []
    var priorities: [Option] = []
    var types: [Option] = []
    var products: [Option] = []
    var sorts: [Option] = []
    var stateCounts: [Count] = []
    var priorityCounts: [Count] = []
    var rows: [Row] = []
    var hasRows = false
    var summary = ""
    var pages: [PageLink] = []
    var hasPages = false
    var previousHref: String?
    var nextHref: String?
    /// The tenant code typed matches no tenant.
    var tenantUnknown: String?
}

/// What a ticket's page shows agents: its details, the whole conversation (notes marked as
/// internal), and the forms of every action the ticket's state allows.
struct TicketStaffView {
    struct Detail {
        let label: String
        let value: String
        let id: String
    }
    struct Attachment {
        let name: String
        let href: String
    }
    struct Message {
        let kind: String
        let kindWord: String
        let author: String
        let initials: String
        let at: String
        let atMachine: String
        let body: String
        let isNote: Bool
        let attachments: [Attachment]
        let hasAttachments: Bool
    }
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    let page: PageChrome
    let csrf: String
    let number: String
    let subject: String
    let base: String
    let state: String
    let stateWord: String
    let priorityWord: String
    let dueWords: String
    let dueState: String
    let late: Bool
    var notice: String?
    var conflict: String?
    var details: [Detail] = []
    var messages: [Message] = []
    var agents: [Option] = []
    var isMine = false
    var assigned = false
    var priorities: [Option] = []
    var incidents: [Option] = []
    var hasIncidents = false
    var linkedIncidentTitle: String?
    var linkedIncidentHref: String?
    var isOpen = false
    var canClose = false
    var canDraftArticle = false
    var canUpload = false
    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    var hasErrors = false
    var awaitChecked = false
}

/// "Votre avis compte" for agents: the answers per agent, product and month, and the articles
/// that answered a question before a ticket was written.
struct TicketAnswersView {
    struct Row {
        let agent: String
        let product: String
        let month: String
        let average: String
        let count: Int
    }
    struct Article {
        let number: String
        let href: String
        let count: Int
    }

    let page: PageChrome
    var rows: [Row] = []
    var hasRows = false
    var articles: [Article] = []
    var hasArticles = false
}
