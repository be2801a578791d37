import Foundation
import GRDB

/// The light reads of a live view (the dashboard): totals computed in SQL, and listings that read only the columns
/// a listing shows, never the inputs, preflight, verification report or response body of a row.
extension Ledger {
    /// Jobs in `states` (every state when nil), newest first (by creation, then id), at most `limit` (all when nil).
    public func overviews(states: Set<JobState>? = nil, limit: Int? = nil) async throws(LedgerError) -> [JobOverview] {
        do {
            return try await pool.read { db in
                var request = JobOverview.order(Column("createdAt").desc, Column("id").desc)
                if let states { request = request.filter(Array(states).contains(Column("state"))) }
                if let limit { request = request.limit(max(0, limit)) }
                return try request.fetchAll(db)
            }
        } catch {
            throw LedgerError(path: path, message: "cannot read jobs (\(error))")
        }
    }

    /// One job's overview.
    public func overview(_ id: String) async throws(LedgerError) -> JobOverview? {
        do { return try await pool.read { try JobOverview.fetchOne($0, key: id) } } catch {
            throw LedgerError(path: path, message: "cannot read job \(id) (\(error))")
        }
    }

    /// The latest `limit` failed jobs, the last failed first.
    public func latestFailures(limit: Int) async throws(LedgerError) -> [JobOverview] {
        do {
            return try await pool.read { db in
                try JobOverview.filter(Column("state") == JobState.failed.rawValue)
                    .order(Column("updatedAt").desc, Column("createdAt"), Column("id")).limit(max(0, limit)).fetchAll(db)
            }
        } catch {
            throw LedgerError(path: path, message: "cannot read jobs (\(error))")
        }
    }

    /// Jobs by state and money at `now`, counted and summed by SQLite (see `LedgerTotals` for the rules).
    public func totals(now: Date) async throws(LedgerError) -> LedgerTotals {
        let day = LedgerTotals.utcCalendar.dateComponents([.year, .month, .day], from: now)
        // Dates are stored as `YYYY-MM-DD HH:MM:SS.SSS` in UTC, so a day is the first ten characters.
        let dayText = String(format: "%04d-%02d-%02d", day.year ?? 1970, day.month ?? 1, day.day ?? 1)
        let path = self.path
        do {
            return try await pool.read { db in
                var totals = LedgerTotals()
                for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS count FROM jobs GROUP BY state") {
                    // Read as a database value first: a value of another type is this error, never a trap.
                    let stored: DatabaseValue = row["state"]
                    guard let state = String.fromDatabaseValue(stored).flatMap(JobState.init(rawValue:)) else {
                        throw LedgerError(path: path, message: "a job's state \(stored) is not one of "
                                          + JobState.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    totals.byState[state] = (row["count"] as Int?) ?? 0
                }
                if let row = try Row.fetchOne(db, sql: Self.moneySQL, arguments: [dayText]) {
                    totals.spent = (row["spent"] as Double?) ?? 0
                    totals.spentToday = (row["spentToday"] as Double?) ?? 0
                    totals.estimated = (row["estimated"] as Double?) ?? 0
                    totals.held = (row["held"] as Double?) ?? 0
                    totals.unknownPrice = (row["unknownPrice"] as Int?) ?? 0
                }
                return totals
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(path: path, message: "cannot sum jobs (\(error))")
        }
    }

    /// The money of `LedgerTotals`, one pass over the rows in ledger order (the inner `ORDER BY` keeps that order into
    /// the sums: SQLite does not flatten an ordered subquery into an aggregate).
    private static let moneySQL = """
        SELECT TOTAL(charged) AS spent,
               TOTAL(CASE WHEN substr(COALESCE(submitStartedAt, updatedAt), 1, 10) = ? THEN charged END) AS spentToday,
               TOTAL(CASE WHEN open AND state <> '\(JobState.held.rawValue)' THEN estimatedCost END) AS estimated,
               TOTAL(CASE WHEN open AND state = '\(JobState.held.rawValue)' THEN estimatedCost END) AS held,
               COUNT(CASE WHEN open AND estimatedCost IS NULL THEN 1 END) AS unknownPrice
        FROM (SELECT state, estimatedCost, submitStartedAt, updatedAt,
                     CASE WHEN cost IS NOT NULL OR priorCost IS NOT NULL THEN IFNULL(cost, 0) + IFNULL(priorCost, 0) END AS charged,
                     cost IS NULL AND state NOT IN ('\(JobState.archived.rawValue)', '\(JobState.failed.rawValue)') AND parameters IS NOT NULL AS open
              FROM jobs ORDER BY createdAt, id)
        """
}
