import ArgumentParser
import Foundation
import Notify
import Portal
import StatusModel

/// Benchmarks/tickets.sh drives it: makes the tenants and writes the tickets to import (JSON
/// lines, streamed), then times the store's ticket queries.
@main
struct TicketsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tickets-bench", subcommands: [Generate.self, Queries.self, HTTPSetup.self])

    static let migrations: [any SQLiteMigrations] = [StatusModelMigrations(), NotifyMigrations(), PortalMigrations()]

    /// Words with realistic frequencies: a few in most tickets, a long tail of rare ones.
    static let common = ["connexion", "erreur", "facture", "paie", "portail", "utilisateur", "export", "bulletin", "accès", "version"]
    static let vocabulary = ["message", "écran", "bouton", "menu", "salarié", "déclaration", "règlement", "cotisation", "congé", "absence",
                             "planning", "tableau", "paramètre", "droits", "profil", "mot", "passe", "impression", "fichier", "import",
                             "compte", "client", "mise", "jour", "lenteur", "blocage", "serveur", "sauvegarde", "licence", "module"]
    static let products = ["cegid-loop", "cegid-stream", "cegid-flow", "cegid-notilus", "cegid-retail-y2", "yourcegid-paie", "cegid-talent",
                           "cegid-hr-ultimate", "cegid-temps-activites", "xrp-flex", "xrp-sprint", "cegid-quadra"]
    static let types = ["incident", "administrative", "application", "portal", "technical", "hardware"]

    static func tenantCode(_ index: Int) -> String { String(90_000_000 + index) }
    static func contactEmail(tenant: Int, contact: Int) -> String { "contact\(contact)@t\(tenantCode(tenant)).example" }

    /// A rare word of the long tail.
    static func rare(_ index: Int) -> String {
        let letters = Array("bcdfghjklmnprstvz"), vowels = Array("aeiou")
        var word = ""
        var value = index
        for _ in 0..<4 {
            word.append(letters[value % letters.count]); value /= letters.count
            word.append(vowels[value % vowels.count]); value /= vowels.count
        }
        return word
    }

    /// A small, fast, seeded generator: the same run writes the same file.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Which tenant a ticket belongs to: a few large tenants, a long tail of small ones.
    static func tenant(_ random: inout SplitMix, tenants: Int) -> Int {
        min(tenants - 1, Int(pow(Double.random(in: 0..<1, using: &random), 2) * Double(tenants)))
    }

    static func words(_ count: Int, _ random: inout SplitMix) -> String {
        (0..<count).map { _ in
            let roll = Int.random(in: 0..<100, using: &random)
            if roll < 10 { return common.randomElement(using: &random) ?? "" }
            if roll < 70 { return vocabulary.randomElement(using: &random) ?? "" }
            return rare(Int(pow(Double.random(in: 0..<1, using: &random), 3) * 50_000))
        }.joined(separator: " ")
    }

    struct Generate: AsyncParsableCommand {
        @Option var tickets = 1_000_000
        @Option var tenants = 5_000
        /// Messages per ticket on average, the description included.
        @Option var messages = 10
        @Option var contactsPerTenant = 5
        /// The database to make the tenants in (the import refuses unknown tenant codes).
        @Option var database: String
        @Option var out: String

        func run() async throws {
            let sqlite = try SQLiteDatabase.open(path: database, migrations: TicketsBench.migrations)
            let accounts = SQLiteAccountStore(database: sqlite)
            for index in 0..<tenants where try await accounts.tenant(code: TicketsBench.tenantCode(index)) == nil {
                _ = try await accounts.createTenant(Tenant(code: TicketsBench.tenantCode(index), name: "Client \(index)"))
            }
            guard FileManager.default.createFile(atPath: out, contents: nil), let file = FileHandle(forWritingAtPath: out) else {
                throw ValidationError("cannot write \(out)")
            }
            defer { try? file.close() }
            var random = SplitMix(state: 42)
            var buffer = Data()
            buffer.reserveCapacity(2 << 20)
            let start = Date(timeIntervalSince1970: 1_640_995_200) // 2022-01-01
            let span = 3.0 * 365 * 86_400
            for number in 1...tickets {
                let tenant = TicketsBench.tenant(&random, tenants: tenants)
                let contact = Int.random(in: 0..<contactsPerTenant, using: &random)
                let opened = start.addingTimeInterval(Double(number) / Double(tickets) * span)
                let roll = Int.random(in: 0..<100, using: &random)
                let state = roll < 55 ? "closed" : roll < 75 ? "resolved" : roll < 80 ? "cancelled" : roll < 86 ? "new"
                    : roll < 94 ? "in_progress" : roll < 97 ? "awaiting_customer" : "solution_proposed"
                var conversation: [String] = []
                var at = opened
                for index in 0..<max(0, Int.random(in: 0...(2 * (messages - 1)), using: &random)) {
                    at = at.addingTimeInterval(Double.random(in: 600..<86_400, using: &random))
                    let agent = index % 2 == 0
                    let note = agent && Int.random(in: 0..<10, using: &random) == 0
                    conversation.append(JSON.object([
                        ("kind", JSON.string(note ? "note" : agent ? "agent" : "customer")),
                        ("author", JSON.string(agent ? "Agent \(number % 40)" : "Contact \(contact)")),
                        ("date", JSON.string(JSON.date(at))),
                        ("body", JSON.string(TicketsBench.words(Int.random(in: 8..<30, using: &random), &random))),
                    ]))
                }
                let record = JSON.object([
                    ("number", JSON.string(TicketNumber(number).description)),
                    ("tenant_code", JSON.string(TicketsBench.tenantCode(tenant))),
                    ("contact_email", JSON.string(TicketsBench.contactEmail(tenant: tenant, contact: contact))),
                    ("contact_name", JSON.string("Contact \(contact)")),
                    ("type", JSON.string(TicketsBench.types[number % TicketsBench.types.count])),
                    ("subject", JSON.string(TicketsBench.words(6, &random).capitalized)),
                    ("description", JSON.string(TicketsBench.words(Int.random(in: 20..<60, using: &random), &random))),
                    ("state", JSON.string(state)),
                    ("priority", JSON.string(String(Int.random(in: 1...4, using: &random)))),
                    ("product", JSON.string(TicketsBench.products[Int.random(in: 0..<TicketsBench.products.count, using: &random)])),
                    ("opened_at", JSON.string(JSON.date(opened))),
                    ("updated_at", JSON.string(JSON.date(at))),
                    ("messages", "[" + conversation.joined(separator: ",") + "]"),
                ])
                buffer.append(contentsOf: record.utf8)
                buffer.append(0x0A)
                if buffer.count > 1 << 20 {
                    try file.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try file.write(contentsOf: buffer)
        }
    }

    struct Queries: AsyncParsableCommand {
        @Option var database: String
        /// Timed runs of each kind of query.
        @Option var runs = 1_000
        @Option var tenants = 5_000
        @Option var contactsPerTenant = 5
        /// Print the queries slower than 50 ms.
        @Flag var slow = false

        func run() async throws {
            let sqlite = try SQLiteDatabase.open(path: database, migrations: TicketsBench.migrations)
            let store = SQLiteTicketStore(database: sqlite)
            let accounts = SQLiteAccountStore(database: sqlite)
            let total = try await store.tickets(TicketQuery(pageSize: 1), for: .staff).total
            guard total > 0 else { throw ValidationError("no tickets in \(database)") }
            var random = TicketsBench.SplitMix(state: 7)

            // Readers as the pages would build them: members of a tenant (their own tickets) and its administrators.
            var customers: [(reader: TicketReader, tenantID: Int64)] = []
            while customers.count < 200 {
                let tenant = TicketsBench.tenant(&random, tenants: tenants)
                guard let found = try await accounts.tenant(code: TicketsBench.tenantCode(tenant)),
                      let user = try await accounts.user(email: TicketsBench.contactEmail(
                          tenant: tenant, contact: Int.random(in: 0..<contactsPerTenant, using: &random))) else { continue }
                let admin = customers.count % 3 == 0
                customers.append((TicketReader(userID: user.id, adminTenantIDs: admin ? [found.id] : []), found.id))
            }
            let open: [TicketState] = TicketState.allCases.filter(\.isOpen)
            var timings: [String: [Double]] = [:]
            let clock = ContinuousClock()
            func time(_ kind: String, _ label: @autoclosure () -> String, _ work: () async throws -> Void) async throws {
                let elapsed = try await clock.measure { try await work() }
                let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
                if slow, milliseconds > 50 { print("slow: \(kind) \(Int(milliseconds)) ms \(label())") }
                timings[kind, default: []].append(milliseconds)
            }
            for run in 0..<runs {
                // The agents' queue: open tickets, with one or two filters, sorted as the page offers.
                var queue = TicketQuery(states: run % 4 == 0 ? [] : open, sort: [.priority, .due, .updated, .oldest][run % 4],
                                        page: 1 + run % 3)
                switch run % 6 {
                case 0: queue.priority = TicketPriority(rawValue: 1 + run % 4)
                case 1: queue.type = TicketsBench.types[run % TicketsBench.types.count]
                case 2: queue.productSlug = TicketsBench.products[run % TicketsBench.products.count]
                case 3: queue.tenantID = customers[run % customers.count].tenantID
                case 4: queue.unassignedOnly = true
                default: queue.states = [.new]
                }
                try await time("queue", "\(queue)") { _ = try await store.tickets(queue, for: .staff) }

                // "Suivi de vos demandes": a member's own, an administrator's whole tenant, sometimes filtered.
                let customer = customers[run % customers.count]
                var mine = TicketQuery()
                if run % 4 == 1 { mine.states = open }
                if run % 4 == 2 { mine.productSlug = TicketsBench.products[run % TicketsBench.products.count] }
                try await time("mine", "\(mine) \(customer.reader)") { _ = try await store.tickets(mine, for: customer.reader) }

                // A ticket page: the ticket and its conversation, for staff (notes included).
                let number = TicketNumber(Int.random(in: 1...total, using: &random))
                try await time("page", "\(number)") {
                    _ = try await store.ticket(number, for: .staff)
                    _ = try await store.messages(of: number, for: .staff)
                }

                // Search by number, by agents and by a customer.
                let sought = TicketQuery(text: TicketNumber(Int.random(in: 1...total, using: &random)).description)
                try await time("number", "\(sought.text)") {
                    _ = try await store.tickets(sought, for: run % 2 == 0 ? .staff : customer.reader)
                }

                // Search by words: a rare word, a common one, two words, a prefix as typed.
                let text: String = switch run % 4 {
                case 0: TicketsBench.rare(Int.random(in: 0..<2_000, using: &random))
                case 1: TicketsBench.common[run % TicketsBench.common.count]
                case 2: "\(TicketsBench.vocabulary[run % 30]) \(TicketsBench.vocabulary[(run * 7 + 3) % 30])"
                default: String(TicketsBench.vocabulary[run % 30].prefix(3))
                }
                let words = TicketQuery(text: text)
                try await time("words", "\"\(text)\" \(run % 2 == 0 ? "staff" : "customer")") {
                    _ = try await store.tickets(words, for: run % 2 == 0 ? .staff : customer.reader)
                }
            }
            var parts: [String] = ["tickets=\(total)"]
            for kind in ["queue", "mine", "page", "number", "words"] {
                let sorted = (timings[kind] ?? []).sorted()
                func percentile(_ p: Double) -> String {
                    sorted.isEmpty ? "n/a" : String(format: "%.2f", sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))])
                }
                parts.append("\(kind)_p50_ms=\(percentile(0.5)) \(kind)_p99_ms=\(percentile(0.99))")
            }
            print(parts.joined(separator: " "))
        }
    }
}

/// The pages' side: signs in an agent and a tenant administrator (sessions written straight
/// into the store, as a sign-in would) and writes curl config files of page requests, one per kind.
struct HTTPSetup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "http-setup")
    @Option var database: String
    @Option var address: String
    @Option var runs = 1_000
    @Option var tenants = 5_000
    @Option var contactsPerTenant = 5
    @Option var out: String

    func run() async throws {
        let sqlite = try SQLiteDatabase.open(path: database, migrations: TicketsBench.migrations)
        let accounts = SQLiteAccountStore(database: sqlite)
        let store = SQLiteTicketStore(database: sqlite)
        let now = Date()
        /// Makes the account active and opens a session on it; returns the cookie's value.
        func signIn(_ user: User, tenantID: Int64?) async throws -> String {
            let token = Secrets.token()
            try await accounts.issueToken(userID: user.id, purpose: .activation, tokenHash: Secrets.hash(token), expiresAt: now.addingTimeInterval(3600),
                                          mail: Mail(to: user.email, subject: "bench", text: "bench", language: "fr"), now: now)
            var active = user
            active.state = .active
            _ = try await accounts.consumeToken(tokenHash: Secrets.hash(token), purpose: .activation, now: now, update: active,
                                                passwordHash: Secrets.hashPassword(Secrets.token(), cost: 4))
            let id = Secrets.token()
            try await accounts.createSession(idHash: Secrets.hash(id), Session(userID: user.id, tenantID: tenantID, csrfToken: Secrets.token(),
                                                                              createdAt: now, expiresAt: now.addingTimeInterval(86_400)))
            return id
        }
        let agentEmail = "bench-agent@vendor.example"
        var agent = try await accounts.user(email: agentEmail)
        if agent == nil {
            agent = try await accounts.createInvitedUser(
                User(email: agentEmail, staffRole: .agent, createdAt: now), tenantID: nil, role: .member, tokenHash: Secrets.hash(Secrets.token()),
                tokenExpiresAt: now.addingTimeInterval(3600), mail: Mail(to: agentEmail, subject: "bench", text: "bench", language: "fr"), now: now)
        }
        guard let agent else { throw ValidationError("cannot make the agent") }
        let staffCookie = try await signIn(agent, tenantID: nil)
        // The administrator of the largest tenant (index 0): the longest "Suivi de vos demandes".
        guard let tenant = try await accounts.tenant(code: TicketsBench.tenantCode(0)),
              let contact = try await accounts.user(email: TicketsBench.contactEmail(tenant: 0, contact: 0)) else {
            throw ValidationError("no tenant \(TicketsBench.tenantCode(0)) with its contact: run generate and the import first")
        }
        _ = try await accounts.setRole(userID: contact.id, tenantID: tenant.id, role: .admin)
        let customerCookie = try await signIn(contact, tenantID: tenant.id)
        let theirs = try await store.tickets(TicketQuery(tenantID: tenant.id, pageSize: 200), for: .staff).tickets.map(\.number)
        guard !theirs.isEmpty else { throw ValidationError("the tenant has no tickets") }
        var random = TicketsBench.SplitMix(state: 11)
        func write(_ kind: String, cookie: String, _ path: (Int) -> String) throws {
            var lines = ""
            for run in 0..<runs {
                lines += "url = \"\(address)\(path(run))\"\ncookie = \"sid=\(cookie)\"\noutput = /dev/null\n"
            }
            try Data(lines.utf8).write(to: URL(fileURLWithPath: out).appendingPathComponent("\(kind).txt"))
        }
        let states = ["new", "in_progress", "awaiting_customer"]
        try write("queue", cookie: staffCookie) { run in
            "/staff/tickets?state=\(states[run % 3])&priority=\(1 + run % 4)&product=\(TicketsBench.products[run % TicketsBench.products.count])"
        }
        try write("mine", cookie: customerCookie) { run in run % 2 == 0 ? "/requests" : "/requests?state=\(states[run % 3])" }
        try write("page", cookie: customerCookie) { _ in "/requests/\(theirs.randomElement(using: &random) ?? theirs[0])" }
        try write("number", cookie: customerCookie) { _ in "/requests?q=\(theirs.randomElement(using: &random) ?? theirs[0])" }
        try write("words", cookie: customerCookie) { run in
            let word = run % 2 == 0 ? TicketsBench.common[run % TicketsBench.common.count] : TicketsBench.rare(run % 2_000)
            return "/requests?q=" + (word.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? word)
        }
        // The probe the script uses to tell whether the pages exist yet.
        print("staff_cookie=\(staffCookie) customer_cookie=\(customerCookie) sample=\(theirs[0])")
    }
}

/// JSON written by hand: a million records through JSONEncoder take minutes here.
enum JSON {
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// "2024-03-05T14:30:00Z" (Howard Hinnant's civil_from_days).
    static func date(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970)
        let days = seconds / 86_400, rest = seconds % 86_400
        let z = days + 719_468
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }
}
