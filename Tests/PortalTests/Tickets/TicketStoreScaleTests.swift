import Foundation
import GRDB
import Portal
import StatusModel
import Testing

/// The store's reads at scale, timed: off unless `TICKET_STORE_SCALE` names how many tickets to
/// import (`TICKET_STORE_SCALE=200000 swift test --filter TicketStoreScale`). Prints p50 and p99
/// of each read; `Benchmarks/tickets.sh` is the real measure, on a release build.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TICKET_STORE_SCALE"] != nil))
struct TicketStoreScaleTests {
    @Test func readsStayFastOverManyTickets() async throws {
        let count = Int(ProcessInfo.processInfo.environment["TICKET_STORE_SCALE"] ?? "") ?? 100_000
        let f = try await TicketFixture()
        let tenants = 500
        let users = try await f.database.writer.write { db -> [(user: Int64, tenant: Int64)] in
            var made: [(Int64, Int64)] = []
            for index in 0..<tenants {
                try db.execute(sql: "INSERT INTO tenant (code, name) VALUES (?, ?)", arguments: ["T\(index)", "Client \(index)"])
                let tenant = db.lastInsertedRowID
                for member in 0..<3 {
                    try db.execute(sql: "INSERT INTO user (email, language, state, createdAt) VALUES (?, 'fr', 'active', 0)",
                                   arguments: ["u\(member)@t\(index).fr"])
                    let user = db.lastInsertedRowID
                    try db.execute(sql: "INSERT INTO membership (userID, tenantID, role) VALUES (?, ?, ?)",
                                   arguments: [user, tenant, member == 0 ? "admin" : "member"])
                    made.append((user, tenant))
                }
            }
            return made
        }
        let words = ["facture", "connexion", "erreur", "paramétrage", "écran", "export", "paie", "banque", "lenteur", "impression"]
        let states = TicketState.allCases
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var number = 1
        let clock = ContinuousClock()
        let importStart = clock.now
        while number <= count {
            var batch: [ImportedTicket] = []
            for _ in 0..<min(2_000, count - number + 1) {
                let owner = users[number % users.count]
                let at = start.addingTimeInterval(Double(number) * 60)
                let state = number % 10 < 7 ? TicketState.closed : states[number % states.count]
                let ticket = Ticket(number: TicketNumber(number), tenantID: owner.tenant, contactUserID: owner.user, type: "incident",
                                    subject: "Demande \(words[number % 10]) \(number)", productSlug: number % 5_000 == 0 ? "rare" : "p\(number % 30)",
                                    priority: TicketPriority.allCases[number % 4], state: state, assigneeID: number % 3 == 0 ? f.gaston.id : nil,
                                    openedAt: at, updatedAt: at.addingTimeInterval(3600), firstResponseDueAt: at.addingTimeInterval(7200))
                let messages = (0..<10).map { index in
                    TicketMessage(kind: index == 3 ? .note : (index.isMultiple(of: 2) ? .customer : .agent), authorUserID: nil,
                                  authorName: "Auteur", body: "Message \(index) sur \(words[(number + index) % 10]) numéro \(number * 10 + index)",
                                  createdAt: at.addingTimeInterval(Double(index) * 60))
                }
                batch.append(ImportedTicket(ticket: ticket, messages: messages))
                number += 1
            }
            _ = try await f.store.importTickets(batch)
        }
        print("imported \(count) tickets in \(clock.now - importStart)")

        func measure(_ name: String, _ read: () async throws -> Void) async throws {
            var times: [Duration] = []
            for _ in 0..<40 {
                let begin = clock.now
                try await read()
                times.append(clock.now - begin)
            }
            times.sort()
            print("\(name): p50 \(times[times.count / 2]) p99 \(times[times.count * 99 / 100])")
        }
        let admin = TicketReader(userID: users[0].user, adminTenantIDs: [users[0].tenant])
        let member = TicketReader(userID: users[1].user)
        try await measure("queue open by due") {
            _ = try await f.store.tickets(TicketQuery(states: [.new, .inProgress, .awaitingCustomer], sort: .due), for: .staff)
        }
        try await measure("queue critical unassigned") {
            _ = try await f.store.tickets(TicketQuery(states: [.new, .inProgress], priority: .critical, unassignedOnly: true), for: .staff)
        }
        try await measure("queue mine by priority") {
            _ = try await f.store.tickets(TicketQuery(states: [.inProgress, .new], assigneeID: f.gaston.id, sort: .priority), for: .staff)
        }
        try await measure("queue product page 3") {
            _ = try await f.store.tickets(TicketQuery(productSlug: "p7", page: 3), for: .staff)
        }
        try await measure("queue rare product by priority") {
            let rare = try await f.store.tickets(TicketQuery(states: [.closed, .new], productSlug: "rare", sort: .priority), for: .staff)
            #expect(rare.tickets.allSatisfy { $0.productSlug == "rare" && ($0.state == .closed || $0.state == .new) })
            #expect(rare.tickets.map(\.priority).isSorted)
            #expect(rare.tickets.count == min(25, rare.total))
            #expect(rare.total > 0)
        }
        try await measure("customer admin list") { _ = try await f.store.tickets(TicketQuery(), for: admin) }
        try await measure("customer member list") { _ = try await f.store.tickets(TicketQuery(states: [.closed]), for: member) }
        try await measure("ticket page") {
            let number = TicketNumber(count / 2)
            _ = try await f.store.ticket(number, for: .staff)
            _ = try await f.store.messages(of: number, for: .staff)
        }
        try await measure("search number") { _ = try await f.store.tickets(TicketQuery(text: "CS\(count / 3)"), for: .staff) }
        try await measure("search common word, staff") { _ = try await f.store.tickets(TicketQuery(text: "facture"), for: .staff) }
        try await measure("search two words, customer") { _ = try await f.store.tickets(TicketQuery(text: "erreur connex"), for: admin) }
    }
}
