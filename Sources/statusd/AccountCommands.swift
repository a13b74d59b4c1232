import ArgumentParser
import Foundation
import Logging
import Portal
import StatusModel

/// `statusd user create`: the first operator, from the command line.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage staff accounts.", subcommands: [Create.self])

    /// Creates a staff account and prints its activation link.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an operator or agent account; prints its activation link (also mailed when SMTP is configured).")
        @OptionGroup var options: ConfigOption
        @Option(help: "The person's email address.") var email: String
        @Option(help: "operator or agent.") var role: String
        @Option(help: "fr or en.") var language = "fr"

        func run() async throws {
            guard let staffRole = User.StaffRole(rawValue: role) else {
                throw ValidationError("--role must be operator or agent, got \"\(role)\"")
            }
            let config = try ConfigLoading.loadOrRefuse(options, logger: Logger(label: "statusd"))
            let accounts = StatusdApp.accounts(config: config, database: try StatusdApp.openDatabase(config: config))
            do {
                guard let link = try await accounts.createStaffUser(email: email, role: staffRole, language: language) else {
                    FileHandle.standardError.write(Data("statusd: \(email) already has an account\n".utf8))
                    throw ExitCode(1)
                }
                print("Activation link for \(User.normalize(email)) (valid 90 days):\n\(link)")
            } catch is FormErrors {
                throw ValidationError("\"\(email)\" is not a valid email address")
            }
        }
    }
}

/// `statusd tenant create`: a customer account and its first administrator.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tenant", abstract: "Manage customer accounts.", subcommands: [Create.self])

    /// Creates a tenant and invites its first administrator.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a customer account and invite its first administrator.")
        @OptionGroup var options: ConfigOption
        @Option(help: "The customer's code, such as 90266482.") var code: String
        @Option(help: "The customer's name.") var name: String
        @Option(help: "The customer's address.") var address = ""
        @Option(help: "Email of its first administrator.") var admin: String
        @Option(help: "fr or en.") var language = "fr"
        @Option(help: "Who invites, as the administrator's mail names them (by default \"statusd\").")
        var invitedBy: String?

        func run() async throws {
            guard EmailAddress.isValid(admin) else { throw ValidationError("\"\(admin)\" is not a valid email address") }
            let config = try ConfigLoading.loadOrRefuse(options, logger: Logger(label: "statusd"))
            let accounts = StatusdApp.accounts(config: config, database: try StatusdApp.openDatabase(config: config))
            let email = User.normalize(admin)
            // The mail is in the administrator's language, which may not be --language: the
            // default names the site, which reads the same in both.
            let inviter = Inviter(name: invitedBy ?? "statusd")
            let tenant: Tenant
            let outcome: AccountService.FirstAdministrator
            do {
                (tenant, outcome) = try await accounts.createTenant(Tenant(code: code, name: name, address: address), firstAdmin: admin,
                                                                    language: language, invitedBy: inviter)
            } catch let errors as FormErrors {
                FileHandle.standardError.write(Data("statusd: \(Self.describe(errors, code: code, email: email))\n".utf8))
                throw ExitCode(1)
            }
            // The link, when there is one, stays the last line: scripts read it there.
            switch outcome {
            case .invited(let link):
                print("Customer account \(tenant.code) \(tenant.name) created; its administrator \(email) was invited by mail. Activation link (valid 90 days):\n\(link)")
            case .existingAccountMadeAdmin:
                print("Customer account \(tenant.code) \(tenant.name) created; \(email) already had an account, is now its administrator, and was told by mail.")
            case .pendingAccountInvitedAgain(let link):
                print("Customer account \(tenant.code) \(tenant.name) created; \(email) had an account not activated yet, is now its administrator, and was mailed a new activation link (valid until 90 days after the account was created):\n\(link)")
            }
        }

        static func describe(_ errors: FormErrors, code: String, email: String) -> String {
            switch (errors["code"], errors["name"], errors["admin"]) {
            case ("tenant_code_taken", _, _): "a customer account with the code \(code) already exists"
            case (_, _, "tenant_admin_unusable"): "\(email) has an account that is disabled or was not activated within 90 days: choose another administrator"
            case (.some, _, _): "--code must not be empty"
            case (_, .some, _): "--name must not be empty"
            default: "\"\(email)\" is not a valid email address"
            }
        }
    }
}
