import GRDB

/// The tables of StatusModel: products, results, episodes, incidents, maintenance, rollups.
public struct StatusModelMigrations: SQLiteMigrations {
    public init() {}

    public func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("statusModel.v1") { db in
            try db.create(table: "product") { t in
                t.primaryKey("slug", .text)
                t.column("name", .text).notNull()
                t.column("family", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("visibility", .text).notNull()
                t.column("monitoredSince", .double).notNull()
                t.column("hasChecks", .boolean).notNull()
            }
            try db.create(table: "checkResult") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("checkID", .text).notNull()
                t.column("productSlug", .text).notNull().references("product", onDelete: .cascade)
                t.column("time", .double).notNull()
                t.column("region", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("durationMilliseconds", .double)
                t.column("reason", .text)
            }
            try db.create(index: "checkResult_byCheckTime", on: "checkResult", columns: ["checkID", "time"])
            try db.create(index: "checkResult_byTime", on: "checkResult", columns: ["time"])
            try db.create(table: "episode") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("productSlug", .text).notNull().references("product", onDelete: .cascade)
                t.column("condition", .text).notNull()
                t.column("cause", .text).notNull()
                t.column("source", .text).notNull()
                t.column("start", .double).notNull()
                t.column("end", .double)
            }
            try db.create(index: "episode_byProductStart", on: "episode", columns: ["productSlug", "start"])
            try db.execute(sql: "CREATE INDEX episode_open ON episode(productSlug) WHERE \"end\" IS NULL")
            try db.create(table: "incident") { t in
                t.primaryKey("id", .text)
                t.column("title", .text).notNull()
                t.column("impact", .text).notNull()
                t.column("startedAt", .double).notNull()
                t.column("resolvedAt", .double)
            }
            try db.create(table: "incidentProduct") { t in
                t.column("incidentID", .text).notNull().references("incident", onDelete: .cascade)
                t.column("productSlug", .text).notNull().references("product", onDelete: .cascade)
                t.primaryKey(["incidentID", "productSlug"])
            }
            try db.create(index: "incidentProduct_byProduct", on: "incidentProduct", columns: ["productSlug"])
            try db.create(table: "incidentUpdate") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("incidentID", .text).notNull().references("incident", onDelete: .cascade).indexed()
                t.column("status", .text).notNull()
                t.column("message", .text).notNull()
                t.column("at", .double).notNull()
            }
            try db.create(table: "maintenance") { t in
                t.primaryKey("id", .text)
                t.column("title", .text).notNull()
                t.column("message", .text).notNull()
                t.column("start", .double).notNull()
                t.column("end", .double).notNull()
            }
            try db.create(table: "maintenanceProduct") { t in
                t.column("maintenanceID", .text).notNull().references("maintenance", onDelete: .cascade)
                t.column("productSlug", .text).notNull().references("product", onDelete: .cascade)
                t.primaryKey(["maintenanceID", "productSlug"])
            }
            try db.create(table: "dayRollup") { t in
                t.column("productSlug", .text).notNull().references("product", onDelete: .cascade)
                t.column("day", .text).notNull()
                t.column("observed", .boolean).notNull().defaults(to: false)
                t.column("conditions", .text).notNull().defaults(to: "")
                t.column("outageSeconds", .double).notNull().defaults(to: 0)
                t.column("degradedSeconds", .double).notNull().defaults(to: 0)
                t.column("maintenanceSeconds", .double).notNull().defaults(to: 0)
                t.primaryKey(["productSlug", "day"])
            }
            // One row whose number moves on every change a page could show, whichever process made it.
            try db.create(table: "stateVersion") { t in
                t.primaryKey("id", .integer)
                t.column("version", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO stateVersion (id, version) VALUES (1, 0)")
        }
        migrator.registerMigration("statusModel.v2.probes") { db in
            try db.create(table: "regionState") { t in
                t.column("checkID", .text).notNull()
                t.column("region", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("reason", .text)
                t.column("since", .double).notNull()
                t.primaryKey(["checkID", "region"])
            }
            try db.create(table: "heartbeat") { t in
                t.primaryKey("checkID", .text)
                t.column("at", .double).notNull()
            }
            // Response times per product and hour as a log-scale histogram: percentiles stay
            // readable after raw results are pruned.
            try db.create(table: "timingBucket") { t in
                t.column("productSlug", .text).notNull().references("product", onDelete: .cascade)
                t.column("hour", .double).notNull()
                t.column("bucket", .integer).notNull()
                t.column("count", .integer).notNull()
                t.primaryKey(["productSlug", "hour", "bucket"])
            }
        }
            migrator.registerMigration("statusModel.v3.announcements") { db in
            try db.alter(table: "product") { t in t.add(column: "origin", .text).notNull().defaults(to: "config") }
            try db.alter(table: "incident") { t in t.add(column: "origin", .text).notNull().defaults(to: "operator") }
            try db.alter(table: "maintenance") { t in t.add(column: "repeatsWeekly", .boolean).notNull().defaults(to: false) }
            try db.create(table: "statusEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("subjectID", .text).notNull()
                // Space-separated slugs: a snapshot of who was affected, read whole.
                t.column("productSlugs", .text).notNull()
                t.column("at", .double).notNull()
                t.column("title", .text).notNull()
                t.column("message", .text).notNull()
                t.column("status", .text).notNull()
                t.column("windowStart", .double)
                t.column("windowEnd", .double)
                // A window's start and end are journalled once, by whichever process sees them first.
                t.column("onceKey", .text).unique()
            }
            try db.create(index: "statusEvent_byAt", on: "statusEvent", columns: ["at"])
        }
            migrator.registerMigration("statusModel.v4.consoleChecks") { db in
            // Checks made in the operators' console, kept in the config file's own words.
            try db.create(table: "consoleCheck") { t in
                t.column("productSlug", .text).notNull().references("product", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("spec", .text).notNull()
                t.primaryKey(["productSlug", "name"])
            }
        }
        // The failure's code with a confirmed outage, so each follower reads it in their language.
        migrator.registerMigration("statusModel.v5.eventReason") { db in
            try db.alter(table: "statusEvent") { t in t.add(column: "probeReason", .text) }
        }
    }
}
