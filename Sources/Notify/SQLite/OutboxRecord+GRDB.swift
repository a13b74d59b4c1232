import GRDB

extension OutboxRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "outboxMessage"

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
