import Foundation
import GRDB

/// A ledger operation that failed; the message names the database file.
public struct LedgerError: Error, CustomStringConvertible, Sendable {
    /// The ledger file.
    public var path: String
    /// What went wrong.
    public var message: String
    /// `path: message`.
    public var description: String { "\(path): ledger: \(message)" }
}

/// The job ledger: SQLite in WAL mode with full sync, so a transition is on disk before the side effect it
/// allows begins. One row per job plus an append-only event history.
public final class Ledger: Sendable {
    /// The database file.
    public let path: String
    /// The connections: one writer, readers beside it (WAL).
    let pool: DatabasePool

    /// Opens (creating and migrating when needed) the ledger at `path`.
    public init(path: String) throws(LedgerError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            try Ledger.migrate(pool)
        } catch {
            throw LedgerError(path: path, message: "cannot open (\(error))")
        }
    }

    /// Applies the migrations. Two processes opening a new ledger at once (a `run` starting while `jobs` reads) may
    /// both see a migration as pending; the one that loses finds it applied when it looks again.
    private static func migrate(_ pool: DatabasePool) throws {
        var attempt = 0
        while true {
            do {
                try migrator.migrate(pool)
                return
            } catch {
                attempt += 1
                if attempt >= 3 { throw error }
                usleep(100_000)
            }
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "jobs") { t in
                t.primaryKey("id", .text)
                t.column("pipeline", .text).notNull()
                t.column("name", .text).notNull()
                t.column("mode", .text).notNull()
                t.column("state", .text).notNull().indexed()
                t.column("reason", .text)
                t.column("detail", .text)
                t.column("resumeState", .text)
                t.column("parameters", .text)
                t.column("inputs", .text).notNull()
                t.column("fingerprint", .text).indexed()
                t.column("force", .boolean).notNull()
                t.column("preflight", .text)
                t.column("submitStartedAt", .datetime)
                t.column("generationID", .text)
                t.column("requestIDs", .text).notNull()
                t.column("estimatedCost", .double)
                t.column("cost", .double)
                t.column("videoURL", .text)
                t.column("response", .text)
                t.column("videoSHA256", .text)
                t.column("verification", .text)
                t.column("bag", .text)
                t.column("failedFolder", .text)
                t.column("failedStage", .text)
                t.column("inputRetries", .integer).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "events") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("jobID", .text).notNull().indexed().references("jobs", onDelete: .cascade)
                t.column("at", .datetime).notNull()
                t.column("stage", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("detail", .text)
            }
        }
        migrator.registerMigration("v2-latencies") { db in
            try db.create(table: "latencies") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("key", .text).notNull().indexed()
                t.column("seconds", .double).notNull()
                t.column("at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3-prior-cost") { db in
            try db.alter(table: "jobs") { t in t.add(column: "priorCost", .double) }
        }
        migrator.registerMigration("v4-providers") { db in
            try db.alter(table: "jobs") { t in
                t.add(column: "provider", .text)
                t.add(column: "providerAttempts", .text)
            }
        }
        // The dashboard's listings, newest first, with or without a state: read from the index, not by sorting every row.
        migrator.registerMigration("v5-listing-order") { db in
            try db.create(index: "jobs_on_createdAt_id", on: "jobs", columns: ["createdAt", "id"])
            try db.create(index: "jobs_on_state_createdAt_id", on: "jobs", columns: ["state", "createdAt", "id"])
        }
        return migrator
    }

    /// Records how long a generation took (submit to completion seen), under `key` (dialect, model, size).
    public func recordLatency(_ seconds: Double, key: String) async throws(LedgerError) {
        guard seconds.isFinite, seconds >= 0 else { return }
        do {
            try await pool.write { db in
                try db.execute(sql: "INSERT INTO latencies (key, seconds, at) VALUES (?, ?, ?)", arguments: [key, seconds, Date()])
            }
        } catch {
            throw LedgerError(path: path, message: "cannot record a latency (\(error))")
        }
    }

    /// The latest `limit` latencies recorded under `key`, newest first.
    public func latencies(key: String, limit: Int = 50) async throws(LedgerError) -> [Double] {
        do {
            return try await pool.read { db in
                try Double.fetchAll(db, sql: "SELECT seconds FROM latencies WHERE key = ? ORDER BY id DESC LIMIT ?", arguments: [key, limit])
            }
        } catch {
            throw LedgerError(path: path, message: "cannot read latencies (\(error))")
        }
    }

    /// Records a new job and its first event in one transaction.
    public func insert(_ job: JobRecord, event: JobEvent) async throws(LedgerError) {
        try LedgerLimits.check(job, event, path: path)
        do {
            try await pool.write { db in
                try job.insert(db)
                try event.insert(db)
            }
        } catch {
            throw LedgerError(path: path, message: "cannot record job \(job.id) (\(error))")
        }
    }

    /// Changes a job and appends an event in one committed transaction; returns the updated row.
    @discardableResult
    public func update(_ id: String, event: JobEvent, _ change: @escaping @Sendable (inout JobRecord) -> Void) async throws(LedgerError) -> JobRecord {
        do {
            return try await pool.write { db in
                guard var job = try JobRecord.fetchOne(db, key: id) else {
                    throw LedgerError(path: path, message: "no job \(id)")
                }
                change(&job)
                job.updatedAt = event.at
                try LedgerLimits.check(job, event, path: path)
                try job.update(db)
                try event.insert(db)
                return job
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(path: path, message: "cannot update job \(id) (\(error))")
        }
    }

    /// Changes the job in hand and appends an event in one committed transaction; returns the row as written.
    /// The caller's record is the current row (one task drives a job at a time), so nothing is read back.
    @discardableResult
    public func update(_ job: JobRecord, event: JobEvent, _ change: (inout JobRecord) -> Void) async throws(LedgerError) -> JobRecord {
        var updated = job
        change(&updated)
        updated.updatedAt = event.at
        let row = updated
        try LedgerLimits.check(row, event, path: path)
        do {
            try await pool.write { db in
                try row.update(db)
                try event.insert(db)
            }
        } catch {
            throw LedgerError(path: path, message: "cannot update job \(job.id) (\(error))")
        }
        return updated
    }

    /// One job.
    public func job(_ id: String) async throws(LedgerError) -> JobRecord? {
        do { return try await pool.read { try JobRecord.fetchOne($0, key: id) } } catch {
            throw LedgerError(path: path, message: "cannot read job \(id) (\(error))")
        }
    }

    /// Every job, oldest first.
    public func jobs() async throws(LedgerError) -> [JobRecord] {
        do { return try await pool.read { try JobRecord.order(Column("createdAt"), Column("id")).fetchAll($0) } } catch {
            throw LedgerError(path: path, message: "cannot read jobs (\(error))")
        }
    }

    /// Jobs not yet archived or failed (or failed but not yet filed in failed/), oldest first.
    public func unfinished() async throws(LedgerError) -> [JobRecord] {
        do {
            return try await pool.read { db in
                try JobRecord.filter(
                    ![JobState.archived, JobState.failed].contains(Column("state"))
                        || (Column("state") == JobState.failed.rawValue && Column("failedFolder") == nil)
                )
                    .order(Column("createdAt"), Column("id")).fetchAll(db)
            }
        } catch {
            throw LedgerError(path: path, message: "cannot read jobs (\(error))")
        }
    }

    /// An archived job with this fingerprint, if any.
    public func archived(fingerprint: String) async throws(LedgerError) -> JobRecord? {
        do {
            return try await pool.read { db in
                try JobRecord.filter(Column("fingerprint") == fingerprint && Column("state") == JobState.archived.rawValue).fetchOne(db)
            }
        } catch {
            throw LedgerError(path: path, message: "cannot read jobs (\(error))")
        }
    }

    /// Jobs with this fingerprint that are in flight: between preflight and archive, or held after a submit went
    /// out (paid, or perhaps paid).
    public func live(fingerprint: String) async throws(LedgerError) -> [JobRecord] {
        do {
            return try await pool.read { db in
                try JobRecord.filter(Column("fingerprint") == fingerprint
                    && ![JobState.archived, JobState.failed, JobState.detected, JobState.claimed].contains(Column("state"))).fetchAll(db)
            }.filter { $0.state != .held || $0.generationID != nil || $0.submitStartedAt != nil }
        } catch {
            throw LedgerError(path: path, message: "cannot read jobs (\(error))")
        }
    }

    /// A job's history, in order.
    public func events(for id: String) async throws(LedgerError) -> [JobEvent] {
        do { return try await pool.read { try JobEvent.filter(Column("jobID") == id).order(Column("id")).fetchAll($0) } } catch {
            throw LedgerError(path: path, message: "cannot read events of \(id) (\(error))")
        }
    }

    /// How many events of each stage and outcome the ledger holds (the history is append-only, so each count only
    /// grows): what the dashboard's counters are read from.
    public func eventCounts() async throws(LedgerError) -> [LedgerEventCount] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT stage, outcome, COUNT(*) AS count FROM events GROUP BY stage, outcome").map { row in
                    LedgerEventCount(stage: row["stage"] as String? ?? "", outcome: row["outcome"] as String? ?? "", count: row["count"] as Int? ?? 0)
                }
            }
        } catch {
            throw LedgerError(path: path, message: "cannot count events (\(error))")
        }
    }

    /// USD committed so far: recorded costs, plus estimates of jobs sent but not yet charged.
    public func committedSpend() async throws(LedgerError) -> Double {
        do {
            return try await pool.read { db in
                let jobs = try JobRecord.filter(Column("generationID") != nil || Column("submitStartedAt") != nil).fetchAll(db)
                let earlier = try Double.fetchOne(db, sql: "SELECT TOTAL(priorCost) FROM jobs") ?? 0
                return jobs.reduce(earlier) { $0 + ($1.cost ?? $1.estimatedCost ?? 0) }
            }
        } catch {
            throw LedgerError(path: path, message: "cannot sum costs (\(error))")
        }
    }
}
