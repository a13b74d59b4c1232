import Foundation
import Notify
import StatusModel

/// The account mails in French and English. Links are built on the configured base URL, never
/// on a request's Host; user text is escaped in the HTML part.
struct AccountMails {
    let baseURL: String
    /// The site's name (branding), in each mail's language: subjects, text and signature.
    let names: StatusConfig.Branding.Text

    init(baseURL: String, siteName: StatusConfig.Branding.Text) {
        self.baseURL = baseURL
        self.names = siteName
    }

    /// What an invitation mail says beside its link: into which customer account, by whom, as what.
    struct Invitation {
        var tenant: Tenant
        var inviter: Inviter
        var role: Membership.Role
    }

    /// The activation mail; with `invitation`, it names the customer account, who invited and the role.
    func activation(to user: User, token: String, expiresAt: Date, invitation: Invitation? = nil) -> Mail {
        let siteName = names.text(user.language)
        let link = MailLinks.localized("\(baseURL)/activate/\(token)", language: user.language)
        let date = format(expiresAt, user.language)
        if user.language == "en" {
            let intro = invitation.map {
                "\($0.inviter.label) invited you to the customer account “\($0.tenant.name)” (\($0.tenant.code)) on \(siteName), as \(role($0.role, "en")). Your identifier is \(user.email)."
            } ?? "An account was created for you on \(siteName), with the identifier \(user.email)."
            return mail(to: user, subject: "Activate your \(siteName) account",
                        lines: ["Hello,", intro, "To activate it, open this link and choose your password (valid until \(date)):"],
                        link: link, closing: "If you did not expect this mail, ignore it.")
        }
        let intro = invitation.map {
            "\($0.inviter.label) vous a invité dans le compte client « \($0.tenant.name) » (\($0.tenant.code)) sur \(siteName), en tant qu'\(role($0.role, "fr")). Votre identifiant est \(user.email)."
        } ?? "Un compte a été créé pour vous sur \(siteName), avec l'identifiant \(user.email)."
        return mail(to: user, subject: "Activez votre compte \(siteName)",
                    lines: ["Bonjour,", intro,
                            "Pour l'activer, ouvrez ce lien et choisissez votre mot de passe (valable jusqu'au \(date)) :"],
                    link: link, closing: "Si vous n'attendiez pas ce message, ignorez-le.")
    }

    /// To a user who already has an active account: they were given access to one more customer account.
    func accessGranted(to user: User, invitation: Invitation) -> Mail {
        let siteName = names.text(user.language)
        let link = MailLinks.localized("\(baseURL)/login", language: user.language)
        let tenant = invitation.tenant
        if user.language == "en" {
            return mail(to: user, subject: "Access to the customer account \(tenant.name) on \(siteName)",
                        lines: ["Hello,",
                                "\(invitation.inviter.label) gave you access to the customer account “\(tenant.name)” (\(tenant.code)) on \(siteName), as \(role(invitation.role, "en")).",
                                "Sign in with your account (\(user.email)) as usual, then choose this customer account with “Switch customer account”:"],
                        link: link, closing: "If you did not expect this mail, tell the person who invited you.")
        }
        return mail(to: user, subject: "Accès au compte client \(tenant.name) sur \(siteName)",
                    lines: ["Bonjour,",
                            "\(invitation.inviter.label) vous a donné accès au compte client « \(tenant.name) » (\(tenant.code)) sur \(siteName), en tant qu'\(role(invitation.role, "fr")).",
                            "Connectez-vous avec votre compte (\(user.email)) comme d'habitude, puis choisissez ce compte client avec « Changer de compte client » :"],
                    link: link, closing: "Si vous n'attendiez pas ce message, signalez-le à la personne qui vous a invité.")
    }

    private func role(_ role: Membership.Role, _ language: String) -> String {
        switch (role, language) {
        case (.admin, "en"): "an administrator"
        case (.member, "en"): "a user"
        case (.admin, _): "administrateur"
        case (.member, _): "utilisateur"
        }
    }

    func reset(to user: User, token: String) -> Mail {
        let siteName = names.text(user.language)
        let link = MailLinks.localized("\(baseURL)/password/reset/\(token)", language: user.language)
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
        let signature = "— \(names.text(user.language))"
        let text = (lines + [link, "", closing, "", signature, baseURL]).joined(separator: "\n")
        let html = "<!DOCTYPE html><html><body>"
            + lines.map { "<p>\(escape($0))</p>" }.joined()
            + "<p><a href=\"\(escape(link))\">\(escape(link))</a></p><p>\(escape(closing))</p>"
            + "<p>\(escape(signature))<br>\(escape(baseURL))</p></body></html>"
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
