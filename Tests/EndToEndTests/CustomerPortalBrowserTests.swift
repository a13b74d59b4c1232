import Foundation
import Notify
import Portal
import StatusModel
import TestSupport
import Testing

/// Issue 13's walk in headless Chromium against the built binary (Tests/Browser/services_walk.py):
/// an operator ties a service to a private product; a member adds that service (no validation)
/// and one that needs it from the catalog dialog; the first is accepted at once and its private
/// product shows under "Mes services"; an administrator refuses the other with a reason, which
/// the member reads under Refusé(s), in Activités and under the bell; once the administrator
/// suspends the first, the private product is gone from the member's grid.
@Suite struct CustomerPortalBrowserTests {
    @Test func aMemberAddsServicesSeesTheirWeatherAndLosesItOnSuspension() async throws {
        let workspace = try Workspace(config: "database: $DATABASE\nbase_url: http://127.0.0.1:1\n")
        let port = try await workspace.freePort()
        try """
            database: \(workspace.databasePath)
            listen: 127.0.0.1:\(port)
            base_url: http://127.0.0.1:\(port)
            products:
              - slug: loop
                name: Cegid Loop
                family: Finance
                position: 1
              - slug: vault
                name: Cegid Vault
                family: Finance
                position: 2
                visibility: private
            """.write(toFile: workspace.configPath, atomically: true, encoding: .utf8)
        let tenant = try await StatusdBinary.runAsync(["tenant", "create", "--config", workspace.configPath, "--code", "90266482",
                                                       "--name", "Boulangeries Martin", "--admin", "admin@client.fr"])
        #expect(tenant.status == 0, "\(tenant.stderr)")
        let adminLink = try #require(tenant.stdout.split(separator: "\n").last.map(String.init))
        let operatorCreated = try await StatusdBinary.runAsync(["user", "create", "--config", workspace.configPath,
                                                                "--email", "operateur@vendor.fr", "--role", "operator"])
        #expect(operatorCreated.status == 0, "\(operatorCreated.stderr)")
        let operatorLink = try #require(operatorCreated.stdout.split(separator: "\n").last.map(String.init))

        // What the catalog holds before the walk: two services, one that needs an administrator.
        let database = try SQLiteDatabase.open(path: workspace.databasePath,
                                               migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()])
        let services = SQLiteServiceStore(database: database)
        let free = try await services.createService(Service(name: "Coffre-fort Cegid", family: "Services en ligne", needsValidation: false))
        let checked = try await services.createService(Service(name: "Cegid Stream Premium", family: "Services en ligne", needsValidation: true))
        // The member, invited as an administrator would (the invitation's token known to the test).
        let accounts = SQLiteAccountStore(database: database)
        let tenantID = try #require(try await accounts.tenant(code: "90266482")?.id)
        let token = Secrets.token()
        _ = try await accounts.createInvitedUser(
            User(email: "membre@client.fr", createdAt: Date()), tenantID: tenantID, role: .member, tokenHash: Secrets.hash(token),
            tokenExpiresAt: Date().addingTimeInterval(86_400), mail: Mail(to: "membre@client.fr", subject: "Invitation", text: "-", language: "fr"),
            now: Date())
        let server = try await RunningServer.start(configPath: workspace.configPath,
                                                   stderrPath: workspace.folder.appendingPathComponent("stderr.log").path,
                                                   environment: ["STATUSD_LISTEN": "127.0.0.1:\(port)"])
        let memberLink = "\(server.baseURL)/activate/\(token)"
        let shots = try BrowserTests.screenshotFolder(beside: workspace.folder)
        func walk(_ phase: String, link: String = "-") async throws {
            let run = try await BrowserTests.runScript("Tests/Browser/services_walk.py", [server.baseURL, phase, shots, link])
            #expect(run.status == 0, "services walk (\(phase)) failed:\n\(run.output)")
            #expect(run.output.contains(" passed, 0 failed"), "\(run.output)")
        }
        func states() async throws -> [Int64: ServiceSubscription.State] {
            let member = try #require(try await accounts.user(email: "membre@client.fr"))
            return Dictionary(try await services.subscriptions(userID: member.id, tenantID: tenantID).map { ($0.serviceID, $0.state) }) { a, _ in a }
        }

        try await walk("operator", link: operatorLink)
        #expect(try await services.service(id: free.id)?.productSlugs == ["vault"], "the operator's tie is stored")
        try await walk("member", link: memberLink)
        #expect(try await states() == [free.id: .accepted, checked.id: .pending])
        try await walk("refuse", link: adminLink)
        #expect(try await states()[checked.id] == .refused)
        try await walk("member-sees-refusal")
        try await walk("suspend")
        #expect(try await states()[free.id] == .suspended)
        try await walk("member-loses")
        _ = try await server.stopped()
    }
}
