import Foundation
import GRDB

/// What was typed in a ticket search box: ticket numbers ("CS0000123", "cs123") and words.
struct TicketSearchText {
    var numbers: [TicketNumber]
    var words: [String]

    init(_ text: String) {
        let typed = SearchText(text)
        var numbers: [TicketNumber] = []
        var words: [String] = []
        for word in typed.words {
            if let number = TicketNumber(word) { numbers.append(number) } else { words.append(word) }
        }
        self.numbers = Array(numbers.prefix(20))
        self.words = words
    }
}

/// Search by words: FTS5 over the subject and the messages, the visibility as tags inside the
/// index (a customer's expression names only their tags and never the notes column). A word
/// found in most tickets would cost a scan of its whole doclist to rank or sort: so only the
/// newest `searchCandidates` matches (rowid = ticket id, read backwards, which FTS5 does without
/// scoring) are taken, and the list's filters, sort and counts run over those.
extension SQLiteTicketStore {
    public static let searchCandidates = 1_000

    /// The ids of the newest matches the reader may see, and whether there were more.
    static func searchCandidates(_ db: Database, words: [String], for reader: TicketReader) throws -> (ids: [Int64], truncated: Bool) {
        let columns = reader.seesNotes ? "subject body notes" : "subject body"
        guard let expression = SearchExpression.words(words, columns: columns) else { return ([], false) }
        let full = SearchExpression.and([expression, TicketIndexText.visibility(reader)])
        let ids = try Int64.fetchAll(db, sql: "SELECT rowid FROM ticketSearch WHERE ticketSearch MATCH ? ORDER BY rowid DESC LIMIT ?",
                                     arguments: [full, searchCandidates + 1])
        return (Array(ids.prefix(searchCandidates)), ids.count > searchCandidates)
    }

    /// The tickets named by number that the reader may see, in the order typed: a number finds
    /// that ticket, whatever the other filters say.
    static func numbered(_ db: Database, _ numbers: [TicketNumber], for reader: TicketReader) throws -> [Ticket] {
        let access = TicketAccess(reader)
        let found = try Row.fetchAll(db, sql: "SELECT * FROM ticket WHERE number IN (\(marks(numbers.count))) AND \(access.sql)",
                                     arguments: StatementArguments(numbers.map(\.value)) + access.arguments).map(Ticket.init(row:))
        let byNumber = Dictionary(found.map { ($0.number, $0) }) { first, _ in first }
        var seen: Set<TicketNumber> = []
        return numbers.filter { seen.insert($0).inserted }.compactMap { byNumber[$0] }
    }
}
