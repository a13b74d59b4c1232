import Foundation
import Notify

/// The account mails in French and English. Links are built on the configured base URL, never
/// on a request's Host; user text is escaped in the HTML part.
struct AccountMails {
    let baseURL: String
    let siteName: String

    func activation(to user: User, token: String, expiresAt: Date) -> Mail {
        let link = "\(baseURL)/activate/\(token)"
        let date = format(expiresAt, user.language)
        if user.language == "en" {
            return mail(to: user, subject: "Activate your \(siteName) account",
                        lines: ["Hello,", "An account was created for you on \(siteName), with the identifier \(user.email).",
                                "To activate it, open this link and choose your password (valid until \(date)):"],
                        link: link, closing: "If you did not expect this mail, ignore it.")
        }
        return mail(to: user, subject: "Activez votre compte \(siteName)",
                    lines: ["Bonjour,", "Un compte a été créé pour vous sur \(siteName), avec l'identifiant \(user.email).",
                            "Pour l'activer, ouvrez ce lien et choisissez votre mot de passe (valable jusqu'au \(date)) :"],
                    link: link, closing: "Si vous n'attendiez pas ce message, ignorez-le.")
    }

    func reset(to user: User, token: String) -> Mail {
        let link = "\(baseURL)/password/reset/\(token)"
        if user.language == "en" {
            return mail(to: user, subject: "Reset your \(siteName) password",
                        lines: ["Hello,", "Someone asked to reset the password of \(user.email).",
                                "To choose a new one, open this link within one hour; it works once:"],
                        link: link, closing: "If you did not ask for it, ignore this mail: your password stays as it is.")
        }
        return mail(to: user, subject: "Réinitialisez votre mot de passe \(siteName)",
                    lines: ["Bonjour,", "Une réinitialisation du mot de passe de \(user.email) a été demandée.",
                            "Pour en choisir un nouveau, ouvrez ce lien dans l'heure ; il ne sert qu'une fois :"],
                    link: link, closing: "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe ne change pas.")
    }

    private func mail(to user: User, subject: String, lines: [String], link: String, closing: String) -> Mail {
        let text = (lines + [link, "", closing]).joined(separator: "\n")
        let html = "<!DOCTYPE html><html><body>"
            + lines.map { "<p>\(escape($0))</p>" }.joined()
            + "<p><a href=\"\(escape(link))\">\(escape(link))</a></p><p>\(escape(closing))</p></body></html>"
        return Mail(to: user.email, subject: subject, text: text, html: html, language: user.language)
    }

    private func format(_ date: Date, _ language: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == "en" ? "en_GB" : "fr_FR")
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateStyle = .long
        return formatter.string(from: date)
    }

    private func escape(_ text: String) -> String { HTMLText.escape(text) }
}
