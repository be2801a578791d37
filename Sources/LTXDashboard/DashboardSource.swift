import Foundation
import LTXPipeline

/// Reads the ledger for the dashboard, at most once per `minimumInterval` of real time however many browsers and
/// scrapers ask: requests in between get the last snapshot, and requests during a read wait for that read. The
/// ledger is SQLite in WAL mode, so these reads never wait for, nor hold up, the run's writes.
public actor DashboardSource {
    /// The pipeline's name.
    public nonisolated let pipeline: String
    private let ledger: Ledger
    private let reportsCost: Bool
    private let runStartedAt: Date
    private let minimumInterval: Duration
    private let now: @Sendable () -> Date
    private var latest: (snapshot: DashboardSnapshot, at: ContinuousClock.Instant)?
    private var reading: Task<DashboardSnapshot, any Error>?

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

    /// The latest snapshot, read again when the last one is older than the minimum interval.
    public func snapshot() async throws -> DashboardSnapshot {
        if let latest, ContinuousClock.now - latest.at < minimumInterval { return latest.snapshot }
        if let reading { return try await reading.value }
        let ledger = self.ledger, pipeline = self.pipeline, reportsCost = self.reportsCost, started = self.runStartedAt, now = self.now
        let task = Task {
            let jobs = try await ledger.jobs()
            let events = try await ledger.eventCounts()
            return DashboardSnapshot(pipeline: pipeline, reportsCost: reportsCost, jobs: jobs, events: events, runStartedAt: started, now: now())
        }
        reading = task
        defer { reading = nil }
        let snapshot = try await task.value
        latest = (snapshot, ContinuousClock.now)
        return snapshot
    }
}
