import Foundation
import StatusModel

/// The mails of status subscriptions, in French or English: the confirmation of a request, the
/// note to an address that already follows updates, and one mail per announced event. Every
/// piece of user text is escaped in the HTML part; nothing in it is ever read as a template.
struct StatusMails: Sendable {
    let baseURL: String
    /// The site's name (branding): in every subject and in the signature.
    let siteName: StatusConfig.Branding.Text

    func confirmation(to address: String, language: String, link: String) -> Mail {
        let fr = language != "en"
        let link = MailLinks.localized(link, language: language)
        let subject = fr ? "Confirmez votre inscription aux mises à jour de statut de \(siteName.fr)"
                         : "Confirm your subscription to status updates of \(siteName.en)"
        let lines = fr
            ? ["Bonjour,", "", "Pour recevoir les mises à jour de statut à cette adresse, confirmez votre inscription :", link, "",
               "Ce lien est valable 48 heures. Si vous n'avez rien demandé, ignorez ce message : vous ne recevrez rien."]
            : ["Hello,", "", "To get status updates at this address, confirm your subscription:", link, "",
               "This link is valid for 48 hours. If you did not ask for it, ignore this message: you will get nothing."]
        return mail(to: address, subject: subject, lines: lines, language: language, links: [link])
    }

    func alreadySubscribed(to address: String, language: String, manageLink: String) -> Mail {
        let fr = language != "en"
        let manageLink = MailLinks.localized(manageLink, language: language)
        let subject = fr ? "Vous suivez déjà les mises à jour de statut de \(siteName.fr)" : "You already follow status updates of \(siteName.en)"
        let lines = fr
            ? ["Bonjour,", "", "Cette adresse suit déjà les mises à jour de statut. Pour choisir les produits ou vous désinscrire :", manageLink]
            : ["Hello,", "", "This address already follows status updates. To choose products or unsubscribe:", manageLink]
        return mail(to: address, subject: subject, lines: lines, language: language, links: [manageLink])
    }

    /// One update, with the headers of RFC 8058: a mail client's "unsubscribe" button posts to
    /// the link and the subscription ends at once.
    func update(_ event: StatusEvent, to address: String, language: String, productNames: [String], manageLink: String,
                unsubscribeLink: String, calendar: DayCalendar) -> Mail {
        let fr = language != "en"
        let heading = Self.heading(event.kind, fr: fr)
        let (title, message) = Self.words(of: event, productNames: productNames, fr: fr)
        let subject = "[\(heading)] \(title) · \(siteName.text(language))"
        // French puts a space before a colon, English none.
        func line(_ french: String, _ english: String, _ value: String) -> String { fr ? "\(french) : \(value)" : "\(english): \(value)" }
        let manageLink = MailLinks.localized(manageLink, language: language)
        let unsubscribeLink = MailLinks.localized(unsubscribeLink, language: language)
        var lines = [title, "", line("Produits", "Products", productNames.joined(separator: ", ")),
                     line("Statut", "Status", Self.statusWord(event.status, fr: fr))]
        if let start = event.windowStart, let end = event.windowEnd {
            lines.append(line("Fenêtre", "Window", "\(Self.format(start, calendar: calendar, fr: fr)) → \(Self.format(end, calendar: calendar, fr: fr))"))
        }
        if !message.isEmpty { lines += ["", message] }
        let pageLink = MailLinks.localized(productNames.count == 1 && event.productSlugs.count == 1
            ? "\(baseURL)/products/\(event.productSlugs[0])" : "\(baseURL)/", language: language)
        lines += ["", line("Voir le statut", "See the status", pageLink), "",
                  line("Choisir les produits suivis", "Choose the products you follow", manageLink),
                  line("Se désinscrire en un clic", "Unsubscribe in one click", unsubscribeLink)]
        var mail = mail(to: address, subject: subject, lines: lines, language: language, links: [pageLink, manageLink, unsubscribeLink])
        mail.headers["List-Unsubscribe"] = "<\(unsubscribeLink)>"
        mail.headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        return mail
    }

    /// The title and message a follower reads: an operator's text as written; what the probes
    /// say, in the follower's language (the stored text is in the portal's).
    static func words(of event: StatusEvent, productNames: [String], fr: Bool) -> (title: String, message: String) {
        let product = productNames.joined(separator: ", ")
        switch event.kind {
        case .outageConfirmed:
            guard let code = event.probeReason else { return (event.title, event.message) }
            let reason = ProbeFailure(code: code).sentence(fr ? "fr" : "en")
            return (fr ? "\(product) : \(reason)" : "\(product): \(reason)", fr ? "Les sondes confirment une panne de \(product) (\(reason)). Nos équipes analysent."
                                                 : "Probes confirm an outage of \(product) (\(reason)). Our teams are looking into it.")
        case .recoveryConfirmed:
            return (fr ? "\(product) : rétabli" : "\(product): back to normal", fr ? "Les sondes confirment le retour à la normale de \(product)."
                                    : "Probes confirm that \(product) is back to normal.")
        default:
            return (event.title, event.message)
        }
    }

    static func heading(_ kind: StatusEvent.Kind, fr: Bool) -> String {
        switch kind {
        case .incidentCreated: fr ? "Incident" : "Incident"
        case .incidentUpdated: fr ? "Mise à jour" : "Update"
        case .incidentResolved: fr ? "Résolu" : "Resolved"
        case .outageConfirmed: fr ? "Panne détectée" : "Outage detected"
        case .recoveryConfirmed: fr ? "Rétabli" : "Recovered"
        case .maintenanceScheduled: fr ? "Maintenance planifiée" : "Maintenance scheduled"
        case .maintenanceStarted: fr ? "Maintenance en cours" : "Maintenance in progress"
        case .maintenanceCompleted: fr ? "Maintenance terminée" : "Maintenance completed"
        case .maintenanceCancelled: fr ? "Maintenance annulée" : "Maintenance cancelled"
        case .maintenanceRescheduled: fr ? "Maintenance déplacée" : "Maintenance rescheduled"
        }
    }

    static func statusWord(_ status: String, fr: Bool) -> String {
        switch status {
        case "investigating": fr ? "analyse en cours" : "investigating"
        case "identified": fr ? "cause identifiée" : "identified"
        case "monitoring": fr ? "sous surveillance" : "monitoring"
        case "resolved": fr ? "résolu" : "resolved"
        case "scheduled": fr ? "planifiée" : "scheduled"
        case "inProgress": fr ? "en cours" : "in progress"
        case "completed": fr ? "terminée" : "completed"
        case "cancelled": fr ? "annulée" : "cancelled"
        default: status
        }
    }

    private static func format(_ date: Date, calendar: DayCalendar, fr: Bool) -> String {
        let style = Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: fr ? "fr_FR" : "en_GB"),
                                     timeZone: calendar.timeZone)
        return date.formatted(style) + " (\(calendar.timeZone.identifier))"
    }

    /// The text part as given; the HTML part the same lines escaped, links made clickable.
    private func mail(to address: String, subject: String, lines: [String], language: String, links: [String]) -> Mail {
        // Signed with the site's name and address, as the pages are headed with it.
        let lines = lines + ["", "— \(siteName.text(language))", baseURL]
        let text = lines.joined(separator: "\n") + "\n"
        let html = lines.map { line -> String in
            let escaped = HTMLText.escape(line)
            guard let link = links.first(where: { line.hasSuffix($0) }) else { return escaped.isEmpty ? "<br>" : "<p>\(escaped)</p>" }
            let label = HTMLText.escape(String(line.dropLast(link.count)))
            return "<p>\(label)<a href=\"\(HTMLText.escape(link))\">\(HTMLText.escape(link))</a></p>"
        }.joined(separator: "\n")
        return Mail(to: address, subject: subject, text: text,
                    html: "<!doctype html><html lang=\"\(language)\"><body>\n\(html)\n</body></html>", language: language)
    }
}
