import Foundation
import StatusModel

/// Checks what a request form (or the API) sends against the forms file and the tenant's lists,
/// and makes the draft. Every mistake is collected, field by field (the form's field names:
/// type, theme, sub_theme, precision, product, impact, project, description, follow_up_emails,
/// attachments, and the type's own field keys), as message keys of the UI catalogs.
struct TicketRequestCheck {
    let forms: TicketForms
    let projects: [String]
    let allowedProducts: [String]

    static let maxLine = 500
    static let maxText = 20_000
    static let maxComment = 2_000
    static let maxFollowUps = 10
    static let maxAttachments = 10

    func draft(_ request: TicketRequest, by user: User, tenantID: Int64) throws -> TicketDraft {
        guard let type = forms.type(request.type) else { throw FormErrors("type", "ticket_error_choice") }
        var errors = FormErrors()
        let language = user.language == "en" ? "en" : "fr"
        let (theme, subTheme, precision) = themes(request, type, &errors)
        let subject = type.subject(theme: theme, subTheme: subTheme, precision: precision, language: language) ?? type.label.text(language)

        var fields: [String: String] = [:]
        for field in type.fields {
            let value = Self.trimmed(request.fields[field.key])
            if value.isEmpty {
                if field.required { errors.add(field.key, "ticket_error_required") }
                continue
            }
            if field.kind == .choice, field.choices.first(where: { $0.key == value }) == nil { errors.add(field.key, "ticket_error_choice") }
            if value.count > (field.kind == .textarea ? Self.maxText : Self.maxLine) { errors.add(field.key, "ticket_error_too_long") }
            fields[field.key] = value
        }

        var product: String?
        if type.asksProduct {
            let slug = Self.trimmed(request.productSlug)
            if slug.isEmpty {
                errors.add("product", "ticket_error_required")
            } else if !allowedProducts.contains(slug) {
                errors.add("product", "ticket_error_choice")
            } else {
                product = slug
            }
        }
        var impact: String?
        if type.asksImpact {
            let key = Self.trimmed(request.impact)
            if key.isEmpty {
                errors.add("impact", "ticket_error_required")
            } else if forms.impact(key) == nil {
                errors.add("impact", "ticket_error_choice")
            } else {
                impact = key
            }
        }
        var project: String?
        if type.asksProject, let typed = request.project {
            let name = Self.trimmed(typed)
            // From the tenant's list when its administrators keep one; a short text otherwise.
            if name.isEmpty {
                errors.add("project", "ticket_error_required")
            } else if !projects.isEmpty, !projects.contains(name) {
                errors.add("project", "ticket_error_choice")
            } else if name.count > Self.maxLine {
                errors.add("project", "ticket_error_too_long")
            } else {
                project = name
            }
        }
        var description = ""
        do { description = try Self.body(request.description, field: "description") } catch let error as FormErrors {
            for (field, messages) in error.messages { for message in messages { errors.add(field, message) } }
        }
        var followUps: [String] = []
        do { followUps = try Self.followUps(request.followUpEmails, contactEmail: user.email) } catch let error as FormErrors {
            for (field, messages) in error.messages { for message in messages { errors.add(field, message) } }
        }
        if request.attachments.count > Self.maxAttachments { errors.add("attachments", "ticket_error_too_many") }
        let incident = Self.trimmed(request.incidentID)
        guard errors.isEmpty else { throw errors }

        return TicketDraft(tenantID: tenantID, contactUserID: user.id, type: type.key, subject: subject, theme: theme, subTheme: subTheme,
                           precision: precision, productSlug: product, impact: impact, priority: forms.priority(impact: impact),
                           project: project, fields: fields, followUpEmails: followUps,
                           incidentID: incident.isEmpty || incident.count > 200 ? nil : incident, language: language,
                           description: description, authorName: user.displayName, attachments: TicketService.attachments(request.attachments))
    }

    /// The theme → sub-theme → precision keys, each required when its level has choices.
    private func themes(_ request: TicketRequest, _ type: RequestType, _ errors: inout FormErrors) -> (String, String, String) {
        guard !type.themes.isEmpty else { return ("", "", "") }
        var chosen: [String] = []
        var level = type.themes
        for (field, key) in [("theme", request.theme), ("sub_theme", request.subTheme), ("precision", request.precision)] {
            guard !level.isEmpty else { break }
            let key = Self.trimmed(key)
            guard !key.isEmpty else {
                errors.add(field, "ticket_error_required")
                break
            }
            guard let choice = level.first(where: { $0.key == key }) else {
                errors.add(field, "ticket_error_choice")
                break
            }
            chosen.append(key)
            level = choice.children
        }
        while chosen.count < 3 { chosen.append("") }
        return (chosen[0], chosen[1], chosen[2])
    }

    /// A required text: trimmed, not empty, not too long.
    static func body(_ text: String, field: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw FormErrors(field, "ticket_error_required") }
        guard trimmed.count <= maxText else { throw FormErrors(field, "ticket_error_too_long") }
        return trimmed
    }

    static func attachments(_ attachments: [TakenAttachment]) throws {
        guard attachments.count <= maxAttachments else { throw FormErrors("attachments", "ticket_error_too_many") }
    }

    /// Addresses separated by commas (or semicolons, spaces, lines), each checked, lower-cased,
    /// once each, without the contact's own (who is mailed anyway).
    static func followUps(_ text: String, contactEmail: String?) throws -> [String] {
        guard text.count <= 5_000 else { throw FormErrors("follow_up_emails", "ticket_error_too_long") }
        let pieces = text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map { User.normalize(String($0)) }
        var seen: Set<String> = contactEmail.map { [User.normalize($0)] } ?? []
        var addresses: [String] = []
        for piece in pieces where !piece.isEmpty {
            guard EmailAddress.isValid(piece) else { throw FormErrors("follow_up_emails", "ticket_error_email") }
            if seen.insert(piece).inserted { addresses.append(piece) }
        }
        guard addresses.count <= maxFollowUps else { throw FormErrors("follow_up_emails", "ticket_error_too_many") }
        return addresses
    }

    static func trimmed(_ text: String?) -> String { (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
}
