import Foundation
import Portal
import Testing

/// The import file's reader: every row a ticket or a rejection with its line and reason.
@Suite struct TicketFileReaderTests {
    static let rules = TicketImportRules(tenantIDs: ["90266482": 1, "90000001": 2], timeZone: TimeZone(identifier: "Europe/Paris")!)

    func items(_ text: String, format: TicketFileReader.Format? = nil) throws -> [TicketFileReader.Item] {
        var reader = try TicketFileReader(bytes: Array(text.utf8), format: format, rules: Self.rules)
        var items: [TicketFileReader.Item] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    func split(_ items: [TicketFileReader.Item]) -> (rows: [TicketImportRow], rejected: [TicketImportRejection]) {
        var rows: [TicketImportRow] = [], rejected: [TicketImportRejection] = []
        for item in items {
            switch item {
            case .ticket(let row): rows.append(row)
            case .rejected(let rejection): rejected.append(rejection)
            }
        }
        return (rows, rejected)
    }

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static let goodLine = #"""
        {"number": "CS0001234", "tenant_code": "90266482", "contact_email": "Marie.Durand@Example.fr", "contact_name": "Marie Durand", "type": "incident", "subject": "Portail : Connexion", "description": "Je ne peux plus me connecter.", "state": "Résolu", "priority": "2 - Haute", "opened_at": "2024-03-05T14:30:00+01:00", "updated_at": "2024-03-07T09:00:00Z", "product": "cegid-loop", "theme": "portail", "attachments": ["files/capture.png"], "messages": [{"kind": "note", "author": "Paul Agent", "email": "paul@vendor.fr", "date": "2024-03-06T10:00:00Z", "body": "Vu avec l'équipe."}, {"kind": "agent", "author": "Paul Agent", "date": "2024-03-05T16:00:00Z", "body": "Pouvez-vous réessayer ?", "attachments": ["files/procedure.pdf"]}]}
        """#

    @Test func aGoodJSONLineKeepsNumberDatesAndMessagesOldestFirst() throws {
        let (rows, rejected) = split(try items(Self.goodLine))
        #expect(rejected.isEmpty)
        let row = try #require(rows.first)
        #expect(row.line == 1)
        #expect(row.ticket.number == TicketNumber(1234))
        #expect(row.ticket.tenantID == 1)
        #expect(row.tenantCode == "90266482")
        #expect(row.contactEmail == "marie.durand@example.fr")
        #expect(row.ticket.state == .resolved)
        #expect(row.ticket.priority == .high)
        #expect(row.ticket.openedAt == Self.date("2024-03-05T13:30:00Z"))
        #expect(row.ticket.updatedAt == Self.date("2024-03-07T09:00:00Z"))
        // Resolved without a resolved_at: when it was last updated.
        #expect(row.ticket.resolvedAt == Self.date("2024-03-07T09:00:00Z"))
        #expect(row.ticket.firstRespondedAt == Self.date("2024-03-05T16:00:00Z"))
        #expect(row.ticket.productSlug == "cegid-loop")
        #expect(row.messages.map(\.message.kind) == [.customer, .agent, .note])
        #expect(row.messages[0].message.body == "Je ne peux plus me connecter.")
        #expect(row.messages[0].message.authorName == "Marie Durand")
        #expect(row.messages[2].authorEmail == "paul@vendor.fr")
        #expect(row.attachmentPaths == ["files/capture.png", "files/procedure.pdf"])
    }

    static let csv = #"""
        number,tenant_code,contact_email,type,subject,description,state,priority,opened_at,messages
        CS0000010,90266482,a@example.fr,administrative,Facture,"Deux lignes,
        avec une virgule et des ""guillemets""",Clôturé,4,2023-01-02 09:15,"[{""kind"": ""agent"", ""author"": ""Léa"", ""date"": ""2023-01-03T10:00:00Z"", ""body"": ""Voici""}]"
        CS0000011,99999999,a@example.fr,administrative,Facture,Texte,closed,4,2023-01-02T09:15:00Z,
        CS0000012,90266482,a@example.fr,administrative,Facture,Texte,En cours,,2023-01-02T09:15:00Z,
        """#

    @Test func csvRowsSpanLinesAndAreNumberedByTheLineTheyStartOn() throws {
        let (rows, rejected) = split(try items(Self.csv))
        #expect(rows.map(\.line) == [2, 5])
        #expect(rows[0].messages[0].message.body == "Deux lignes,\navec une virgule et des \"guillemets\"")
        #expect(rows[0].ticket.state == .closed)
        #expect(rows[0].ticket.priority == .low)
        // No offset: a local time of the deployment (Paris, winter: UTC+1).
        #expect(rows[0].ticket.openedAt == Self.date("2023-01-02T08:15:00Z"))
        #expect(rows[0].messages.count == 2)
        #expect(rows[0].messages[1].message.authorName == "Léa")
        #expect(rows[1].ticket.priority == .moderate)
        #expect(rows[1].ticket.state == .inProgress)
        #expect(rejected.map(\.line) == [4])
        #expect(rejected.first?.reason == .unknownTenant)
    }

    @Test func semicolonsAndAByteOrderMarkAsSpreadsheetsWriteThem() throws {
        let text = "\u{FEFF}number;tenant_code;contact_email;type;subject;description;state;opened_at\r\n"
            + "CS1;90266482;a@example.fr;incident;Sujet;Texte;new;2024-01-01\r\n"
        let (rows, rejected) = split(try items(text, format: .csv))
        #expect(rejected.isEmpty)
        #expect(rows.first?.ticket.number == TicketNumber(1))
    }

    /// Each bad row is refused with its own reason and its line, and the good ones around it are read.
    @Test(arguments: [
        (#""number": "X12""#, TicketImportRejection.Reason.badNumber),
        (#""number": """#, .badNumber),
        (#""tenant_code": "123""#, .unknownTenant),
        (#""contact_email": "not-an-address""#, .badContactEmail),
        (#""type": "Pour un incident""#, .badType),
        (#""subject": "  ""#, .missingSubject),
        (#""description": """#, .missingDescription),
        (#""state": "perdu""#, .unknownState),
        (#""priority": "9""#, .badPriority),
        (#""opened_at": "05/03/2024""#, .badDate),
        (#""opened_at": "2024-02-30T10:00:00Z""#, .badDate),
        (#""updated_at": "2020-01-01T00:00:00Z""#, .datesOutOfOrder),
        (#""product": "Cegid Loop""#, .badProduct),
        (#""follow_up_emails": "x@y.fr, nope""#, .badFollowUpEmail),
        (#""language": "de""#, .badLanguage),
        (#""colour": "blue""#, .unknownKey),
        (#""messages": [{"kind": "gossip", "author": "A", "date": "2024-01-01", "body": "x"}]"#, .badMessage),
        (#""messages": [{"kind": "agent", "date": "2024-01-01", "body": "x"}]"#, .badMessage),
        (#""messages": [{"kind": "agent", "author": "A", "date": "hier", "body": "x"}]"#, .badDate),
        (#""messages": "not an array""#, .badMessage),
        (#""attachments": ["../../etc/passwd"]"#, .badAttachmentPath),
        (#""attachments": ["/etc/passwd"]"#, .badAttachmentPath),
    ])
    func aBadValueIsRefusedWithItsReasonAndLine(field: String, reason: TicketImportRejection.Reason) throws {
        let key = String(field.dropFirst().prefix { $0 != "\"" })
        let base: [String: String] = [
            "number": #""CS0000002""#, "tenant_code": #""90000001""#, "contact_email": #""b@example.fr""#, "type": #""incident""#,
            "subject": #""Sujet""#, "description": #""Texte""#, "state": #""new""#, "opened_at": #""2024-03-01T10:00:00Z""#,
        ]
        var pairs = base.filter { $0.key != key }.map { "\"\($0.key)\": \($0.value)" }
        pairs.append(field)
        let bad = "{" + pairs.joined(separator: ", ") + "}"
        let text = [Self.goodLine, "", bad, Self.goodLine.replacingOccurrences(of: "CS0001234", with: "CS0001235")].joined(separator: "\n")
        let (rows, rejected) = split(try items(text))
        #expect(rows.map(\.line) == [1, 4])
        #expect(rejected.count == 1)
        #expect(rejected.first?.line == 3)
        #expect(rejected.first?.reason == reason, "\(rejected.first?.description ?? "")")
    }

    @Test func brokenLinesAndDuplicateNumbersAreRefusedNotFatal() throws {
        let text = [Self.goodLine, "{not json", "[1, 2]", Self.goodLine, String(decoding: [0x7B, 0xFF, 0x7D], as: UTF8.self)].joined(separator: "\n")
        var bytes = Array(text.utf8)
        bytes.append(contentsOf: [0x0A, 0x7B, 0xC3, 0x28, 0x7D]) // invalid UTF-8 on line 6
        var reader = try TicketFileReader(bytes: bytes, format: .jsonLines, rules: Self.rules)
        var all: [TicketFileReader.Item] = []
        while let item = try reader.next() { all.append(item) }
        let (rows, rejected) = split(all)
        #expect(rows.map(\.line) == [1])
        #expect(rejected.map(\.line) == [2, 3, 4, 5, 6])
        #expect(rejected.map(\.reason) == [.unreadable, .unreadable, .duplicateNumber, .unreadable, .unreadable])
        #expect(rejected[2].message.contains("line 1"))
    }

    @Test func csvProblemsOfOneRowAreThatRowsOnly() throws {
        let text = """
            number,tenant_code,contact_email,type,subject,description,state,opened_at
            CS1,90266482,a@example.fr,incident,Sujet,Texte,new,2024-01-01
            CS2,90266482,a@example.fr,incident,Sujet,Texte,new
            CS3,90266482,a@example.fr,incident,Sujet,"Texte"x,new,2024-01-01
            CS4,90266482,a@example.fr,incident,Sujet,Texte,new,2024-01-01
            CS5,90266482,a@example.fr,incident,Sujet,"jamais fermé,new,2024-01-01
            """
        let (rows, rejected) = split(try items(text))
        #expect(rows.map(\.line) == [2, 5])
        #expect(rejected.map(\.line) == [3, 4, 6])
        #expect(rejected.allSatisfy { $0.reason == .unreadable })
    }

    @Test(arguments: [
        ("", "empty"),
        ("number,tenant_code\nCS1,90266482\n", "lacks the column"),
        ("number,tenant_code,contact_email,type,subject,description,state,opened_at,colour\n", "unknown column \"colour\""),
        ("number,number,tenant_code,contact_email,type,subject,description,state,opened_at\n", "twice"),
    ])
    func aCSVHeaderThatCannotBeUsedStopsTheWholeFile(text: String, words: String) throws {
        #expect {
            _ = try TicketFileReader(bytes: Array(text.utf8), format: .csv, rules: Self.rules)
        } throws: { error in
            (error as? TicketFileReader.FileProblem)?.description.contains(words) ?? false
        }
    }

    @Test func aFileThatCannotBeOpenedSaysSo() {
        #expect(throws: TicketFileReader.FileProblem.self) {
            _ = try TicketFileReader(url: URL(fileURLWithPath: "/nonexistent/tickets.csv"), rules: Self.rules)
        }
    }

    @Test func theFormatComesFromTheExtensionElseTheContent() {
        #expect(TicketFileReader.Format.detect(fileName: "old.ndjson", firstBytes: Array("number,".utf8)) == .jsonLines)
        #expect(TicketFileReader.Format.detect(fileName: "old.CSV", firstBytes: Array("{".utf8)) == .csv)
        #expect(TicketFileReader.Format.detect(fileName: "export.txt", firstBytes: Array("\n  {\"number\"".utf8)) == .jsonLines)
        #expect(TicketFileReader.Format.detect(fileName: "export", firstBytes: Array("number,tenant_code".utf8)) == .csv)
    }

    @Test func aFileLargerThanItsChunksIsReadWhole() throws {
        // More than one 1 MB chunk: lines cut across chunks are joined again.
        let lines = (1...3000).map { index in
            Self.goodLine.replacingOccurrences(of: "CS0001234", with: "CS\(100_000 + index)")
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tickets-\(UUID().uuidString).jsonl")
        try Data(lines.joined(separator: "\n").utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var reader = try TicketFileReader(url: url, rules: Self.rules)
        var count = 0
        while let item = try reader.next() {
            guard case .ticket = item else { Issue.record("rejected: \(item)"); continue }
            count += 1
        }
        #expect(count == 3000)
        #expect(reader.bytesRead == reader.totalBytes)
    }
}
