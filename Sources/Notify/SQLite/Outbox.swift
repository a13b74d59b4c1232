import Foundation
import GRDB

/// Writing mail into the outbox from another module's store, inside its own transaction: the
/// mail exists if and only if the change that causes it was committed.
public enum Outbox {
    /// Queues `mail`, due at once, in the caller's transaction. Throws `MailError` for a mail
    /// that can never be sent (a bad recipient or header name), which rolls the change back.
    @discardableResult
    public static func enqueue(_ mail: Mail, in db: Database, now: Date) throws -> Int64 {
        var record = try OutboxRecord(mail: mail, now: now)
        try record.insert(db)
        guard let id = record.id else { throw DatabaseError(message: "the outbox row got no id") }
        return id
    }
}
