import Foundation
import Notify
import Portal
import StatusModel
import TestSupport
import Testing

/// Support requests in headless Chromium against the built binary, the customer's half of the
/// issue's walks (Tests/Browser/tickets_walk.py): "Oui" to an article ends without a ticket and
/// counts; an incident ticket sees the product's open incident, subscribes, answers "Non" and
/// is sent with an attachment; a cancellation; then the agent takes it, replies and proposes a
/// solution on the agents' pages, the customer refuses it with a reason, the agent proposes
/// again, and the customer accepts: Résolu, and rates it.
@Suite struct TicketsBrowserTests {
    @Test func aCustomerAsksForHelpFollowsTheTicketAndAnswersTheSolutions() async throws {
        let workspace = try Workspace(config: "database: $DATABASE\nbase_url: http://127.0.0.1:1\n")
        let port = try await workspace.freePort()
        let forms = StatusdBinary.repositoryRoot.appendingPathComponent("config/ticket-forms.yaml").path
        try """
            database: \(workspace.databasePath)
            listen: 127.0.0.1:\(port)
            base_url: http://127.0.0.1:\(port)
            tickets_forms: \(forms)
            products:
              - slug: loop
                name: Cegid Loop
                family: Finance
                position: 1
              - slug: stream
                name: Cegid Stream
                family: Finance
                position: 2
            """.write(toFile: workspace.configPath, atomically: true, encoding: .utf8)
        let tenant = try await StatusdBinary.runAsync(["tenant", "create", "--config", workspace.configPath, "--code", "90266482",
                                                       "--name", "Boulangeries Martin", "--admin", "admin@client.fr"])
        #expect(tenant.status == 0, "\(tenant.stderr)")
        let agentCreated = try await StatusdBinary.runAsync(["user", "create", "--config", workspace.configPath, "--email", "agent@vendor.fr",
                                                             "--role", "agent"])
        #expect(agentCreated.status == 0, "\(agentCreated.stderr)")
        let agentLink = try #require(agentCreated.stdout.split(separator: "\n").last.map(String.init))
        let adminLink = try #require(tenant.stdout.split(separator: "\n").last.map(String.init))

        // What an operator and an agent would have done: an open incident on Cegid Loop, an article.
        let database = try SQLiteDatabase.open(path: workspace.databasePath,
                                               migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()])
        let calendar = DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!)
        let statusStore = SQLiteStatusStore(database: database, calendar: calendar)
        let started = Date().addingTimeInterval(-1800)
        // The products as `statusd serve` will sync them from the config, so the incident can name one.
        try await statusStore.syncProducts([
            Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: started),
            Product(slug: "stream", name: "Cegid Stream", family: "Finance", position: 2, monitoredSince: started),
        ])
        try await statusStore.save(Incident(id: "walk-incident", title: "Lenteurs sur Cegid Loop", impact: .minor, productSlugs: ["loop"], startedAt: started,
                                            updates: [.init(status: .investigating, message: "Nous analysons les lenteurs.", at: started)]))
        let article = try await SQLiteKnowledgeBaseStore(database: database).createArticle(
            ArticleDraft(title: "Réinitialiser son mot de passe", body: "Cliquez sur « Mot de passe oublié » sur la page de connexion.",
                         category: "Portail", productIDs: [], language: .fr, visibility: .everyone),
            state: .published, authorID: nil, at: Date())
        let attachment = workspace.folder.appendingPathComponent("journal-erreurs.txt")
        try "10:02 délai dépassé\n10:05 délai dépassé".write(to: attachment, atomically: true, encoding: .utf8)

        let server = try await RunningServer.start(configPath: workspace.configPath,
                                                   stderrPath: workspace.folder.appendingPathComponent("stderr.log").path,
                                                   environment: ["STATUSD_LISTEN": "127.0.0.1:\(port)"])
        let shots = try BrowserTests.screenshotFolder(beside: workspace.folder)
        func walk(_ phase: String, _ extra: [String] = []) async throws -> String {
            let run = try await BrowserTests.runScript("Tests/Browser/tickets_walk.py",
                                                       [server.baseURL, phase, adminLink, attachment.path, shots] + extra)
            #expect(run.status == 0, "tickets walk (\(phase)) failed:\n\(run.output)")
            #expect(run.output.contains("0 failed"), "\(run.output)")
            return run.output
        }
        let opened = try await walk("open")
        #expect(opened.contains("5 passed, 0 failed"), "\(opened)")
        let number = try #require(opened.split(separator: "\n").first { $0.hasPrefix("TICKET=") }.flatMap { TicketNumber($0.dropFirst("TICKET=".count)) })

        let tickets = SQLiteTicketStore(database: database)
        let accounts = SQLiteAccountStore(database: database)
        #expect(try await tickets.articleAnswers(limit: 10).first { $0.article == article.number }?.count == 1, "Oui counted for the article")
        let ticket = try #require(try await tickets.ticket(number, for: .staff))
        #expect(ticket.incidentID == "walk-incident")
        #expect(try await tickets.messages(of: number, for: .staff).first?.attachments.first?.fileName == "journal-erreurs.txt")
        #expect(try await tickets.tickets(TicketQuery(states: [.cancelled]), for: .staff).total == 1, "the cancelled one")
        let admin = try #require(try await accounts.user(email: "admin@client.fr"))
        let subscription = try await SQLiteSubscriptionStore(database: database).subscription(userID: admin.id)
        #expect(subscription?.productSlugs == ["loop"])

        _ = try await walk("agent", [number.description, agentLink])
        let agent = try #require(try await accounts.user(email: "agent@vendor.fr"))
        let proposed = try #require(try await tickets.ticket(number, for: .staff))
        #expect(proposed.state == .solutionProposed)
        #expect(proposed.assigneeID == agent.id)
        #expect(proposed.firstRespondedAt != nil, "the reply counts as the first answer")
        _ = try await walk("refuse", [number.description])
        #expect(try await tickets.ticket(number, for: .staff)?.state == .inProgress)
        #expect(try await tickets.messages(of: number, for: .staff).contains { $0.kind == .refusal && $0.body.contains("toujours lent") })
        _ = try await walk("agent-again", [number.description, agentLink])
        _ = try await walk("accept", [number.description])
        #expect(try await tickets.ticket(number, for: .staff)?.state == .resolved)
        #expect(try await tickets.satisfaction(ticketID: ticket.id)?.stars == 5)
        _ = try await server.stopped()
    }
}
