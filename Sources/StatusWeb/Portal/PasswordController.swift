import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

/// Activation, forgotten password, reset, and the password change (also the 90-day one).
struct PasswordController: Sendable {
    let accounts: AccountService
    let pages: Pages
    /// An invited user may activate with one of these instead of a password.
    let providers: [OpenIDProvider]

    func addRoutes(to routes: SiteRoutes) {
        let router = routes.pages(.anyone)
        let signedIn = routes.pages(.passwordChange)
        router.get("/activate/:token") { request, context in
            let token = try context.parameters.require("token")
            guard let user = try await accounts.pendingUser(activationToken: token) else { return try pages.invalidLink(request, "activation_link_invalid") }
            return try pages.anonymousForm(request, template: "activate", titleKey: "activate_title",
                                           values: ["email": user.email, "language": pages.catalog.text("lang_name", Language(rawValue: user.language) ?? .fr)],
                                           providers: providers)
        }
        router.post("/activate/:token") { request, context in
            let token = try context.parameters.require("token")
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            let form = AccountService.ActivationForm(firstName: fields.firstName.orEmpty, lastName: fields.lastName.orEmpty,
                                                      phone: fields.phone.orEmpty, password: fields.password.orEmpty,
                                                      confirmation: fields.confirmation.orEmpty)
            do {
                _ = try await accounts.activate(token: token, form: form)
                return try pages.portal(request, template: "done", titleKey: "activated_title", csrf: "", message: "activated_text")
            } catch let errors as FormErrors {
                guard errors["token"] == nil, let user = try await accounts.pendingUser(activationToken: token) else {
                    return try pages.invalidLink(request, "activation_link_invalid")
                }
                // The form again, with what was typed (never the password) and the errors by their fields.
                return try pages.portal(request, template: "activate", titleKey: "activate_title", csrf: fields.csrf.orEmpty,
                                      values: ["email": user.email, "language": pages.catalog.text("lang_name", Language(rawValue: user.language) ?? .fr),
                                               "firstName": form.firstName, "lastName": form.lastName, "phone": form.phone],
                                      errors: errors, status: .unprocessableContent)
            }
        }
        router.get("/password/forgot") { request, _ in
            return try pages.anonymousForm(request, template: "forgot", titleKey: "forgot_title")
        }
        router.post("/password/forgot") { request, context in
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            let email = (fields.email.orEmpty).trimmingCharacters(in: .whitespaces)
            guard EmailAddress.isValid(email) else {
                return try pages.portal(request, template: "forgot", titleKey: "forgot_title", csrf: fields.csrf.orEmpty,
                                      values: ["email": email], errors: FormErrors("email", "error_email_invalid"), status: .unprocessableContent)
            }
            try await accounts.requestReset(email: email)
            return try pages.portal(request, template: "done", titleKey: "forgot_sent_title", csrf: "", message: "forgot_sent_text")
        }
        router.get("/password/reset/:token") { request, context in
            guard try await accounts.resetLinkIsValid(try context.parameters.require("token")) else { return try pages.invalidLink(request, "reset_link_invalid") }
            return try pages.anonymousForm(request, template: "reset", titleKey: "reset_title")
        }
        router.post("/password/reset/:token") { request, context in
            let token = try context.parameters.require("token")
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            do {
                try await accounts.resetPassword(token: token, password: fields.password.orEmpty, confirmation: fields.confirmation.orEmpty)
                return try pages.portal(request, template: "done", titleKey: "reset_done_title", csrf: "", message: "reset_done_text")
            } catch let errors as FormErrors {
                if errors["token"] != nil { return try pages.invalidLink(request, "reset_link_invalid") }
                return try pages.portal(request, template: "reset", titleKey: "reset_title", csrf: fields.csrf.orEmpty, errors: errors, status: .unprocessableContent)
            }
        }
        signedIn.get("/password/change") { request, context in
            let user = try context.requireUser()
            return try pages.portal(request, template: "password_change", titleKey: "change_title", csrf: user.csrfToken,
                                    extra: ["expired": user.passwordExpired ? "yes" : ""])
        }
        signedIn.post("/password/change") { request, context in
            let current = try context.requireUser()
            let fields = try await Forms.read(PortalForm.self, from: request, context: context)
            do {
                try await accounts.changePassword(user: current.user, sessionID: current.sessionID, currentPassword: fields.current.orEmpty,
                                                  password: fields.password.orEmpty, confirmation: fields.confirmation.orEmpty)
                return Forms.redirect(to: "/account")
            } catch let errors as FormErrors {
                return try pages.portal(request, template: "password_change", titleKey: "change_title", csrf: current.csrfToken,
                                        errors: errors, extra: ["expired": current.passwordExpired ? "yes" : ""], status: .unprocessableContent)
            }
        }
    }
}
