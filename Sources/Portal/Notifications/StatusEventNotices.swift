import Foundation
import Notify
import StatusModel

/// The words of a status event's notification, in the user's language: "Incident sur Cegid
/// Loop : Connexions lentes", and the mail that goes with it for users who chose mail.
struct StatusEventNotices: Sendable {
    let baseURL: String
    let names: StatusConfig.Branding.Text

    /// The events a user of the product hears of: incidents opened, updated, resolved, and
    /// maintenance scheduled or started. The others (completed, cancelled, moved) are the
    /// status subscriptions' to tell.
    static func concerns(_ kind: StatusEvent.Kind) -> Bool {
        switch kind {
        case .incidentCreated, .incidentUpdated, .incidentResolved, .outageConfirmed, .recoveryConfirmed,
             .maintenanceScheduled, .maintenanceStarted: true
        case .maintenanceCompleted, .maintenanceCancelled, .maintenanceRescheduled: false
        }
    }

    func title(_ event: StatusEvent, products: String, language: String) -> String {
        let english = language == "en"
        let what: String = switch (event.kind, english) {
        case (.incidentCreated, false), (.outageConfirmed, false): "Incident sur \(products)"
        case (.incidentCreated, true), (.outageConfirmed, true): "Incident on \(products)"
        case (.incidentUpdated, false): "Incident mis à jour sur \(products)"
        case (.incidentUpdated, true): "Incident updated on \(products)"
        case (.incidentResolved, false), (.recoveryConfirmed, false): "Incident résolu sur \(products)"
        case (.incidentResolved, true), (.recoveryConfirmed, true): "Incident resolved on \(products)"
        case (.maintenanceScheduled, false): "Maintenance prévue sur \(products)"
        case (.maintenanceScheduled, true): "Maintenance scheduled on \(products)"
        case (.maintenanceStarted, false): "Maintenance en cours sur \(products)"
        case (.maintenanceStarted, true): "Maintenance in progress on \(products)"
        default: english ? "News on \(products)" : "Du nouveau sur \(products)"
        }
        let title = event.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { return what }
        return english ? "\(what): \(title)" : "\(what) : \(title)"
    }

    /// The mail of one notification: its title, its message, and the link on the site.
    func mail(to user: User, title: String, body: String, link: String) -> Mail {
        let language = user.language == "en" ? "en" : "fr"
        let url = MailLinks.localized(baseURL + link, language: language)
        let signature = "— \(names.text(language))"
        let lines = [language == "en" ? "Hello," : "Bonjour,", title] + (body.isEmpty ? [] : [body])
        let text = (lines + [url, "", signature, baseURL]).joined(separator: "\n")
        let html = "<!DOCTYPE html><html><body>" + lines.map { "<p>\(HTMLText.escape($0))</p>" }.joined()
            + "<p><a href=\"\(HTMLText.escape(url))\">\(HTMLText.escape(url))</a></p>"
            + "<p>\(HTMLText.escape(signature))<br>\(HTMLText.escape(baseURL))</p></body></html>"
        return Mail(to: user.email, subject: title, text: text, html: html, language: language)
    }
}
