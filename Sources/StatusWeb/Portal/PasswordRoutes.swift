import Foundation
import HTTPTypes
import Hummingbird
import Portal
import StatusModel

extension StatusSite {
    /// Activation, forgotten password, reset, and the 90-day change.
    func addPasswordRoutes(to router: Router<StatusRequestContext>, accounts: AccountService) {
        router.get("/activate/:token") { request, context in
            let token = try context.parameters.require("token")
            guard let user = try await accounts.pendingUser(activationToken: token) else { return try invalidLink(request, "activation_link_invalid") }
            let csrf = anonymousCSRF(request)
            return try portalPage(request, template: "activate", titleKey: "activate_title", csrf: csrf.token,
                                  values: ["email": user.email, "language": catalog.text("lang_name", Language(rawValue: user.language) ?? .fr)],
                                  cookies: csrf.cookie.map { [$0] } ?? [])
        }
        router.post("/activate/:token") { request, context in
            let token = try context.parameters.require("token")
            let fields = try await FormSupport.fields(request, context: context)
            try checkAnonymousCSRF(request, fields)
            let form = AccountService.ActivationForm(firstName: fields["firstName"] ?? "", lastName: fields["lastName"] ?? "",
                                                      phone: fields["phone"] ?? "", password: fields["password"] ?? "",
                                                      confirmation: fields["confirmation"] ?? "")
            do {
                _ = try await accounts.activate(token: token, form: form)
                return try portalPage(request, template: "done", titleKey: "activated_title", csrf: "", message: "activated_text")
            } catch let errors as FormErrors {
                guard errors["token"] == nil, let user = try await accounts.pendingUser(activationToken: token) else {
                    return try invalidLink(request, "activation_link_invalid")
                }
                // The form again, with what was typed (never the password) and the errors by their fields.
                return try portalPage(request, template: "activate", titleKey: "activate_title", csrf: fields["csrf"] ?? "",
                                      values: ["email": user.email, "language": catalog.text("lang_name", Language(rawValue: user.language) ?? .fr),
                                               "firstName": form.firstName, "lastName": form.lastName, "phone": form.phone],
                                      errors: errors, status: .unprocessableContent)
            }
        }
        router.get("/password/forgot") { request, _ in
            let csrf = anonymousCSRF(request)
            return try portalPage(request, template: "forgot", titleKey: "forgot_title", csrf: csrf.token, cookies: csrf.cookie.map { [$0] } ?? [])
        }
        router.post("/password/forgot") { request, context in
            let fields = try await FormSupport.fields(request, context: context)
            try checkAnonymousCSRF(request, fields)
            let email = (fields["email"] ?? "").trimmingCharacters(in: .whitespaces)
            guard EmailAddress.isValid(email) else {
                return try portalPage(request, template: "forgot", titleKey: "forgot_title", csrf: fields["csrf"] ?? "",
                                      values: ["email": email], errors: FormErrors("email", "error_email_invalid"), status: .unprocessableContent)
            }
            try await accounts.requestReset(email: email)
            return try portalPage(request, template: "done", titleKey: "forgot_sent_title", csrf: "", message: "forgot_sent_text")
        }
        router.get("/password/reset/:token") { request, context in
            guard try await accounts.resetLinkIsValid(try context.parameters.require("token")) else { return try invalidLink(request, "reset_link_invalid") }
            let csrf = anonymousCSRF(request)
            return try portalPage(request, template: "reset", titleKey: "reset_title", csrf: csrf.token, cookies: csrf.cookie.map { [$0] } ?? [])
        }
        router.post("/password/reset/:token") { request, context in
            let token = try context.parameters.require("token")
            let fields = try await FormSupport.fields(request, context: context)
            try checkAnonymousCSRF(request, fields)
            do {
                try await accounts.resetPassword(token: token, password: fields["password"] ?? "", confirmation: fields["confirmation"] ?? "")
                return try portalPage(request, template: "done", titleKey: "reset_done_title", csrf: "", message: "reset_done_text")
            } catch let errors as FormErrors {
                if errors["token"] != nil { return try invalidLink(request, "reset_link_invalid") }
                return try portalPage(request, template: "reset", titleKey: "reset_title", csrf: fields["csrf"] ?? "", errors: errors, status: .unprocessableContent)
            }
        }
        router.get("/password/change") { request, _ in
            guard let current = try await currentSession(request, accounts: accounts) else { return FormSupport.redirect(to: "/login") }
            return try portalPage(request, template: "password_change", titleKey: "change_title", csrf: current.session.csrfToken)
        }
        router.post("/password/change") { request, context in
            guard let current = try await currentSession(request, accounts: accounts) else { return FormSupport.redirect(to: "/login") }
            let fields = try await FormSupport.fields(request, context: context)
            try checkSessionCSRF(current.session, fields)
            do {
                try await accounts.changeExpiredPassword(user: current.user, sessionID: current.id, currentPassword: fields["current"] ?? "", password: fields["password"] ?? "",
                                                          confirmation: fields["confirmation"] ?? "")
                return FormSupport.redirect(to: "/account")
            } catch let errors as FormErrors {
                return try portalPage(request, template: "password_change", titleKey: "change_title", csrf: current.session.csrfToken,
                                      errors: errors, status: .unprocessableContent)
            }
        }
    }

    func invalidLink(_ request: Request, _ key: String) throws -> Response {
        try portalPage(request, template: "done", titleKey: "link_invalid_title", csrf: "", message: key, status: .notFound)
    }
}
