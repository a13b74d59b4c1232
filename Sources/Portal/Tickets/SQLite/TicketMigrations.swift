import GRDB

/// The tickets' tables (registered by `PortalMigrations` as "portal.tickets.v1").
///
/// `ticket` holds what lists and filters read, with one index per list order and reader kind:
/// customers read through `tenantID` or `contactUserID` (a few hundred tickets each, sorted in
/// memory), agents through `state` (one index per sort, read state by state and merged, so a
/// page never sorts a million rows) or `assigneeID` ("mine", "unassigned").
/// `ticketCount` keeps the agents' counts (by state, priority, assignee, type and product),
/// moved by triggers in the transaction of every change, so the queue's counts never scan
/// the tickets. `ticketText` is what the search index reads: the subject, the messages a
/// customer may see, the notes (apart, so a customer's search never matches a note's words),
/// and who may see it as tags; kept in step with the FTS5 table `ticketSearch` (rowid = ticket id).
enum TicketMigrations {
    static func createTables(_ db: Database) throws {
        try db.create(table: "ticket") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("number", .integer).notNull().unique()
            t.column("tenantID", .integer).notNull().references("tenant", onDelete: .cascade)
            // A contact's account is never deleted while they have tickets: their tenant's history stays.
            t.column("contactUserID", .integer).notNull().references("user")
            t.column("type", .text).notNull()
            t.column("subject", .text).notNull()
            t.column("theme", .text).notNull().defaults(to: "")
            t.column("subTheme", .text).notNull().defaults(to: "")
            t.column("precision", .text).notNull().defaults(to: "")
            t.column("productSlug", .text)
            t.column("impact", .text)
            t.column("priority", .integer).notNull().check(sql: "priority BETWEEN 1 AND 4")
            t.column("state", .text).notNull()
                .check(sql: "state IN ('new', 'in_progress', 'awaiting_customer', 'solution_proposed', 'resolved', 'closed', 'cancelled')")
            t.column("assigneeID", .integer).references("user", onDelete: .setNull)
            t.column("project", .text)
            // JSON objects and arrays: read with a decoder that fails the read, not the process.
            t.column("fields", .text).notNull().defaults(to: "{}")
            t.column("followUpEmails", .text).notNull().defaults(to: "[]")
            t.column("incidentID", .text)
            t.column("language", .text).notNull().defaults(to: "fr")
            t.column("openedAt", .double).notNull()
            t.column("updatedAt", .double).notNull()
            t.column("firstResponseDueAt", .double)
            t.column("firstRespondedAt", .double)
            t.column("resolvedAt", .double)
        }
        // Customers: their own tickets, and their tenants' (covering the counts by state and priority).
        try db.create(index: "ticket_byContact", on: "ticket", columns: ["contactUserID", "state", "priority", "updatedAt"])
        try db.create(index: "ticket_byTenant", on: "ticket", columns: ["tenantID", "state", "priority", "updatedAt"])
        // Agents: one index per sort, each led by the state.
        try db.create(index: "ticket_byStateUpdated", on: "ticket", columns: ["state", "updatedAt"])
        try db.create(index: "ticket_byStateOpened", on: "ticket", columns: ["state", "openedAt"])
        try db.create(index: "ticket_byStatePriority", on: "ticket", columns: ["state", "priority", "openedAt"])
        try db.create(index: "ticket_byStateDue", on: "ticket", columns: ["state", "firstResponseDueAt"])
        try db.create(index: "ticket_byAssignee", on: "ticket", columns: ["assigneeID", "state", "updatedAt"])
        // A rare product, type or assignee: the queue reads its few matches through these, not the sort's index.
        try db.create(index: "ticket_byProduct", on: "ticket", columns: ["productSlug", "state", "openedAt"])
        try db.create(index: "ticket_byType", on: "ticket", columns: ["type", "state"])
        try db.execute(sql: "CREATE INDEX ticket_byIncident ON ticket (incidentID, openedAt) WHERE incidentID IS NOT NULL")

        // The next number is one past the highest ever given or imported, even if that ticket is gone.
        try db.create(table: "ticketSequence") { t in
            t.primaryKey("id", .integer).check(sql: "id = 1")
            t.column("lastNumber", .integer).notNull()
        }
        try db.execute(sql: "INSERT INTO ticketSequence (id, lastNumber) VALUES (1, 0)")

        try db.create(table: "ticketMessage") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("ticketID", .integer).notNull().references("ticket", onDelete: .cascade)
            t.column("kind", .text).notNull().check(sql: "kind IN ('customer', 'agent', 'note', 'solution', 'refusal', 'event')")
            t.column("authorUserID", .integer).references("user", onDelete: .setNull)
            t.column("authorName", .text).notNull()
            t.column("body", .text).notNull()
            t.column("createdAt", .double).notNull()
        }
        try db.create(index: "ticketMessage_byTicket", on: "ticketMessage", columns: ["ticketID", "createdAt"])

        try db.create(table: "ticketAttachment") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("messageID", .integer).notNull().references("ticketMessage", onDelete: .cascade).indexed()
            t.column("fileName", .text).notNull()
            t.column("sha256", .text).notNull()
            t.column("size", .integer).notNull()
            t.column("contentType", .text).notNull()
        }

        // "Un article a-t-il répondu à votre question ? Oui": one row per answer.
        try db.create(table: "articleAnswer") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("articleNumber", .integer).notNull().indexed()
            t.column("userID", .integer).notNull().references("user", onDelete: .cascade)
            t.column("tenantID", .integer).notNull().references("tenant", onDelete: .cascade)
            t.column("at", .double).notNull()
        }

        try db.create(table: "ticketSatisfaction") { t in
            t.primaryKey("ticketID", .integer).references("ticket", onDelete: .cascade)
            t.column("stars", .integer).notNull().check(sql: "stars BETWEEN 1 AND 5")
            t.column("comment", .text).notNull()
            t.column("at", .double).notNull()
        }

        try db.create(table: "tenantProject") { t in
            t.column("tenantID", .integer).notNull().references("tenant", onDelete: .cascade)
            t.column("name", .text).notNull()
            t.column("position", .integer).notNull()
            t.primaryKey(["tenantID", "name"])
        }

        // A change written once whatever retries it (an incident's resolution proposed again
        // after a crash): its key is kept with the change, in the same transaction.
        try db.create(table: "ticketChangeKey") { t in
            t.primaryKey("key", .text)
            t.column("ticketID", .integer).notNull().references("ticket", onDelete: .cascade).indexed()
        }
        // How far the incident follower has read the status journal. It starts at the journal's
        // end: incidents resolved before tickets existed concern no ticket.
        try db.create(table: "ticketJournalCursor") { t in
            t.primaryKey("name", .text)
            t.column("lastEventID", .integer).notNull()
        }
        let journalEnd = try db.tableExists("statusEvent") ? try Int64.fetchOne(db, sql: "SELECT max(id) FROM statusEvent") ?? 0 : 0
        try db.execute(sql: "INSERT INTO ticketJournalCursor (name, lastEventID) VALUES ('incidents', ?)", arguments: [journalEnd])

        try createCounts(db)
        try createSearch(db)
    }

    /// The agents' counts, one row per combination present; assignee 0 and product '' stand for
    /// none. `ticketQueueCount` holds the same without type and product: the queue's usual
    /// filters sum a few hundred rows at most; a type or a product reads `ticketCount` through its index.
    static func createCounts(_ db: Database) throws {
        try db.create(table: "ticketQueueCount", options: .withoutRowID) { t in
            t.column("state", .text).notNull()
            t.column("priority", .integer).notNull()
            t.column("assigneeKey", .integer).notNull()
            t.column("count", .integer).notNull()
            t.primaryKey(["state", "priority", "assigneeKey"])
        }
        try db.create(table: "ticketCount", options: .withoutRowID) { t in
            t.column("state", .text).notNull()
            t.column("priority", .integer).notNull()
            t.column("assigneeKey", .integer).notNull()
            t.column("type", .text).notNull()
            t.column("productKey", .text).notNull()
            t.column("count", .integer).notNull()
            t.primaryKey(["state", "priority", "assigneeKey", "type", "productKey"])
        }
        try db.create(index: "ticketCount_byProduct", on: "ticketCount", columns: ["productKey"])
        try db.create(index: "ticketCount_byType", on: "ticketCount", columns: ["type"])
        func add(_ row: String, _ delta: Int) -> String {
            """
            INSERT INTO ticketCount (state, priority, assigneeKey, type, productKey, count)
            VALUES (\(row).state, \(row).priority, coalesce(\(row).assigneeID, 0), \(row).type, coalesce(\(row).productSlug, ''), \(delta))
            ON CONFLICT (state, priority, assigneeKey, type, productKey) DO UPDATE SET count = count + \(delta);
            INSERT INTO ticketQueueCount (state, priority, assigneeKey, count)
            VALUES (\(row).state, \(row).priority, coalesce(\(row).assigneeID, 0), \(delta))
            ON CONFLICT (state, priority, assigneeKey) DO UPDATE SET count = count + \(delta);
            """
        }
        try db.execute(sql: """
            CREATE TRIGGER ticket_countInsert AFTER INSERT ON ticket BEGIN
                \(add("new", 1))
            END;
            CREATE TRIGGER ticket_countDelete AFTER DELETE ON ticket BEGIN
                \(add("old", -1))
            END;
            CREATE TRIGGER ticket_countUpdate AFTER UPDATE OF state, priority, assigneeID, type, productSlug ON ticket
            WHEN old.state IS NOT new.state OR old.priority IS NOT new.priority OR old.assigneeID IS NOT new.assigneeID
                 OR old.type IS NOT new.type OR old.productSlug IS NOT new.productSlug BEGIN
                \(add("old", -1))
                \(add("new", 1))
            END;
            """)
    }

    static func createSearch(_ db: Database) throws {
        try db.create(table: "ticketText") { t in
            t.primaryKey("ticketID", .integer).references("ticket", onDelete: .cascade)
            t.column("subject", .text).notNull()
            t.column("body", .text).notNull()
            t.column("notes", .text).notNull()
            t.column("tags", .text).notNull()
        }
        // The knowledge base's tokenizer (accents, plurals); prefixes of 2 and 3 letters for the last word typed.
        try db.execute(sql: """
            CREATE VIRTUAL TABLE ticketSearch USING fts5(
                subject, body, notes, tags,
                content='ticketText', content_rowid='ticketID',
                prefix='2 3', tokenize='\(KnowledgeBaseTokenizer.name)')
            """)
        let columns = "subject, body, notes, tags"
        try db.execute(sql: """
            CREATE TRIGGER ticketText_ai AFTER INSERT ON ticketText BEGIN
                INSERT INTO ticketSearch(rowid, \(columns)) VALUES (new.ticketID, new.subject, new.body, new.notes, new.tags);
            END;
            CREATE TRIGGER ticketText_ad AFTER DELETE ON ticketText BEGIN
                INSERT INTO ticketSearch(ticketSearch, rowid, \(columns)) VALUES ('delete', old.ticketID, old.subject, old.body, old.notes, old.tags);
            END;
            CREATE TRIGGER ticketText_au AFTER UPDATE ON ticketText BEGIN
                INSERT INTO ticketSearch(ticketSearch, rowid, \(columns)) VALUES ('delete', old.ticketID, old.subject, old.body, old.notes, old.tags);
                INSERT INTO ticketSearch(rowid, \(columns)) VALUES (new.ticketID, new.subject, new.body, new.notes, new.tags);
            END;
            """)
    }
}
