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

        func run() async throws {
            guard EmailAddress.isValid(admin) else { throw ValidationError("\"\(admin)\" is not a valid email address") }
            let config = try ConfigLoading.loadOrRefuse(options, logger: Logger(label: "statusd"))
            let accounts = StatusdApp.accounts(config: config, database: try StatusdApp.openDatabase(config: config))
            let (tenant, link) = try await accounts.createTenant(Tenant(code: code, name: name, address: address), firstAdmin: admin, language: language)
            print("Customer account \(tenant.code) \(tenant.name) created.")
            if let link { print("Activation link for its administrator \(User.normalize(admin)) (valid 90 days):\n\(link)") }
            else { print("\(admin) already has an account: add it from the portal.") }
        }
    }
}
