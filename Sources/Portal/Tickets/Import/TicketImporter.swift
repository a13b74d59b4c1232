import Foundation

/// Imports the old portal's tickets (`statusd import tickets FILE`, the benchmark): reads the
/// file row by row, finds each contact (making a pending account when the address has none,
/// see `ImportedContact`), takes the attachments through the intake, and writes the tickets
/// `batchSize` at a time, one transaction per batch. Tickets keep their numbers and dates; a
/// number already taken is left as it is, so a second run adds nothing.
public struct TicketImporter: Sendable {
    /// What a run did.
    public struct Report: Sendable, Hashable {
        public var added = 0
        /// Numbers the store had already (an earlier run, or a ticket of the old portal imported twice).
        public var alreadyThere = 0
        public var rejected = 0
        /// Pending accounts made for contacts without one.
        public var contactsCreated = 0
        public var attachments = 0
        /// Rows read so far (added, already there or rejected, or waiting in the batch).
        public var rows = 0
        public var bytesRead: Int64 = 0
        public var totalBytes: Int64?

        public init() {}
    }

    let store: any TicketStore
    let accounts: any AccountStore
    let intake: any AttachmentIntake
    let batchSize: Int
    let clock: @Sendable () -> Date

    public init(store: any TicketStore, accounts: any AccountStore, intake: any AttachmentIntake, batchSize: Int = 500,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.accounts = accounts
        self.intake = intake
        self.batchSize = max(1, batchSize)
        self.clock = clock
    }

    /// The rules rows are checked against: every tenant by code.
    public static func rules(accounts: any AccountStore, timeZone: TimeZone, types: Set<String>? = nil) async throws -> TicketImportRules {
        let tenants = try await accounts.tenants()
        return TicketImportRules(tenantIDs: Dictionary(tenants.map { ($0.code, $0.id) }) { first, _ in first }, types: types, timeZone: timeZone)
    }

    /// Reads `reader` to its end. Attachment paths are relative to `folder`. `rejected` is told
    /// each refused row as it is found; `progress` after each batch and every 1,000 rows.
    public func run(_ reader: inout TicketFileReader, folder: URL, progress: (Report) -> Void = { _ in },
                    rejected: (TicketImportRejection) -> Void = { _ in }) async throws -> Report {
        var report = Report()
        report.totalBytes = reader.totalBytes
        var batch: [ImportedTicket] = []
        var contacts = ContactCache()
        func flush() async throws {
            guard !batch.isEmpty else { return }
            let added = try await store.importTickets(batch)
            let count = added.filter { $0 }.count
            report.added += count
            report.alreadyThere += batch.count - count
            batch.removeAll(keepingCapacity: true)
        }
        while let item = try reader.next() {
            report.rows += 1
            report.bytesRead = reader.bytesRead
            switch item {
            case .rejected(let rejection):
                report.rejected += 1
                rejected(rejection)
            case .ticket(let row):
                do {
                    if let imported = try await importedTicket(row, folder: folder, contacts: &contacts, report: &report) {
                        batch.append(imported)
                    } else {
                        report.alreadyThere += 1
                    }
                } catch let rejection as TicketImportRejection {
                    report.rejected += 1
                    rejected(rejection)
                }
            }
            if batch.count >= batchSize {
                try await flush()
                progress(report)
            } else if report.rows % 1000 == 0 {
                progress(report)
            }
        }
        try await flush()
        report.bytesRead = reader.bytesRead
        progress(report)
        return report
    }

    /// The ticket to write, or nil when its number is taken already and it has attachments (so
    /// that a second run does not read its files again).
    private func importedTicket(_ row: TicketImportRow, folder: URL, contacts: inout ContactCache,
                                report: inout Report) async throws -> ImportedTicket? {
        if !row.attachmentPaths.isEmpty, try await store.ticket(row.ticket.number, for: .staff) != nil { return nil }
        // The files first, the contact last: a row refused for a file makes no account.
        var messages: [TicketMessage] = []
        var taken = 0
        for item in row.messages {
            var message = item.message
            for path in item.attachmentPaths {
                message.attachments.append(try await attachment(path, folder: folder, line: row.line))
                taken += 1
            }
            messages.append(message)
        }
        let contactID = try await contact(of: row, contacts: &contacts, report: &report)
        var ticket = row.ticket
        ticket.contactUserID = contactID
        for (index, item) in row.messages.enumerated() {
            if index == 0 {
                messages[index].authorUserID = contactID
            } else if let email = item.authorEmail {
                messages[index].authorUserID = try await author(email, kind: item.message.kind, tenantID: ticket.tenantID,
                                                                contactEmail: row.contactEmail, contactID: contactID, contacts: &contacts)
            }
        }
        report.attachments += taken
        return ImportedTicket(ticket: ticket, messages: messages)
    }

    /// Accounts already looked up in this run, by tenant and address.
    private struct ContactCache {
        /// Nil: refused.
        var contacts: [String: Int64?] = [:]
        var staff: [String: Int64?] = [:]
        var members: [String: Int64?] = [:]
    }

    private func contact(of row: TicketImportRow, contacts: inout ContactCache, report: inout Report) async throws -> Int64 {
        let key = "\(row.ticket.tenantID) \(row.contactEmail)"
        let refused = TicketImportRejection(
            line: row.line, .contactRefused,
            "contact_email: \(row.contactEmail) has an active or disabled account that is not a member of customer account \(row.tenantCode); add it to that account first")
        if let known = contacts.contacts[key] {
            guard let id = known else { throw refused }
            return id
        }
        let words = row.contactName.split(separator: " ", maxSplits: 1).map(String.init)
        let user = User(email: row.contactEmail, firstName: words.first ?? "", lastName: words.count > 1 ? words[1] : "",
                        language: row.ticket.language, createdAt: clock())
        switch try await accounts.importContact(user, tenantID: row.ticket.tenantID) {
        case .member(let found), .joined(let found):
            contacts.contacts[key] = found.id
            return found.id
        case .created(let made):
            report.contactsCreated += 1
            contacts.contacts[key] = made.id
            return made.id
        case .refused:
            contacts.contacts[key] = .some(nil)
            throw refused
        }
    }

    /// A customer's message names a member of the tenant; an agent's, a staff account; else no account.
    private func author(_ email: String, kind: TicketMessage.Kind, tenantID: Int64, contactEmail: String, contactID: Int64,
                        contacts: inout ContactCache) async throws -> Int64? {
        switch kind {
        case .customer, .refusal:
            if email == contactEmail { return contactID }
            let key = "\(tenantID) \(email)"
            if let known = contacts.members[key] { return known }
            var found: Int64?
            if let user = try await accounts.user(email: email),
               try await accounts.memberships(userID: user.id).contains(where: { $0.tenant.id == tenantID }) {
                found = user.id
            }
            contacts.members[key] = found
            return found
        case .agent, .note, .solution, .event:
            if let known = contacts.staff[email] { return known }
            let found = try await accounts.user(email: email).flatMap { $0.staffRole == nil ? nil : $0.id }
            contacts.staff[email] = found
            return found
        }
    }

    private func attachment(_ path: String, folder: URL, line: Int) async throws -> TicketAttachment {
        let file = folder.appendingPathComponent(path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw TicketImportRejection(line: line, .attachmentRefused, "attachment \"\(path)\": no such file beside the import file")
        }
        guard FileManager.default.isReadableFile(atPath: file.path) else {
            throw TicketImportRejection(line: line, .attachmentRefused, "attachment \"\(path)\": the file cannot be read (permissions)")
        }
        do {
            let taken = try await intake.take(file: file, fileName: file.lastPathComponent)
            return TicketAttachment(fileName: taken.fileName, blob: taken.blob)
        } catch let refusal as AttachmentRefusal {
            throw TicketImportRejection(line: line, .attachmentRefused, "attachment \"\(path)\" refused: \(ArticleImporter.describe(refusal))")
        }
    }
}
