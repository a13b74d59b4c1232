import Foundation
import Portal

/// What a request form sends (`multipart/form-data`, for its files): the chosen lists as one
/// path "theme/sub-theme/precision", the product, the impact, the type's own fields
/// (`field_problem`…), the project, the description and the follow-up addresses. Kept as typed,
/// so a refused form comes back with everything in it.
struct HelpFormValues {
    /// "choose" (the lists, without JavaScript: "Continuer"), "search" (the knowledge base,
    /// without JavaScript), or "send".
    var step = ""
    var theme = ""
    var subTheme = ""
    var precision = ""
    var product = ""
    var impact = ""
    var fields: [String: String] = [:]
    /// "yes" or "no" to "Votre demande concerne-t-elle un projet ?"; "" before an answer.
    var concernsProject = ""
    var project = ""
    var description = ""
    var followUps = ""

    static let fieldPrefix = "field_"
    static let maxText = 10_000

    init() {}

    init(_ sent: [String: [String]], type: RequestType) {
        func value(_ name: String) -> String {
            String((sent[name]?.first ?? "").prefix(Self.maxText))
        }
        step = value("step")
        let path = value("path").split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        theme = path.first ?? ""
        subTheme = path.count > 1 ? path[1] : ""
        precision = path.count > 2 ? path[2] : ""
        product = value("product")
        impact = value("impact")
        for field in type.fields { fields[field.key] = value(Self.fieldPrefix + field.key) }
        concernsProject = ["yes", "no"].contains(value("concernsProject")) ? value("concernsProject") : ""
        project = value("project")
        description = value("description")
        followUps = value("followUps")
    }

    /// The path of the chosen lists, as the form's select names it.
    var path: String {
        [theme, subTheme, precision].filter { !$0.isEmpty }.joined(separator: "/")
    }

    /// Whether the lists are chosen to their last level (always, for a type without themes).
    func listsChosen(_ type: RequestType) -> Bool {
        type.themes.isEmpty || type.subject(theme: theme, subTheme: subTheme, precision: precision, language: "fr") != nil
    }

    /// The request the service checks: `product`, `impact` and `project` only where the form asks them.
    func request(_ type: RequestType, attachments: [TakenAttachment], incidentID: String?) -> TicketRequest {
        TicketRequest(type: type.key, theme: theme, subTheme: subTheme, precision: precision,
                      productSlug: type.asksProduct && !product.isEmpty ? product : nil,
                      impact: type.asksImpact && !impact.isEmpty ? impact : nil,
                      project: type.asksProject && concernsProject == "yes" ? project : nil,
                      fields: fields.filter { !$0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty },
                      description: description, followUpEmails: followUps, attachments: attachments, incidentID: incidentID)
    }

    /// The checks the page makes before the service does (the service checks everything again):
    /// a project answered "Oui" names one, and a description is there.
    func pageErrors(_ type: RequestType) -> FormErrors {
        var errors = FormErrors()
        if type.asksProject, concernsProject == "yes", project.isEmpty { errors.add("project", "ticket_error_project_required") }
        if description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("description", "ticket_error_description_required") }
        return errors
    }

    /// The field of the page a service error names ("follow_up_emails" is the page's "followUps").
    static func pageField(_ serviceField: String) -> String {
        switch serviceField {
        case "follow_up_emails", "followUpEmails", "follow_ups": "followUps"
        case "sub_theme", "subTheme", "precision", "theme", "subject": "path"
        case "productSlug", "product_slug": "product"
        case "attachments": "files"
        default:
            serviceField.hasPrefix("fields.") ? Self.fieldPrefix + String(serviceField.dropFirst("fields.".count)) : serviceField
        }
    }
}
