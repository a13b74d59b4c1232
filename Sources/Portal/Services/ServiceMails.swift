import Foundation
import Notify
import StatusModel

/// The mails telling a requester that a tenant administrator accepted or refused their request,
/// in the requester's language. Links use the configured base URL; user text is escaped in HTML.
struct ServiceMails: Sendable {
    let baseURL: String
    /// The site's name (branding), in the requester's language: text and signature.
    let names: StatusConfig.Branding.Text

    /// The profile's Services tab, where a requester reads where their subscriptions stand.
    static let tabPath = "/account/services"

    init(baseURL: String, siteName: StatusConfig.Branding.Text) {
        self.baseURL = baseURL
        self.names = siteName
    }

    func decision(_ decision: ServiceDecision, request: ServiceRequest, tenant: Tenant?, reason: String) -> Mail? {
        let user = request.requester
        let service = request.service.name
        let account = tenant.map { "\($0.name) (\($0.code))" } ?? ""
        let link = MailLinks.localized("\(baseURL)\(Self.tabPath)", language: user.language)
        let english = user.language == "en"
        let siteName = names.text(user.language)
        switch (decision, english) {
        case (.accept, true):
            return mail(to: user, subject: "Your access to \(service) was accepted",
                        lines: ["Hello,", "An administrator of the customer account \(account) accepted your request for the service \(service).",
                                "Your subscriptions are listed on \(siteName):"], link: link)
        case (.accept, false):
            return mail(to: user, subject: "Votre accès à \(service) est accepté",
                        lines: ["Bonjour,", "Un administrateur du compte client \(account) a accepté votre demande d'accès au service \(service).",
                                "Vos abonnements sont listés sur \(siteName) :"], link: link)
        case (.refuse, true):
            return mail(to: user, subject: "Your access to \(service) was refused",
                        lines: ["Hello,", "An administrator of the customer account \(account) refused your request for the service \(service)."]
                            + (reason.isEmpty ? [] : ["Reason: \(reason)"]) + ["Your subscriptions are listed on \(siteName):"], link: link)
        case (.refuse, false):
            return mail(to: user, subject: "Votre accès à \(service) est refusé",
                        lines: ["Bonjour,", "Un administrateur du compte client \(account) a refusé votre demande d'accès au service \(service)."]
                            + (reason.isEmpty ? [] : ["Motif : \(reason)"]) + ["Vos abonnements sont listés sur \(siteName) :"], link: link)
        case (.suspend, _), (.reactivate, _):
            return nil
        }
    }

    /// The notification under the bell for a decision, in the requester's language.
    func notification(_ decision: ServiceDecision, service: String, reason: String, language: String) -> (title: String, body: String) {
        let english = language == "en"
        switch (decision, english) {
        case (.accept, true): return ("Your access to \(service) was accepted", "")
        case (.accept, false): return ("Votre accès à \(service) est accepté", "")
        case (.refuse, true): return ("Your access to \(service) was refused", reason.isEmpty ? "" : "Reason: \(reason)")
        case (.refuse, false): return ("Votre accès à \(service) est refusé", reason.isEmpty ? "" : "Motif : \(reason)")
        case (.suspend, true): return ("Your access to \(service) was suspended", "")
        case (.suspend, false): return ("Votre accès à \(service) est suspendu", "")
        case (.reactivate, true): return ("Your access to \(service) was restored", "")
        case (.reactivate, false): return ("Votre accès à \(service) est rétabli", "")
        }
    }

    private func mail(to user: User, subject: String, lines: [String], link: String) -> Mail {
        let signature = "— \(names.text(user.language))"
        let text = (lines + [link, "", signature, baseURL]).joined(separator: "\n")
        let html = "<!DOCTYPE html><html><body>" + lines.map { "<p>\(escape($0))</p>" }.joined()
            + "<p><a href=\"\(escape(link))\">\(escape(link))</a></p><p>\(escape(signature))<br>\(escape(baseURL))</p></body></html>"
        return Mail(to: user.email, subject: subject, text: text, html: html, language: user.language == "en" ? "en" : "fr")
    }

    private func escape(_ text: String) -> String { HTMLText.escape(text) }
}
