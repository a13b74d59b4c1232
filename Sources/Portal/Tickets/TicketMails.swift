import Foundation
import Notify
import StatusModel

/// The mails of a ticket's changes, to its contact (in their language) and its follow-up
/// addresses (in the ticket's language), one per address: the acknowledgement with the number,
/// an agent's reply, a proposed solution, resolved (with "Votre avis compte"), cancelled.
/// Never for a note, and never with a note's text: only the message of the change is quoted.
/// Links use the configured base URL; user text is escaped in the HTML part.
struct TicketMails: Sendable {
    let baseURL: String
    /// The site's name (branding), in each mail's language: text and signature.
    let names: StatusConfig.Branding.Text

    /// What happened, with what the mail quotes.
    enum Event: Sendable {
        case acknowledgement
        case reply(author: String, body: String)
        case solution(author: String, body: String)
        case resolved
        case cancelled
    }

    /// One mail per address: the contact's first, then each follow-up address not already mailed.
    func mails(_ event: Event, ticket: Ticket, contact: User?) -> [Mail] {
        var recipients: [(address: String, language: String)] = []
        if let contact { recipients.append((contact.email, contact.language)) }
        recipients += ticket.followUpEmails.map { ($0, ticket.language) }
        var seen: Set<String> = []
        return recipients.compactMap { recipient in
            let address = User.normalize(recipient.address)
            guard !address.isEmpty, seen.insert(address).inserted, MailAddress.isSafeRecipient(address) else { return nil }
            return mail(event, ticket: ticket, to: address, language: recipient.language == "en" ? "en" : "fr")
        }
    }

    private func mail(_ event: Event, ticket: Ticket, to address: String, language: String) -> Mail {
        let english = language == "en"
        let number = ticket.number.description
        let page = "\(baseURL)/requests/\(number)"
        let link = MailLinks.localized(page, language: language)
        let siteName = names.text(language)
        let greeting = english ? "Hello," : "Bonjour,"
        let about = english ? "Your request “\(ticket.subject)” (\(number))" : "Votre demande « \(ticket.subject) » (\(number))"
        switch event {
        case .acknowledgement:
            return compose(to: address, language: language,
                           subject: english ? "[\(number)] We received your request" : "[\(number)] Votre demande est enregistrée",
                           lines: [greeting, english ? "Your request “\(ticket.subject)” was received with the number \(number)."
                                                     : "Votre demande « \(ticket.subject) » est enregistrée sous le numéro \(number).",
                                   english ? "Follow it on \(siteName):" : "Suivez-la sur \(siteName) :"],
                           quote: nil, link: link)
        case .reply(let author, let body):
            return compose(to: address, language: language,
                           subject: english ? "[\(number)] New reply to your request" : "[\(number)] Nouvelle réponse à votre demande",
                           lines: [greeting, english ? "\(author) answered your request “\(ticket.subject)”:"
                                                     : "\(author) a répondu à votre demande « \(ticket.subject) » :"],
                           quote: body, after: [english ? "Answer on \(siteName):" : "Répondez sur \(siteName) :"], link: link)
        case .solution(let author, let body):
            return compose(to: address, language: language,
                           subject: english ? "[\(number)] A solution is proposed" : "[\(number)] Une solution vous est proposée",
                           lines: [greeting, english ? "\(author) proposes a solution to your request “\(ticket.subject)”:"
                                                     : "\(author) propose une solution à votre demande « \(ticket.subject) » :"],
                           quote: body,
                           after: [english ? "On the request's page, accept or refuse it (Accept / Refuse):"
                                           : "Sur la page de la demande, acceptez-la ou refusez-la (Accepter / Refuser) :"],
                           link: link)
        case .resolved:
            let feedback = MailLinks.localized(page, language: language) + "#avis"
            return compose(to: address, language: language,
                           subject: english ? "[\(number)] Your request is resolved" : "[\(number)] Votre demande est résolue",
                           lines: [greeting, english ? "\(about) is resolved." : "\(about) est résolue."],
                           quote: nil, link: link,
                           closing: [english ? "Your opinion matters: how would you rate the answer, from 1 to 5?"
                                             : "Votre avis compte : quelle note donneriez-vous à la réponse, de 1 à 5 ?", feedback])
        case .cancelled:
            return compose(to: address, language: language,
                           subject: english ? "[\(number)] Your request is cancelled" : "[\(number)] Votre demande est annulée",
                           lines: [greeting, english ? "\(about) was cancelled." : "\(about) a été annulée."],
                           quote: nil, link: link)
        }
    }

    /// Text and HTML of the same lines; the quoted message keeps its line breaks.
    private func compose(to address: String, language: String, subject: String, lines: [String], quote: String?,
                         after: [String] = [], link: String, closing: [String] = []) -> Mail {
        let signature = "— \(names.text(language))"
        let quoted = quote.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n") }
        let text = (lines + (quoted.map { [$0] } ?? []) + after + [link] + (closing.isEmpty ? [] : [""] + closing)
            + ["", signature, baseURL]).joined(separator: "\n")
        var html = "<!DOCTYPE html><html><body>" + lines.map { "<p>\(escape($0))</p>" }.joined()
        if let quote {
            let body = quote.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "<br>")
            html += "<blockquote>\(body)</blockquote>"
        }
        html += after.map { "<p>\(escape($0))</p>" }.joined()
        html += "<p><a href=\"\(escape(link))\">\(escape(link))</a></p>"
        if let question = closing.first, let feedback = closing.last, closing.count == 2 {
            html += "<p><a href=\"\(escape(feedback))\">\(escape(question))</a></p>"
        }
        html += "<p>\(escape(signature))<br>\(escape(baseURL))</p></body></html>"
        return Mail(to: address, subject: subject, text: text, html: html, language: language)
    }

    private func escape(_ text: String) -> String { HTMLText.escape(text) }
}
