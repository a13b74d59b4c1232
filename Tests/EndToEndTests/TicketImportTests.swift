import Foundation
import Notify
import Portal
import StatusModel
import Testing

/// `statusd import tickets FILE` run as the binary: good rows in, bad rows reported with their
/// line, a second run adds nothing, attachments taken, numbers and dates kept.
@Suite struct TicketImportTests {
    static let config = "database: $DATABASE\ntime_zone: Europe/Paris\n"

    /// A workspace with two tenants, a folder of attachments and the file to import.
    static func prepare(_ workspace: borrowing Workspace, file name: String, _ text: String) async throws -> URL {
        for (code, admin) in [("90266482", "admin@client-a.example"), ("90000001", "admin@client-b.example")] {
            let run = try await StatusdBinary.runAsync(["tenant", "create", "--code", code, "--name", "Client \(code)", "--admin", admin,
                                                        "--config", workspace.configPath])
            #expect(run.status == 0, "stderr: \(run.stderr)")
        }
        let folder = workspace.folder.appendingPathComponent("export")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("files"), withIntermediateDirectories: true)
        try Data("Journal de connexion : erreur 403 à 09:14.\n".utf8).write(to: folder.appendingPathComponent("files/journal.txt"))
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 64))
            .write(to: folder.appendingPathComponent("files/capture.png"))
        try Data("<html><script>alert(1)</script></html>".utf8).write(to: folder.appendingPathComponent("files/page.html"))
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    static let jsonLines = [
        // 1: good, with a note, an agent's reply and two attachments.
        #"{"number": "CS0001234", "tenant_code": "90266482", "contact_email": "marie.durand@example.fr", "contact_name": "Marie Durand", "type": "incident", "subject": "Portail : Connexion", "description": "Je ne peux plus me connecter.", "state": "Résolu", "priority": "2 - Haute", "opened_at": "2024-03-05T14:30:00+01:00", "resolved_at": "2024-03-06T11:00:00+01:00", "attachments": ["files/capture.png"], "messages": [{"kind": "agent", "author": "Paul Martin", "date": "2024-03-05T16:00:00+01:00", "body": "Voici le journal.", "attachments": ["files/journal.txt"]}, {"kind": "note", "author": "Paul Martin", "date": "2024-03-05T16:05:00+01:00", "body": "Même cas que CS0001200."}]}"#,
        // 2: unknown tenant.
        #"{"number": "CS0001235", "tenant_code": "12345678", "contact_email": "x@example.fr", "type": "incident", "subject": "S", "description": "D", "state": "new", "opened_at": "2024-03-05T10:00:00Z"}"#,
        // 3: good, a local date, the other tenant.
        #"{"number": "CS0000007", "tenant_code": "90000001", "contact_email": "jean@example.fr", "type": "administrative", "subject": "Facture de mars", "description": "Il manque la facture.", "state": "closed", "opened_at": "2023-01-02 09:15"}"#,
        // 4: bad date.
        #"{"number": "CS0001236", "tenant_code": "90266482", "contact_email": "x@example.fr", "type": "incident", "subject": "S", "description": "D", "state": "new", "opened_at": "05/03/2024"}"#,
        // 5: an attachment of a refused type.
        #"{"number": "CS0001237", "tenant_code": "90266482", "contact_email": "x@example.fr", "type": "incident", "subject": "S", "description": "D", "state": "new", "opened_at": "2024-03-05T10:00:00Z", "attachments": ["files/page.html"]}"#,
        // 6: not JSON.
        #"{"number": "CS0001238", "#,
        // 7: an attachment that is not beside the file.
        #"{"number": "CS0001239", "tenant_code": "90266482", "contact_email": "y@example.fr", "type": "incident", "subject": "S", "description": "D", "state": "new", "opened_at": "2024-03-05T10:00:00Z", "messages": [{"kind": "customer", "author": "Y", "date": "2024-03-05T11:00:00Z", "body": "ci-joint", "attachments": ["files/absent.pdf"]}]}"#,
    ].joined(separator: "\n") + "\n"

    @Test func goodRowsAreImportedBadOnesReportedAndASecondRunAddsNothing() async throws {
        let workspace = try Workspace(config: Self.config)
        let file = try await Self.prepare(workspace, file: "tickets.jsonl", Self.jsonLines)

        let first = try await StatusdBinary.runAsync(["import", "tickets", file.path, "--config", workspace.configPath])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.contains("2 added, 0 already there, 5 rejected."), "stdout: \(first.stdout)")
        #expect(first.stdout.contains("2 contacts had no account"), "stdout: \(first.stdout)")
        for (line, words) in [(2, "tenant_code"), (4, "opened_at"), (5, "page.html"), (6, "not valid JSON"), (7, "absent.pdf")] {
            #expect(first.stderr.contains("rejected: line \(line): "), "stderr: \(first.stderr)")
            let reported = first.stderr.split(separator: "\n").first { $0.hasPrefix("rejected: line \(line): ") } ?? ""
            #expect(reported.contains(words), "line \(line): \(reported)")
        }
        // Refused rows make no account (the contact is found last).
        let database = try SQLiteDatabase.open(path: workspace.databasePath, migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()])
        let accounts = SQLiteAccountStore(database: database)
        #expect(try await accounts.user(email: "y@example.fr") == nil)
        // Not a terminal: no bar drawn with carriage returns.
        #expect(!first.stdout.contains("\r"))

        let second = try await StatusdBinary.runAsync(["import", "tickets", file.path, "--config", workspace.configPath])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stdout.contains("0 added, 2 already there, 5 rejected."), "stdout: \(second.stdout)")

        let store = SQLiteTicketStore(database: database)
        let ticket = try #require(try await store.ticket(TicketNumber(1234), for: .staff))
        #expect(ticket.state == .resolved)
        #expect(ticket.priority == .high)
        #expect(ticket.openedAt == Date(timeIntervalSince1970: 1_709_645_400)) // 2024-03-05T13:30:00Z
        #expect(ticket.resolvedAt == Date(timeIntervalSince1970: 1_709_719_200)) // 2024-03-06T10:00:00Z
        let contact = try #require(try await accounts.user(email: "marie.durand@example.fr"))
        #expect(contact.state == .pending)
        #expect(ticket.contactUserID == contact.id)
        #expect(try await accounts.memberships(userID: contact.id).map(\.tenant.code) == ["90266482"])

        let messages = try await store.messages(of: TicketNumber(1234), for: .staff)
        #expect(messages.map(\.kind) == [.customer, .agent, .note])
        #expect(messages[0].authorUserID == contact.id)
        #expect(messages[1].createdAt == Date(timeIntervalSince1970: 1_709_650_800)) // 2024-03-05T15:00:00Z
        #expect(messages.flatMap(\.attachments).map(\.fileName) == ["capture.png", "journal.txt"])
        let blobs = try FileBlobStore(dataFolder: URL(fileURLWithPath: workspace.databasePath).deletingLastPathComponent())
        for attachment in messages.flatMap(\.attachments) {
            #expect(try await blobs.file(for: attachment.blob) != nil, "\(attachment.fileName) is not in the blob store")
        }
        // The customer never sees the note.
        let asContact = try await store.messages(of: TicketNumber(1234), for: TicketReader(userID: contact.id))
        #expect(asContact.map(\.kind) == [.customer, .agent])

        let local = try #require(try await store.ticket(TicketNumber(7), for: .staff))
        #expect(local.openedAt == Date(timeIntervalSince1970: 1_672_647_300)) // 2023-01-02 09:15 in Paris = 08:15Z
        // No mail to the imported contacts (only the two tenant administrators' invitations).
        let mails = try await StatusdBinary.runAsync(["outbox", "--config", workspace.configPath])
        #expect(mails.stdout.contains("outbox: 2 pending"), "\(mails.stdout)")

        // A ticket opened now continues after the highest imported number.
        let created = try await store.createTicket(
            TicketDraft(tenantID: ticket.tenantID, contactUserID: contact.id, type: "incident", subject: "Nouveau", priority: .low,
                        description: "Encore", authorName: "Marie Durand"), at: Date(), mails: { _ in [] })
        #expect(created.number == TicketNumber(1235))
    }

    @Test func aCSVFileImportsTheSameWay() async throws {
        let workspace = try Workspace(config: Self.config)
        let csv = """
            number,tenant_code,contact_email,contact_name,type,subject,description,state,priority,opened_at,attachments,messages
            CS0000100,90266482,marie.durand@example.fr,Marie Durand,incident,Connexion,"Deux lignes,
            avec une virgule",En cours,1,2024-03-05T14:30:00Z,files/journal.txt,"[{""kind"": ""agent"", ""author"": ""Paul"", ""date"": ""2024-03-05T16:00:00Z"", ""body"": ""Voici""}]"
            CS0000101,90266482,marie.durand@example.fr,,incident,,Sans sujet,new,,2024-03-05T14:30:00Z,,

            """
        let file = try await Self.prepare(workspace, file: "tickets.csv", csv)
        let run = try await StatusdBinary.runAsync(["import", "tickets", file.path, "--config", workspace.configPath])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("1 added, 0 already there, 1 rejected."), "stdout: \(run.stdout)")
        #expect(run.stderr.contains("rejected: line 4: subject: missing"), "stderr: \(run.stderr)")
        let database = try SQLiteDatabase.open(path: workspace.databasePath, migrations: [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()])
        let messages = try await SQLiteTicketStore(database: database).messages(of: TicketNumber(100), for: .staff)
        #expect(messages.first?.body == "Deux lignes,\navec une virgule")
        #expect(messages.count == 2)
    }

    @Test(arguments: [
        ("missing.jsonl", nil as String?, "cannot be opened"),
        ("bad.csv", "number,subject\nCS1,x\n", "lacks the column"),
    ])
    func aFileThatCannotBeReadFailsWithASentence(name: String, text: String?, words: String) async throws {
        let workspace = try Workspace(config: Self.config)
        let path = workspace.folder.appendingPathComponent(name)
        if let text { try Data(text.utf8).write(to: path) }
        let run = try await StatusdBinary.runAsync(["import", "tickets", path.path, "--config", workspace.configPath])
        #expect(run.status != 0)
        #expect(run.stderr.contains(words), "stderr: \(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"))
    }
}
