import Foundation
import LTXPipeline

/// Reads the ledger for the dashboard, each kind of read (the summary, one listing of jobs, one job) at most once per
/// `minimumInterval` of real time however many browsers and scrapers ask: requests in between get the last answer,
/// and requests during a read wait for that read. The summary is counted and summed by SQLite, and listings read only
/// the rows and columns they show, so a ledger of tens of thousands of jobs is never decoded whole. The ledger is
/// SQLite in WAL mode, so these reads never wait for, nor hold up, the run's writes.
public actor DashboardSource {
    /// The pipeline's name.
    public nonisolated let pipeline: String
    private let ledger: Ledger
    private let reportsCost: Bool
    private let runStartedAt: Date
    private let minimumInterval: Duration
    private let now: @Sendable () -> Date
    /// The last answer of each read, while it is younger than the minimum interval.
    private var latest: [Read: (answer: any Sendable, at: ContinuousClock.Instant)] = [:]
    /// The reads under way (each a `Task` of its answer's type).
    private var reading: [Read: any Sendable] = [:]

    /// The reads answers are kept for.
    private enum Read: Hashable {
        case summary
        case jobs(DashboardJobQuery)
        case job(String)
    }

    /// A source reading `ledger` of pipeline `pipeline`; `now` gives the time snapshots are taken at.
    public init(pipeline: String, ledger: Ledger, reportsCost: Bool, runStartedAt: Date = Date(),
                minimumInterval: Duration = .seconds(1), now: @escaping @Sendable () -> Date = { Date() }) {
        self.pipeline = pipeline
        self.ledger = ledger
        self.reportsCost = reportsCost
        self.runStartedAt = runStartedAt
        self.minimumInterval = minimumInterval
        self.now = now
    }

    /// The latest summary with the jobs `query` lists (none by default), each read again when the last read is older
    /// than the minimum interval.
    public func snapshot(listing query: DashboardJobQuery = .none) async throws -> DashboardSnapshot {
        let ledger = self.ledger, pipeline = self.pipeline, reportsCost = self.reportsCost, started = self.runStartedAt, now = self.now
        let summary = try await answer(.summary) {
            let at = now()
            let totals = try await ledger.totals(now: at)
            let failures = try await ledger.latestFailures(limit: DashboardSummary.failureLimit)
            let events = try await ledger.eventCounts()
            return DashboardSummary(pipeline: pipeline, reportsCost: reportsCost, totals: totals, failures: failures, events: events,
                                    runStartedAt: started, now: at)
        }
        guard query.limit != 0 else { return DashboardSnapshot(summary: summary, jobs: []) }
        let jobs = try await answer(.jobs(query)) {
            let rows = try await ledger.overviews(states: query.states, limit: query.limit)
            let at = now()
            return rows.map { DashboardJob($0, reportsCost: reportsCost, now: at) }
        }
        return DashboardSnapshot(summary: summary, jobs: jobs)
    }

    /// Job `id` as the dashboard lists it, nil when the ledger has no such job.
    public func job(_ id: String) async throws -> DashboardJob? {
        let ledger = self.ledger, reportsCost = self.reportsCost, now = self.now
        return try await answer(.job(id)) {
            try await ledger.overview(id).map { DashboardJob($0, reportsCost: reportsCost, now: now()) }
        }
    }

    /// The answer of `read`: the last one while it is younger than the minimum interval, else the one being read, else
    /// a new read. Answers older than the interval are forgotten, so the cache holds what was asked within it.
    private func answer<Answer: Sendable>(_ read: Read, _ load: @escaping @Sendable () async throws -> Answer) async throws -> Answer {
        let start = ContinuousClock.now
        latest = latest.filter { start - $0.value.at < minimumInterval }
        // The entry is unwrapped before the cast: a missing one cast to an optional `Answer` would read as a nil answer.
        if let kept = latest[read], let answer = kept.answer as? Answer { return answer }
        if let running = reading[read], let task = running as? Task<Answer, any Error> { return try await task.value }
        let task = Task { try await load() }
        reading[read] = task
        defer { reading[read] = nil }
        let answer = try await task.value
        latest[read] = (answer, ContinuousClock.now)
        return answer
    }
}
